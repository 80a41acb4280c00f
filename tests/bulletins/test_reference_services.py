"""Publications, columns, organisations and distribution lists change through their services,
each change on record with who made it; the admin and the spreadsheet import use them."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from import_export.formats.base_formats import CSV
from reversion.models import Version

from bulletins.models import Column, DistributionList, Organisation, Role
from bulletins.resources import DistributionListResource, OrganisationResource, result_errors
from bulletins.services import issue_create
from bulletins.services.reference import distribution_list_set_members, reference_delete, reference_save
from tests.editorial.admin_forms import change_form_data
from tests.factories import (
    ArticleFactory,
    ColumnFactory,
    DistributionListFactory,
    OrganisationFactory,
    PublicationFactory,
)

pytestmark = pytest.mark.django_db


def _last_revision(record):
    return Version.objects.get_for_object(record).select_related("revision__user").first().revision


def test_a_saved_organisation_is_on_record_with_its_user(admin_user):
    organisation = reference_save(record=Organisation(name="镇江市委宣传部"), by=admin_user)
    organisation.short_name = "镇江宣传部"
    reference_save(record=organisation, by=admin_user)

    revisions = [v.revision for v in Version.objects.get_for_object(organisation)]
    assert [r.get_comment() for r in revisions] == ["修改单位“镇江市委宣传部”", "新建单位“镇江市委宣传部”"]
    assert {r.user for r in revisions} == {admin_user}
    assert Version.objects.get_for_object(organisation)[0].field_dict["short_name"] == "镇江宣传部"


def test_an_invalid_record_is_refused_with_its_message_and_nothing_saved(admin_user):
    OrganisationFactory(name="镇江市委宣传部")
    with pytest.raises(ValidationError) as refusal:
        reference_save(record=Organisation(name="镇江市委宣传部"), by=admin_user)
    assert refusal.value.message_dict == {"name": ["已有同名单位。"]}
    assert Organisation.objects.count() == 1
    assert not Version.objects.exists()


def test_an_organisation_in_use_cannot_be_deleted(admin_user):
    organisation = OrganisationFactory(name="中央协调办")
    DistributionListFactory().members.create(organisation=organisation, position=0)
    with pytest.raises(ValidationError) as refusal:
        reference_delete(record=organisation, by=admin_user)
    assert refusal.value.messages == ["“中央协调办”仍被名单成员使用，不能删除。"]
    assert Organisation.objects.filter(pk=organisation.pk).exists()


def test_a_column_with_articles_cannot_be_deleted(admin_user):
    column = ColumnFactory(name="上情下达")
    ArticleFactory(column=column, issue=issue_create(publication=column.publication,
                                                     date=datetime.date(2024, 1, 5)))
    with pytest.raises(ValidationError) as refusal:
        reference_delete(record=column, by=admin_user)
    assert refusal.value.messages == ["“上情下达”仍被文章使用，不能删除。"]


def test_a_deleted_record_keeps_its_last_state_on_record(admin_user):
    organisation = OrganisationFactory(name="已撤销单位", contact="李四 12345")
    reference_delete(record=organisation, by=admin_user)
    assert not Organisation.objects.exists()
    deleted = Version.objects.get_deleted(Organisation).get()
    assert deleted.field_dict["contact"] == "李四 12345"
    assert deleted.revision.user == admin_user
    assert deleted.revision.get_comment() == "删除单位“已撤销单位”"


def test_setting_a_lists_members_replaces_them_in_order(admin_user):
    distribution_list = DistributionListFactory()
    a, b, c = (OrganisationFactory(name=name) for name in ("甲单位", "乙单位", "丙单位"))
    distribution_list_set_members(distribution_list=distribution_list, organisations=[a, b], by=admin_user)
    distribution_list_set_members(distribution_list=distribution_list, organisations=[c, a], by=admin_user)
    assert distribution_list.member_organisations() == [c, a]
    assert _last_revision(distribution_list).user == admin_user


def test_the_spreadsheet_import_records_its_user(admin_user):
    PublicationFactory(name="工作简报", name_prefix="学习型组织")
    OrganisationFactory(name="中央协调办")
    rows = "单位名称,简称,通常发送方式,份数,联系人及电话,邮寄地址,邮编,有效\n镇江市委,,送,2,,,,是\n"
    result = OrganisationResource().import_data(CSV().create_dataset(rows), user=admin_user)
    assert result_errors(result) == []
    assert _last_revision(Organisation.objects.get(name="镇江市委")).user == admin_user

    rows = ("刊物,名单名称,发送方式,新一期默认使用,顺序,单位\n"
            "学习型组织 工作简报,报：上级,报,是,1,中央协调办;镇江市委\n")
    result = DistributionListResource().import_data(CSV().create_dataset(rows), user=admin_user)
    assert result_errors(result) == []
    imported = DistributionList.objects.get(name="报：上级")
    assert [o.name for o in imported.member_organisations()] == ["中央协调办", "镇江市委"]
    assert _last_revision(imported).user == admin_user


def _publication_form(publication, columns, **changes):
    data = {
        "name_prefix": publication.name_prefix, "name": publication.name,
        "short_name": publication.short_name, "slug": publication.slug,
        "marking": publication.marking, "issuing_office": publication.issuing_office,
        "numbering": publication.numbering, "total_number_offset": publication.total_number_offset,
        "column_decoration": publication.column_decoration,
        "default_print_run": publication.default_print_run or "",
        "print_run_reserve": publication.print_run_reserve,
        "editorial_block": publication.editorial_block,
        "columns-TOTAL_FORMS": len(columns), "columns-INITIAL_FORMS": len(columns),
        "columns-MIN_NUM_FORMS": 0, "columns-MAX_NUM_FORMS": 1000,
    }
    for flag in ("has_total_number", "prints_toc", "toc_shows_pages", "double_sided",
                 "number_first_page", "number_tail_page"):
        if getattr(publication, flag):
            data[flag] = "on"
    for index, column in enumerate(columns):
        data |= {f"columns-{index}-id": column.get("id", ""), f"columns-{index}-name": column["name"],
                 f"columns-{index}-position": column["position"], f"columns-{index}-active": "on",
                 f"columns-{index}-publication": publication.pk}
        if column.get("DELETE"):
            data[f"columns-{index}-DELETE"] = "on"
    return data | changes


def test_the_publication_page_saves_the_publication_and_its_columns_on_record(client, admin_user):
    publication = PublicationFactory()
    kept, dropped = ColumnFactory(publication=publication, name="上情下达", position=0), \
        ColumnFactory(publication=publication, name="旧栏目", position=1)
    client.force_login(admin_user)
    columns = [{"id": kept.pk, "name": "上情下达", "position": 0},
               {"id": dropped.pk, "name": "旧栏目", "position": 1, "DELETE": True},
               {"name": "基层动态", "position": 2}]
    data = _publication_form(publication, columns, marking="内部资料")
    data["columns-TOTAL_FORMS"] = 3
    data["columns-INITIAL_FORMS"] = 2
    response = client.post(reverse("admin:bulletins_publication_change", args=[publication.pk]), data)

    assert response.status_code == 302, response.content.decode()[:3000]
    publication.refresh_from_db()
    assert publication.marking == "内部资料"
    assert list(publication.columns.values_list("name", flat=True)) == ["上情下达", "基层动态"]
    added = Column.objects.get(name="基层动态")
    assert _last_revision(added).user == admin_user
    assert _last_revision(publication).get_comment() == f"修改刊物“{publication}”"
    assert Version.objects.get_deleted(Column).get().field_dict["name"] == "旧栏目"


def test_deleting_organisations_from_the_list_goes_through_the_service(client, admin_user):
    unused = [OrganisationFactory(name=name) for name in ("甲单位", "乙单位")]
    client.force_login(admin_user)
    response = client.post(reverse("admin:bulletins_organisation_changelist"), {
        "action": "delete_selected", "_selected_action": [o.pk for o in unused], "post": "yes"})
    assert response.status_code == 302
    assert not Organisation.objects.exists()
    assert {v.revision.user for v in Version.objects.get_deleted(Organisation)} == {admin_user}


def test_a_list_role_change_in_the_admin_is_on_record(client, admin_user):
    distribution_list = DistributionListFactory(role=Role.SEND)
    client.force_login(admin_user)
    url = reverse("admin:bulletins_distributionlist_change", args=[distribution_list.pk])
    response = client.post(url, {
        "publication": distribution_list.publication.pk, "name": distribution_list.name,
        "role": Role.REPORT, "position": 0,
        "members-TOTAL_FORMS": 0, "members-INITIAL_FORMS": 0,
        "members-MIN_NUM_FORMS": 0, "members-MAX_NUM_FORMS": 1000})
    assert response.status_code == 302, response.content.decode()[:3000]
    distribution_list.refresh_from_db()
    assert distribution_list.role == Role.REPORT
    assert _last_revision(distribution_list).user == admin_user


def test_a_column_added_on_the_publication_page_comes_last(client, admin_user):
    publication = PublicationFactory()
    for position, name in enumerate(["上情下达", "基层动态"], start=1):
        ColumnFactory(publication=publication, name=name, position=position)
    client.force_login(admin_user)
    url = reverse("admin:bulletins_publication_change", args=[publication.pk])
    data = change_form_data(client.get(url))
    assert data["columns-2-position"] == 0  # the blank row, as the browser posts it
    data["columns-2-name"] = "经验交流"
    response = client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(publication.columns.values_list("name", flat=True)) == ["上情下达", "基层动态", "经验交流"]


def test_an_organisation_added_on_the_list_page_comes_last(client, admin_user):
    distribution_list = DistributionListFactory()
    distribution_list_set_members(distribution_list=distribution_list, by=admin_user, organisations=[
        OrganisationFactory(name="甲单位"), OrganisationFactory(name="乙单位")])
    client.force_login(admin_user)
    url = reverse("admin:bulletins_distributionlist_change", args=[distribution_list.pk])
    data = change_form_data(client.get(url))
    assert data["members-2-position"] == 0
    data["members-2-organisation"] = OrganisationFactory(name="丙单位").pk
    response = client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    assert [o.name for o in distribution_list.member_organisations()] == ["甲单位", "乙单位", "丙单位"]
