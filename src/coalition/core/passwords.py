"""The password rule, after NIST SP 800-63B section 3.1.1.2. Pure.

A password is long enough, is not on a list of common and breached passwords (shipped
with the package, so the check works offline), is not that list's entry with digits or
symbols tacked on, is not the service's name, does not contain the username, and is not
one character repeated or a run like ``abcdefghij``. Nothing else is asked: no mix of
character classes, no expiry, as the guideline advises.
"""

from __future__ import annotations

import gzip
import itertools
import re
from functools import lru_cache
from importlib.resources import files

from coalition.core.auth import MAX_PASSWORD_LENGTH as MAX_LENGTH
from coalition.core.auth import MIN_PASSWORD_LENGTH as MIN_LENGTH

COMMON_LIST = "common-passwords.txt.gz"
# Words of this service's own context that a guesser tries first.
CONTEXT_WORDS = frozenset({"coalition"})
_DECORATION = re.compile(r"[\W\d_]+$")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The shipped list of common and breached passwords, lower-case, one a line."""
    raw = (files("coalition") / "data" / COMMON_LIST).read_bytes()
    lines = gzip.decompress(raw).decode("utf-8").splitlines()
    return frozenset(line.strip().casefold() for line in lines if line.strip())


def _core(password: str) -> str:
    """The password folded to lower case, without spaces and trailing digits or symbols."""
    return _DECORATION.sub("", password.casefold().replace(" ", ""))


def _is_run(password: str) -> bool:
    """One character repeated, or consecutive code points up or down (``0123456789``)."""
    steps = {ord(b) - ord(a) for a, b in itertools.pairwise(password)}
    return len(steps) == 1 and steps <= {-1, 0, 1}


def password_problem(password: str, username: str = "") -> str | None:
    """Why ``password`` may not be used by ``username``, as one line; ``None`` if it may."""
    if len(password) < MIN_LENGTH:
        return f"a password has at least {MIN_LENGTH} characters"
    if len(password) > MAX_LENGTH:
        return f"a password has at most {MAX_LENGTH} characters"
    folded = password.casefold()
    if username and username.casefold() in folded:
        return "a password may not contain the username"
    if _is_run(password) or len(set(folded)) < 4:
        return "a password may not be one character repeated or a simple run of characters"
    common = common_passwords()
    core = _core(password)
    if folded in common or core in common or core in CONTEXT_WORDS:
        return "that password is on the list of common and breached passwords; choose another"
    return None
