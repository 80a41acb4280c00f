"""人员与角色: a manager adds a person with roles (who can then log in at once), resets a
password, deactivates; the page lists who holds which role; the login error says what is wrong."""

import re

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission, User
from django.test import Client
from django.urls import reverse

from editorial.people import person_create
from editorial.permissions import EDITOR_GROUP, WRITER_GROUP
from editorial.sites import INACTIVE_LOGIN, NO_ROLE_LOGIN, WRONG_LOGIN

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager():
    user = User.objects.create_user("guanli", password="pw", is_staff=True, last_name="管理员")
    user.user_permissions.add(Permission.objects.get(codename="change_user"))
    return user


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def password_in(response) -> str:
    text = " ".join(str(m) for m in response.context["messages"])
    return re.search(r"密码：(\w+)。", text).group(1)


def log_in(username, password) -> tuple[Client, str]:
    client = Client()
    response = client.post(reverse("admin:login"), {"username": username, "password": password,
                                                     "next": "/admin/"})
    return client, response.content.decode() if response.status_code == 200 else ""


def test_a_person_added_with_the_role_writer_logs_in_at_once(manager):
    response = logged_in(manager).post(reverse("editorial:people"),
                                       {"name": "张三", "username": "zhangsan", "roles": [WRITER_GROUP]},
                                       follow=True)
    password = password_in(response)
    user = User.objects.get(username="zhangsan")
    assert user.last_name == "张三" and user.is_staff and user.is_active
    assert list(user.groups.values_list("name", flat=True)) == [WRITER_GROUP]
    client, page = log_in("zhangsan", password)
    assert page == ""  # redirected: logged in
    assert client.get("/admin/").status_code == 200
    entry = LogEntry.objects.get(object_id=str(user.pk))
    assert entry.user == manager and "撰稿" in entry.change_message


def test_the_page_lists_who_holds_which_role(manager):
    person_create(name="李四", username="lisi", roles=[EDITOR_GROUP, WRITER_GROUP], by=manager)
    person_create(name="王五", username="wangwu", roles=[WRITER_GROUP], by=manager)
    page = logged_in(manager).get(reverse("editorial:people")).content.decode()
    assert "<th scope=\"row\">撰稿</th><td>李四、王五</td>" in page
    assert "<th scope=\"row\">编辑</th><td>李四</td>" in page
    assert "<th scope=\"row\">签发</th><td>（无人）</td>" in page


def test_adding_needs_a_role_and_a_free_login_name(manager):
    person_create(name="李四", username="lisi", roles=[WRITER_GROUP], by=manager)
    client = logged_in(manager)
    page = client.post(reverse("editorial:people"), {"name": "李四", "username": "LiSi",
                                                     "roles": [WRITER_GROUP]}).content.decode()
    assert "登录名“LiSi”已被使用，请换一个。" in page
    page = client.post(reverse("editorial:people"), {"name": "赵六", "username": "zhaoliu"}).content.decode()
    assert "这个字段是必填项。" in page
    assert not User.objects.filter(username="zhaoliu").exists()


def test_reset_password_and_deactivate(manager):
    person = person_create(name="李四", username="lisi", roles=[WRITER_GROUP], by=manager).user
    client = logged_in(manager)
    response = client.post(reverse("editorial:person_password", args=[person.pk]), follow=True)
    new = password_in(response)
    assert log_in("lisi", new)[1] == ""
    response = client.post(reverse("editorial:person_active", args=[person.pk]), {"active": "0"}, follow=True)
    assert "已停用李四的账号" in response.content.decode()
    assert INACTIVE_LOGIN in log_in("lisi", new)[1]


def test_roles_change_who_may_enter_the_admin(manager):
    person = person_create(name="李四", username="lisi", roles=[WRITER_GROUP], by=manager)
    logged_in(manager).post(reverse("editorial:person_roles", args=[person.user.pk]), {"roles": ["读者"]})
    person.user.refresh_from_db()
    assert not person.user.is_staff
    assert list(person.user.groups.values_list("name", flat=True)) == ["读者"]
    assert NO_ROLE_LOGIN in log_in("lisi", person.password)[1]


def test_the_login_error_says_what_is_wrong():
    User.objects.create_user("liu", password="right", is_staff=True)
    User.objects.create_user("chen", password="right")  # in no role
    assert WRONG_LOGIN in log_in("liu", "wrong")[1]
    assert NO_ROLE_LOGIN in log_in("chen", "right")[1]
    assert "工作人员" not in log_in("chen", "right")[1]


def test_only_a_manager_opens_the_page():
    editor = User.objects.create_user("bianji", password="pw", is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITOR_GROUP))
    assert logged_in(editor).get(reverse("editorial:people")).status_code == 403
    assert logged_in(editor).post(reverse("editorial:people"), {"name": "x", "username": "x",
                                                               "roles": [WRITER_GROUP]}).status_code == 403
