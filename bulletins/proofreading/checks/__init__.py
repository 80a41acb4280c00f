"""The checks an experienced 校对 makes, each over paragraphs of plain text.

Every check is a function of segments (and, for some, the office's data) returning findings;
none reads the database. Conventions follow GB/T 15834 (punctuation), GB/T 15835 (numbers)
and GB/T 9704 (heading numbers 一、（一）1.（1）, dates written 2023年11月25日).
One module per family of checks; the characters they reason about in `characters`.
"""

from bulletins.proofreading.checks.characters import (
    CHINESE_MARKS,
    CLOSING_MARKS,
    OPENING_MARKS,
    SENTENCE_MARKS,
    SPACES,
    is_chinese,
)
from bulletins.proofreading.checks.dates import WEEKDAYS, check_dates
from bulletins.proofreading.checks.glyphs import check_printable, check_traditional, to_simplified
from bulletins.proofreading.checks.headings import (
    HEADING_PATTERNS,
    LEVEL_NAMES,
    check_headings,
    chinese_number,
    heading_marker,
    number_in_chinese,
)
from bulletins.proofreading.checks.punctuation import (
    FULL_WIDTH,
    MARK_NAMES,
    OPENERS,
    PAIRS,
    QUOTES,
    check_halfwidth,
    check_pairs,
    check_repeated,
    check_spaces,
)
from bulletins.proofreading.checks.wording import WordingEntry, check_wording
from bulletins.text import is_han

__all__ = [
    "CHINESE_MARKS", "CLOSING_MARKS", "FULL_WIDTH", "HEADING_PATTERNS", "LEVEL_NAMES", "MARK_NAMES",
    "OPENERS", "OPENING_MARKS", "PAIRS", "QUOTES", "SENTENCE_MARKS", "SPACES", "WEEKDAYS",
    "WordingEntry", "check_dates", "check_halfwidth", "check_headings", "check_pairs",
    "check_printable", "check_repeated", "check_spaces", "check_traditional", "check_wording",
    "chinese_number", "heading_marker", "is_chinese", "is_han", "number_in_chinese", "to_simplified",
]
