"""Telling the EU Financial Sanctions File from a file's first bytes. Pure."""

from __future__ import annotations

import codecs
import re

NAMESPACE = "http://eu.europa.ec/fpi/fsd/export"


def start_of(head: bytes) -> bytes:
    return head.removeprefix(codecs.BOM_UTF8).lstrip()


def not_fsf(what: str) -> str:
    return (
        f"not the EU Financial Sanctions File: {what}; expected the FSF XML export "
        "(root <export>, namespace " + NAMESPACE + ") or its CSV (a header row naming "
        "Entity_LogicalId)"
    )


def recognise(head: bytes) -> bool:
    """Whether a file starting with ``head`` is an FSF XML export or FSF CSV."""
    start = start_of(head)
    if start.startswith(b"<"):
        if not re.search(rb"<(?:[\w.-]+:)?export[\s>]", start):
            return False
        entity = re.search(rb"<(?:[\w.-]+:)?sanctionEntity[\s>]", start)
        return NAMESPACE.encode() in start or entity is not None
    first = start.split(b"\n", 1)[0]
    return b"Entity_LogicalId" in first and (
        b"NameAlias_WholeName" in first or b"Entity_EU_ReferenceNumber" in first
    )
