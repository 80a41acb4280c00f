"""Import in the admin: preview (a rolled-back dry run), then confirm; permissions."""

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bulletins.models import DistributionList, Organisation
from tests.factories import OrganisationFactory, PublicationFactory

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:bulletins_organisation_import")


def _upload(text, *, encoding="utf-8", name="单位.csv"):
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def _preview(client, text, **kwargs):
    return client.post(IMPORT_URL, {"format": "0", "import_file": _upload(text, **kwargs)})


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_preview_saves_nothing_and_confirm_imports(client, admin_user, encoding):
    OrganisationFactory(name="中央协调办", copies=1)
    client.force_login(admin_user)
    response = _preview(client, "单位名称,份数\n省社科院,4\n中央协调办,2\n", encoding=encoding)

    assert response.status_code == 200
    result = response.context["result"]
    assert (result.totals["new"], result.totals["update"]) == (1, 1)
    assert not Organisation.objects.filter(name="省社科院").exists()
    assert Organisation.objects.get(name="中央协调办").copies == 1

    confirm = response.context["confirm_form"]
    response = client.post(reverse("admin:bulletins_organisation_process_import"),
                           {key: confirm.initial[key] for key in
                            ("import_file_name", "original_file_name", "format", "resource")})
    assert response.status_code == 302
    assert Organisation.objects.get(name="省社科院").copies == 4
    assert Organisation.objects.get(name="中央协调办").copies == 2


def test_a_bad_file_lists_its_rows_in_chinese_and_offers_no_confirm(client, admin_user):
    client.force_login(admin_user)
    response = _preview(client, "单位名称,份数\n省社科院,4\n省委党校,两份\n")
    assert response.status_code == 200
    assert "confirm_form" not in response.context
    [invalid] = response.context["result"].invalid_rows
    assert (invalid.number, invalid.error_dict) == (2, {"份数": ["“两份”不是整数。"]})
    assert "“两份”不是整数。" in response.content.decode()
    assert not Organisation.objects.exists()


def test_an_unknown_member_stops_a_list_import(client, admin_user):
    PublicationFactory(slug="gzjb")
    client.force_login(admin_user)
    upload = _upload("刊物,名单名称,发送方式,单位\ngzjb,发：各设区市,发,南京市委宣传部\n")
    response = client.post(reverse("admin:bulletins_distributionlist_import"),
                           {"format": "0", "import_file": upload})
    [invalid] = response.context["result"].invalid_rows
    assert invalid.error_dict == {"单位": ["未找到单位：“南京市委宣传部”。请先导入或新建这些单位。"]}
    assert not DistributionList.objects.exists()


def test_import_needs_the_add_permission_and_export_the_view_permission(client):
    user = User.objects.create_user("reader", password="pw", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_organisation"))
    client.force_login(user)
    assert client.get(IMPORT_URL).status_code == 403
    assert client.post(IMPORT_URL, {"format": "0",
                                    "import_file": _upload("单位名称\n甲\n")}).status_code == 403
    assert client.get(reverse("admin:bulletins_organisation_export")).status_code == 200
    assert not Organisation.objects.exists()


@pytest.mark.parametrize("model", ["organisation", "distributionlist", "issue", "article"])
def test_every_resource_has_import_and_export_pages(client, admin_user, model):
    client.force_login(admin_user)
    assert client.get(reverse(f"admin:bulletins_{model}_import")).status_code == 200
    assert client.get(reverse(f"admin:bulletins_{model}_export")).status_code == 200


def test_the_issue_list_keeps_its_archive_link_beside_import_and_export(client, admin_user):
    client.force_login(admin_user)
    page = client.get(reverse("admin:bulletins_issue_changelist")).content.decode()
    assert "导入往期简报" in page
    assert reverse("admin:bulletins_issue_import") in page
    assert reverse("admin:bulletins_issue_export") in page
