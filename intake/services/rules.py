"""Scoring rules, one row per year: a year's results are always computed with that year's rules."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from intake.models import IntakeEvent, ScoringRules
from intake.services.common import record_event, require_handler

RULES_CLOSED_MESSAGE = "{year}年已结束，当年的计分规则随考核结果留存，不能修改。"
RULE_FIELDS = ("single_points", "combined_points", "higher_county", "higher_city", "higher_province",
               "higher_national", "instruction_county", "instruction_city", "instruction_province",
               "instruction_national", "monthly_quota", "quota_deduction")


def scoring_rules_for(*, year: int) -> ScoringRules:
    """The rules of `year`; a year with none yet starts from the latest earlier year's (not saved)."""
    rules = ScoringRules.objects.filter(year=year).first()
    if rules is not None:
        return rules
    earlier = ScoringRules.objects.filter(year__lt=year).order_by("-year").first()
    values = {name: getattr(earlier, name) for name in RULE_FIELDS} if earlier else {}
    return ScoringRules(year=year, **values)


@transaction.atomic
def scoring_rules_save(*, year: int, by: AbstractBaseUser, **values: int) -> ScoringRules:
    """Set the rules of a year; a year that is over keeps the rules its results were computed with."""
    require_handler(by, "修改计分规则")
    unknown = set(values) - set(RULE_FIELDS)
    if unknown:
        raise TypeError(f"Not a scoring rule: {', '.join(sorted(unknown))}")
    existing = ScoringRules.objects.select_for_update().filter(year=year).first()
    if existing is not None and year < timezone.localdate().year:
        raise ValidationError(RULES_CLOSED_MESSAGE.format(year=year))
    rules = existing or scoring_rules_for(year=year)
    changed = {name: value for name, value in values.items() if getattr(rules, name) != value}
    for name, value in changed.items():
        setattr(rules, name, value)
    rules.updated_by = by
    rules.full_clean()
    rules.save()
    labels = "，".join(f"{ScoringRules._meta.get_field(n).verbose_name} {v}" for n, v in changed.items())
    record_event(action=IntakeEvent.Action.RULES_CHANGED, by=by, note=f"{year}年：{labels or '新建'}")
    return rules
