"""Units read from a 版记 line: a piece that names no unit of its own (副书记, 各市) is never put in
the directory unless the editor asks; it may be merged into an existing unit; the line prints as it was."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bulletins.archive.importer import archive_import_file
from bulletins.archive.text_parser import parse_text
from bulletins.models import Issue, IssueRecipient, Organisation
from bulletins.rendering.html import printed_issue
from bulletins.services import UnitAction, UnitChoice, unit_name_is_fragment
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
HEBEI = SEEDS / "004_ceb4e9f67c3b5b87.txt"
FRAGMENTS = ["各市", "副书记", "组织部长", "宣传部长", "办公室", "机关党委"]
ORIGINAL = parse_text(HEBEI.read_text(encoding="utf-8")).distribution


def hebei_issue() -> Issue:
    return Issue.objects.get(publication__name="理论学习通讯", year=2023, number=9)


def recipients(issue: Issue) -> list[tuple[str, str]]:
    return [(r.role, r.organisation.name) for r in issue.recipients.select_related("organisation")]


def reprinted_distribution(issue: Issue) -> list[tuple[str, str]]:
    return [(role, text) for role, text in printed_issue(issue).distribution]


@pytest.mark.parametrize(("name", "fragment"), [
    ("各市", True), ("各县区", True), ("副书记", True), ("组织部", True), ("宣传部长", True),
    ("办公室", True), ("机关党委", True), ("主要领导", True),
    ("各市委讲师团", False), ("县（市、区）委书记", False), ("宣传部理论处（科）", False),
    ("中组部干部局", False), ("省委办公室", False), ("各设区市委宣传部", False),
])
def test_which_names_are_no_unit_of_their_own(name, fragment):
    assert unit_name_is_fragment(name) is fragment


def test_by_default_nothing_that_names_no_unit_is_created_and_the_line_prints_as_it_was():
    result = archive_import_file(path=HEBEI)
    assert result.ok
    issue = hebei_issue()
    assert not Organisation.objects.filter(name__in=FRAGMENTS).exists()
    assert [name for _, name in recipients(issue)] == [
        "省委常委会", "省人大常委会", "省政府", "省政协领导", "县（市、区）委书记", "宣传部理论处（科）",
        "中心组学习秘书", "各市委讲师团", "华北油田公司党委讲师团", "省直各厅、局、委、办主要领导"]
    assert reprinted_distribution(issue) == ORIGINAL
    assert printed_issue(issue).print_run == 2000


def test_fragments_create_puts_them_in_the_directory_marked_in_the_report():
    result = archive_import_file(path=HEBEI, fragments=UnitAction.CREATE)
    assert set(FRAGMENTS) <= set(Organisation.objects.values_list("name", flat=True))
    [report] = result.issues
    assert len(report.new_organisations) == 16
    assert "办公室［不像单位名称］" in report.unit_lines()[0]
    assert "县（市、区）委书记；" in report.unit_lines()[0]  # plausible names are not marked
    assert reprinted_distribution(hebei_issue()) == ORIGINAL


def test_each_name_can_be_kept_created_or_merged_into_an_existing_unit():
    department = OrganisationFactory(name="中共河北省委组织部")
    result = archive_import_file(path=HEBEI, unit_choices={
        "组织部长": UnitChoice(action=UnitAction.MERGE, organisation=department),
        "宣传部长": UnitChoice(action=UnitAction.MERGE, organisation=department),
        "办公室": UnitChoice(action=UnitAction.CREATE),
        "中心组学习秘书": UnitChoice(action=UnitAction.KEEP_LINE),  # any new name may be kept out
    })
    assert result.ok
    issue = hebei_issue()
    names = set(Organisation.objects.values_list("name", flat=True))
    assert "办公室" in names
    assert not names & {"各市", "副书记", "组织部长", "宣传部长", "机关党委", "中心组学习秘书"}
    # Both pieces merged into one unit make one recipient, where the first of them stood.
    assert recipients(issue)[4:7] == [
        ("发", "县（市、区）委书记"), ("发", "中共河北省委组织部"), ("发", "办公室")]
    assert IssueRecipient.objects.filter(issue=issue, organisation=department).count() == 1
    assert reprinted_distribution(issue) == ORIGINAL
    lines = result.report_lines()
    assert "  并入已有单位 2 个：组织部长［不像单位名称］ → 中共河北省委组织部；" \
           "宣传部长［不像单位名称］ → 中共河北省委组织部" in lines
    assert "  只照印在版记中、不在名录新建 4 个：各市［不像单位名称］；副书记［不像单位名称］；" \
           "中心组学习秘书；机关党委［不像单位名称］" in lines


def test_merging_into_a_unit_that_is_gone_saves_nothing():
    gone = OrganisationFactory(name="已删除的单位")
    Organisation.objects.filter(pk=gone.pk).delete()  # deleted by someone since the preview
    result = archive_import_file(path=HEBEI, unit_choices={
        "副书记": UnitChoice(action=UnitAction.MERGE, organisation=gone)})
    assert result.error == (f"{HEBEI.name}：数据不符合要求："
                            "版记中的“副书记”要并入的单位已不在名录中，请重新选择。")
    assert not Issue.objects.exists()
    assert not Organisation.objects.exists()


def test_a_unit_already_in_the_directory_is_reused_whatever_its_name():
    OrganisationFactory(name="办公室")  # created on purpose before: no longer a question
    result = archive_import_file(path=HEBEI)
    assert "办公室" not in result.issues[0].fragments
    assert ("发", "办公室") in recipients(hebei_issue())


def test_the_command_keeps_fragments_out_by_default_and_says_how_to_choose():
    out = StringIO()
    call_command("import_archive", str(HEBEI), stdout=out)
    assert "只照印在版记中、不在名录新建 6 个：各市［不像单位名称］" in out.getvalue()
    assert "命令行用 --merge-unit 名称=已有单位 或 --fragments create" in out.getvalue()
    assert not Organisation.objects.filter(name__in=FRAGMENTS).exists()


def test_the_command_creates_fragments_when_asked():
    call_command("import_archive", str(HEBEI), "--fragments", "create", stdout=StringIO())
    assert set(FRAGMENTS) <= set(Organisation.objects.values_list("name", flat=True))
    assert reprinted_distribution(hebei_issue()) == ORIGINAL


def test_the_command_merges_names_into_existing_units():
    OrganisationFactory(name="中共河北省委办公厅")
    out = StringIO()
    call_command("import_archive", str(HEBEI), "--merge-unit", "办公室=中共河北省委办公厅",
                 "--merge-unit", "副书记 = 中共河北省委办公厅", stdout=out)
    assert "  并入已有单位 2 个：副书记［不像单位名称］ → 中共河北省委办公厅；" \
           "办公室［不像单位名称］ → 中共河北省委办公厅" in out.getvalue().splitlines()
    assert ("发", "中共河北省委办公厅") in recipients(hebei_issue())
    assert not Organisation.objects.filter(name__in=FRAGMENTS).exists()


@pytest.mark.parametrize(("argument", "message"), [
    ("办公室=不存在的单位", "--merge-unit：名录中没有单位“不存在的单位”。"),
    ("办公室", "--merge-unit 应写成“名称=已有单位”：办公室"),
])
def test_the_command_refuses_a_wrong_merge_before_importing(argument, message):
    with pytest.raises(CommandError, match=message):
        call_command("import_archive", str(HEBEI), "--merge-unit", argument, stdout=StringIO())
    assert not Issue.objects.exists()


def test_the_command_refuses_an_unknown_fragment_policy():
    with pytest.raises(CommandError, match="invalid choice: 'merge'"):
        call_command("import_archive", str(HEBEI), "--fragments", "merge", stdout=StringIO())
