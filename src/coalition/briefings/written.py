"""The analyst's written judgements of an edition: checked, stored, printed. Pure.

Each judgement is a sentence in the probability yardstick's terms with its confidence
chosen apart; the briefing prints the confidence as a sentence of its own after it, so a
likelihood and a confidence are never mixed in one sentence
(:mod:`coalition.briefings.language`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from coalition.briefings.language import CONFIDENCE, check
from coalition.core.errors import Invalid

MAX_JUDGEMENTS = 12
MAX_JUDGEMENT_TEXT = 600


@dataclass(frozen=True)
class Written:
    """One of the analyst's judgements: its sentence and, apart, the confidence in it."""

    text: str
    confidence: str

    @property
    def printed(self) -> str:
        """As the briefing prints it: the judgement, then its confidence as a sentence."""
        return f"{self.text} We have {self.confidence} confidence in this judgement."


def checked(judgements: Sequence[Written]) -> list[Written]:
    """The judgements with their spacing tidied and blank ones left out, or
    :class:`Invalid` naming every problem of every judgement."""
    if len(judgements) > MAX_JUDGEMENTS:
        raise Invalid(f"at most {MAX_JUDGEMENTS} judgements, not {len(judgements)}")
    found: list[str] = []
    kept: list[Written] = []
    for number, written in enumerate(judgements, start=1):
        text = " ".join(written.text.split())
        if not text:
            continue
        if len(text) > MAX_JUDGEMENT_TEXT:
            found.append(f"judgement {number}: longer than {MAX_JUDGEMENT_TEXT} characters")
            continue
        if written.confidence not in CONFIDENCE:
            found.append(f"judgement {number}: confidence is low, moderate or high")
        for problem in check(text):
            found.append(f"judgement {number}: {problem.what}; {problem.suggestion}")
        kept.append(Written(text, written.confidence))
    if found:
        raise Invalid("; ".join(found))
    return kept


def dumps(judgements: Sequence[Written]) -> str:
    """The stored form: a JSON list of ``{"text", "confidence"}``."""
    return json.dumps(
        [{"text": j.text, "confidence": j.confidence} for j in judgements], ensure_ascii=False
    )


def loads(stored: str) -> list[Written]:
    """The judgements from their stored form."""
    return [Written(str(j["text"]), str(j["confidence"])) for j in json.loads(stored)]
