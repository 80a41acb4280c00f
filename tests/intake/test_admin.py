"""The intake admin: the role groups, the scoring rules page, recognitions, calls a unit sees."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from intake.models import IntakeEvent, Recognition, Reporter, ScoringRules
from intake.permissions import HANDLER_GROUP, REPORTER_GROUP
from intake.services import call_create, scoring_rules_save, submission_create, submission_submit
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_the_groups_hold_their_permissions_after_migrate():
    reporter = set(Group.objects.get(name=REPORTER_GROUP).permissions.values_list("codename", flat=True))
    handler = set(Group.objects.get(name=HANDLER_GROUP).permissions.values_list("codename", flat=True))
    assert reporter == {"view_submission", "add_submission", "change_submission", "report_submission",
                        "view_call"}
    assert {"handle_submission", "view_report", "add_call", "change_scoringrules"} <= handler
    assert "report_submission" not in handler and "handle_submission" not in reporter


def test_the_office_sets_this_years_rules_on_the_page(client, editor):
    client.force_login(editor)
    values = {"year": 2026, "single_points": 6, "combined_points": 3, "higher_county": 5, "higher_city": 20,
              "higher_province": 40, "higher_national": 80, "instruction_county": 2, "instruction_city": 5,
              "instruction_province": 50, "instruction_national": 100, "monthly_quota": 3,
              "quota_deduction": 1}
    response = client.post(reverse("admin:intake_scoringrules_add"), values)
    assert response.status_code == 302
    rules = ScoringRules.objects.get()
    assert (rules.year, rules.single_points, rules.updated_by) == (2026, 6, editor)


def test_a_past_years_rules_are_read_only_on_the_page(client, editor):
    rules = scoring_rules_save(year=2025, by=editor, single_points=5)
    client.force_login(editor)
    page = client.get(reverse("admin:intake_scoringrules_change", args=[rules.pk])).content.decode()
    assert 'name="single_points"' not in page


def test_a_recognition_without_evidence_is_told_on_the_page(client, unit, reporter, editor):
    item = submission_submit(submission=submission_create(unit=unit, by=reporter, title="信息"), by=reporter)
    client.force_login(editor)
    data = {"submission": item.pk, "kind": "higher", "level": "province", "name": "省政务信息",
            "date": "2026-11-03", "note": ""}
    response = client.post(reverse("admin:intake_recognition_add"), data)
    assert "请上传证明材料（扫描件）或填写说明。" in response.content.decode()
    response = client.post(reverse("admin:intake_recognition_add"), {**data, "note": "第8期"})
    assert response.status_code == 302
    assert Recognition.objects.get().recorded_by == editor


def test_a_reporter_lists_only_the_calls_to_their_unit(client, unit, reporter, editor):
    call_create(by=editor, subject="发给全部", request="要求", deadline=datetime.date(2026, 12, 31))
    call_create(by=editor, subject="发给别人", request="要求", deadline=datetime.date(2026, 12, 31),
                units=[OrganisationFactory(name="别的单位")])
    client.force_login(reporter)
    page = client.get(reverse("admin:intake_call_changelist")).content.decode()
    assert "发给全部" in page and "发给别人" not in page


def test_the_office_makes_a_user_a_reporter(client, editor, unit):
    from django.contrib.auth.models import User
    person = User.objects.create_user("xinren")
    client.force_login(editor)
    response = client.post(reverse("admin:intake_reporter_add"), {"user": person.pk, "unit": unit.pk})
    assert response.status_code == 302
    person.refresh_from_db()
    assert Reporter.objects.get(user=person).unit == unit
    assert person.is_staff and person.groups.filter(name=REPORTER_GROUP).exists()
    event = IntakeEvent.objects.get(action="reporter_assigned")
    assert (event.actor, event.note) == (editor, "xinren：常山县发改局")
