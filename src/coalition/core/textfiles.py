"""Which text encoding a file is in, decided before a byte of it is parsed.

Files from the field are UTF-8, UTF-16 (spreadsheet "Unicode text" exports) or, when a
spreadsheet on Windows re-saves a CSV, a single-byte code page such as Windows-1252 or
Windows-1251. Reading such a file as UTF-8 breaks at its first curly apostrophe; reading
it as the wrong code page silently changes its letters. So the whole file is tried:

1. a byte-order mark, or the NUL bytes of UTF-16 text without one, decides at once;
2. otherwise the whole stream is decoded as strict UTF-8: if every byte decodes, it is
   UTF-8 (a single-byte file whose letters all happen to be ASCII reads the same either
   way);
3. otherwise each single-byte code page people save in that decodes the whole stream is
   scored on the words of a sample that hold non-ASCII letters: a word is plausible when
   its letters are of one script, in one case or capitalised, and, for Latin, not all
   accented (``façade``, ``Łódź``, ``Харківська``), and implausible when a code page turns
   it into symbols, capitals mid-word or runs of accents (``Õàðê³âñüêà`` is Ukrainian read
   as Windows-1252, ``faÁade`` Windows-1252 read as Mac Roman). The most plausible wins;
   a tie goes to the more common code page (Windows-1252 first, Excel's default);
4. otherwise the file is refused as a whole, with the line of the first undecodable byte.

General detectors (``charset-normalizer``) were tried and rank Windows-1250 above
Windows-1252 on short Western samples (``crèche`` read as ``crčche``); the question here is
narrower (which of a few code pages), so it is answered by the rule above.

Nothing here imports the web or the database.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from typing import IO

from coalition.core.errors import Invalid

CHUNK = 1 << 20
# What spreadsheets and office tools save CSV in, in the languages the coalition works in.
SINGLE_BYTE = (
    "cp1252",  # Western Europe (Excel's default "CSV" on Windows)
    "cp1251",  # Cyrillic: Ukrainian, Russian
    "cp1250",  # Central Europe: Polish, Czech, Romanian, Croatian
    "cp1257",  # Baltic
    "cp1253",  # Greek
    "cp1254",  # Turkish
    "iso8859_15",
)
# Mac Roman and KOI8 are left out: they read a Windows-1252 file's curly quotes and dashes
# as plausible letters ("mayorís"), and hardly any tool still saves in them.


class UnreadableText(Invalid):
    """The file is in no encoding we can read without changing its letters."""


def _bom(head: bytes) -> str | None:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    # UTF-16 without a byte-order mark shows as a NUL in every other byte of ASCII text.
    if len(head) >= 4 and head[1:2] == b"\x00" and head[3:4] == b"\x00" and head[0:1] != b"\0":
        return "utf-16-le"
    if len(head) >= 4 and head[0:1] == b"\x00" and head[2:3] == b"\x00" and head[1:2] != b"\0":
        return "utf-16-be"
    return None


def _first_error(binary: IO[bytes], encoding: str) -> tuple[int, int] | None:
    """(byte offset, line) of the first byte ``encoding`` cannot decode, or ``None``."""
    binary.seek(0)
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    offset = 0
    lines = 1
    while True:
        chunk = binary.read(CHUNK)
        try:
            decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            # The decoder may hold back up to three bytes of the chunk before.
            where = max(0, offset + exc.start)
            binary.seek(0)
            lines = binary.read(where).count(b"\n") + 1
            return where, lines
        if not chunk:
            return None
        lines += chunk.count(b"\n")
        offset += len(chunk)


def detect_encoding(binary: IO[bytes], name: str = "the file") -> str:
    """The encoding ``binary`` (seekable, at any position) is in; left at its start.

    Raises :class:`UnreadableText` naming the line of the first byte no candidate reads.
    """
    binary.seek(0)
    head = binary.read(4)
    binary.seek(0)
    found = _bom(head)
    if found is not None:
        return found
    failure = _first_error(binary, "utf-8")
    if failure is None:
        binary.seek(0)
        return "utf-8"
    offset, line = failure
    binary.seek(max(0, offset - CHUNK // 2))
    sample = binary.read(CHUNK)
    readable = [c for c in SINGLE_BYTE if _first_error(binary, c) is None]
    binary.seek(0)
    if readable:
        scores = {c: plausibility(sample.decode(c)) for c in readable}
        best = max(readable, key=lambda c: (scores[c], -SINGLE_BYTE.index(c)))
        if scores[best] > 0:
            return best
    raise UnreadableText(
        f"{name} is not UTF-8 (line {line} holds a byte UTF-8 cannot decode) and no "
        "single-byte code page reads it either; save it as UTF-8 and import it again"
    )


# Punctuation a code page may legitimately produce inside or beside a word.
_NEUTRAL = re.compile(
    "[\u2018\u2019\u201a\u201c\u201d\u201e\u2013\u2014\u2026\u00ab\u00bb"
    "\u20ac\u2116\u00b0\u00a0\u00b7\u2022]"
)
_WORD = re.compile(r"[^\s,;:.!?()\[\]{}\"'/\\|<>=+*&%$#@^~`0-9_-]+")


def _script(char: str) -> str:
    name = unicodedata.name(char, "")
    return name.split(" ", 1)[0]


def _plausible(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    if len(letters) != len(word):
        return False  # symbols, superscripts or controls inside a word
    scripts = {_script(c) for c in letters}
    if len(scripts) != 1:
        return False
    # A capital inside a lower-case word ("faÁade") is a code page's letter where the
    # file had punctuation or another letter.
    if not (word.islower() or word.isupper() or (word[0].isupper() and word[1:].islower())):
        return False
    if scripts == {"LATIN"}:
        # Every letter accented is another alphabet read as Latin ("Òèøà" is "Тиша").
        return len(letters) <= 2 or any(c.isascii() for c in letters)
    return True


def plausibility(text: str) -> int:
    """Typographic punctuation, plus plausible minus implausible words among those holding
    a non-ASCII character."""
    score = len(_NEUTRAL.findall(text))
    for word in _WORD.findall(_NEUTRAL.sub(" ", text)):
        if not word.isascii():
            score += 1 if _plausible(word) else -1
    return score
