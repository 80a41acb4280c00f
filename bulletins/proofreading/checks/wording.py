"""The office's wording list (规范表述): forms the office writes otherwise."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bulletins.proofreading.findings import Code, Finding, Severity
from bulletins.proofreading.text import Edit, Segment

# --- wording -------------------------------------------------------------------------------


@dataclass(frozen=True)
class WordingEntry:
    """One entry of a publication's wording list (规范表述)."""

    wrong: str
    right: str = ""
    note: str = ""


def _occurrences(text: str, needle: str) -> list[int]:
    found, start = [], text.find(needle)
    while start != -1:
        found.append(start)
        start = text.find(needle, start + len(needle))
    return found


def _sentence(note: str) -> str:
    note = note.strip()
    return note if not note or note[-1] in "。！？；" else note + "。"


def check_wording(segments: Iterable[Segment], entries: Sequence[WordingEntry]) -> list[Finding]:
    """Each use of a wrong form, unless it is part of the right form (十九大 in 党的十九大)."""
    findings: list[Finding] = []
    entries = [e for e in entries if e.wrong]
    for segment in segments:
        text = segment.text
        for entry in entries:
            if entry.wrong not in text:
                continue
            covered: set[int] = set()
            if entry.right and entry.wrong in entry.right:
                for start in _occurrences(text, entry.right):
                    covered.update(range(start, start + len(entry.right)))
            for start in _occurrences(text, entry.wrong):
                end = start + len(entry.wrong)
                if covered and all(i in covered for i in range(start, end)):
                    continue
                if entry.right:
                    message = f"“{entry.wrong}”应为“{entry.right}”。{_sentence(entry.note)}"
                    edits = (Edit(start, end, entry.right),)
                else:
                    message = f"不宜使用“{entry.wrong}”。{_sentence(entry.note)}"
                    edits = ()
                findings.append(Finding(code=Code.WORDING, severity=Severity.ERROR,
                                        message=message, segment=segment, start=start, end=end,
                                        suggestion=entry.right, edits=edits))
    return findings
