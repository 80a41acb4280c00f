"""Page numbers in a table of contents for one more layout of its pages, not two.

A table of contents that prints `target-counter(attr(...), page)` has its pages laid out once
before the numbers are known and once more with them. WeasyPrint 70 lays them out a third
time, because of two slips (the 22-page seed issue: 26 page layouts instead of 24, some 4 %
of its render):

- `formatting_structure/build.py` files the counters such a content misses under the anchor
  `None` (it names the anchor from the `attr()` token, not from the attribute), so a move of
  the anchor reaches it only by accident; and it rebinds its list of the box's own missing
  counters to that same list, so the box seems to miss `page` itself;
- a box's own page counters and an anchor's are compared with the page's counters including
  `pages`, the total, which is 0 during the first pass and the real total after it.

`TargetCollector` below corrects both where WeasyPrint hands them to its collector, and only
for WeasyPrint 70 (a test fails when the version changes, to check them again).
"""

from __future__ import annotations

import copy

import weasyprint
import weasyprint.document
from weasyprint.css import targets
from weasyprint.urls import get_url_tuple

CORRECTED_VERSION = "70.0"
_TARGET_FUNCTIONS = ("target-counter()", "target-counters()")


def _content(box) -> list:
    content = box.style["content"]
    return list(content) if isinstance(content, (list, tuple)) else []


def _attr_anchor_names(box) -> list[str]:
    """The anchors that the content's target counters name through attr(), as WeasyPrint's
    own lookup of the target reads them."""
    names = []
    for kind, value in _content(box):
        anchor_token = value[0] if kind in _TARGET_FUNCTIONS else None
        if anchor_token is None or anchor_token[0] != "attr()":
            continue
        attr_name, attr_type, fallback = anchor_token[1]
        attr_value = box.element.get(attr_name, fallback)
        token = (("url", get_url_tuple(attr_value, box.style.base_url)) if attr_type == "url"
                 else ("string", attr_value))
        if (name := targets.anchor_name_from_token(token)) is not None:
            names.append(name)
    return names


def _without_total(counter_values: dict) -> dict:
    return {name: values for name, values in counter_values.items() if name != "pages"}


class TargetCollector(targets.TargetCollector):
    def collect_missing_counters(self, parent_box, css_token, parse_again_function,
                                 missing_counters, missing_target_counters):
        if css_token == "content":  # noqa: S105 - the CSS property, not a password
            own_counters = any(kind in ("counter()", "counters()") for kind, _ in _content(parent_box))
            if not own_counters and any(missing_counters is listed
                                        for listed in missing_target_counters.values()):
                missing_counters = []  # a target's list, rebound: the box misses none itself
            unnamed = missing_target_counters.pop(None, None)
            if unnamed is not None:
                for name in _attr_anchor_names(parent_box):
                    missing_target_counters.setdefault(name, []).extend(unnamed)
        super().collect_missing_counters(parent_box, css_token, parse_again_function,
                                         missing_counters, missing_target_counters)

    def cache_target_page_counters(self, anchor_name, page_counter_values, page_maker_index,
                                   page_maker):
        item = self.target_lookup_items.get(anchor_name)
        if (not self.collecting and item is not None and item.state == "up-to-date"
                and item.cached_page_counter_values
                and _without_total(item.cached_page_counter_values) == _without_total(page_counter_values)):
            # Only the total changed: no box that prints this anchor's page has to be redone.
            item.page_maker_index = page_maker_index
            item.cached_page_counter_values = copy.deepcopy(page_counter_values)
            return
        super().cache_target_page_counters(anchor_name, page_counter_values, page_maker_index,
                                           page_maker)


def correct_target_counters() -> bool:
    """Make WeasyPrint's documents use the collector above; False (and nothing changed) for
    another version of WeasyPrint."""
    if weasyprint.__version__ != CORRECTED_VERSION:
        return False
    weasyprint.document.TargetCollector = TargetCollector
    return True
