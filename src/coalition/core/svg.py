"""Text written into hand-made SVG. Pure: text in, text out.

XML 1.0 forbids most C0 control characters, lone surrogates and the noncharacters U+FFFE
and U+FFFF, escaped or not: one of them in a label (a pasted name, a stray byte in an
imported file) makes the whole chart unreadable to an XML parser. Every SVG writer puts
every text through :func:`escape`, which removes them and escapes markup.
"""

from __future__ import annotations

import re
from html import escape as _html_escape

# Characters XML forbids: C0 controls other than tab and the two newlines, surrogates, and
# the two noncharacters at the end of the Basic Multilingual Plane.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def escape(text: str) -> str:
    """``text`` safe inside SVG text or an attribute: markup escaped, forbidden characters
    removed."""
    return _html_escape(NOT_XML.sub("", text))
