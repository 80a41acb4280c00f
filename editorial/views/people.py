"""人员与角色: the office's people, who holds which role, add / reset password / deactivate."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from editorial.people import (
    MANAGE_PERMISSION,
    ROLES,
    display_name,
    person_create,
    person_reset_password,
    person_set_active,
    person_set_roles,
    role_holders,
)

CREATED_MESSAGE = "已添加{name}（登录名 {username}），初始密码：{password}。密码只显示这一次，请转告本人。"
RESET_MESSAGE = "{name}的新密码：{password}。密码只显示这一次，请转告本人。"
ROLES_MESSAGE = "{name}的角色已改为：{roles}。"
DEACTIVATED_MESSAGE = "已停用{name}的账号：不能再登录，已做的工作仍署其名。"
ACTIVATED_MESSAGE = "已重新启用{name}的账号。"


def _role_choices():
    return [(role, role) for role in ROLES]


class PersonForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=150)
    username = forms.CharField(label="登录名", max_length=150,
                               help_text="字母、数字或 @/./+/-/_，登录时输入。")
    roles = forms.MultipleChoiceField(label="角色", choices=_role_choices,
                                      widget=forms.CheckboxSelectMultiple,
                                      help_text="勾选角色即可登录：撰稿、编辑、审核、签发进入编辑系统，"
                                                "读者、收文员进入阅览室。")


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(label="角色", choices=_role_choices,
                                      widget=forms.CheckboxSelectMultiple)


def _page(request: HttpRequest, form: PersonForm) -> HttpResponse:
    people = get_user_model().objects.filter(is_superuser=False).prefetch_related("groups") \
        .order_by("-is_active", "username")
    rows = [(person, [g.name for g in person.groups.all() if g.name in ROLES]) for person in people]
    return render(request, "admin/people.html", {
        **admin.site.each_context(request), "title": "人员与角色", "form": form,
        "rows": rows, "holders": role_holders(), "roles": ROLES, "display_name": display_name,
    })


def _form_errors(form: forms.Form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


@permission_required(MANAGE_PERMISSION, raise_exception=True)
def people_view(request: HttpRequest) -> HttpResponse:
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = person_create(name=data["name"], username=data["username"],
                                    roles=data["roles"], by=request.user)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, CREATED_MESSAGE.format(
                name=data["name"], username=created.user.username, password=created.password))
            return redirect("editorial:people")
    return _page(request, form)


def _person(pk: int):
    return get_object_or_404(get_user_model().objects.filter(is_superuser=False), pk=pk)


@require_POST
@permission_required(MANAGE_PERMISSION, raise_exception=True)
def person_roles_view(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(pk)
    form = RolesForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors.get("roles") or ["请至少勾选一个角色。"])
        person_set_roles(user=person, roles=form.cleaned_data["roles"], by=request.user)
    except ValidationError as error:
        messages.error(request, f"{display_name(person)}：{'；'.join(error.messages)}")
    else:
        messages.success(request, ROLES_MESSAGE.format(name=display_name(person),
                                                       roles="、".join(form.cleaned_data["roles"])))
    return redirect("editorial:people")


@require_POST
@permission_required(MANAGE_PERMISSION, raise_exception=True)
def person_password_view(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(pk)
    reset = person_reset_password(user=person, by=request.user)
    messages.success(request, RESET_MESSAGE.format(name=display_name(person), password=reset.password))
    return redirect("editorial:people")


@require_POST
@permission_required(MANAGE_PERMISSION, raise_exception=True)
def person_active_view(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(pk)
    active = request.POST.get("active") == "1"
    try:
        person_set_active(user=person, active=active, by=request.user)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        template = ACTIVATED_MESSAGE if active else DEACTIVATED_MESSAGE
        messages.success(request, template.format(name=display_name(person)))
    return redirect("editorial:people")
