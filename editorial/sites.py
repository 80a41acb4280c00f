"""The admin site of the editorial office: its index page is the workbench."""

from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model

from editorial.workbench import workbench_for

WRONG_LOGIN = "登录名或密码不正确，请重新输入（密码区分大小写）。"
INACTIVE_LOGIN = "您的账号已停用，请联系编辑部管理人员。"
NO_ROLE_LOGIN = "密码正确，但您的账号还没有编辑部的角色，不能进入编辑系统；请联系编辑部管理人员分配角色。"


class PlainLoginForm(AdminAuthenticationForm):
    """Says what is wrong in plain words: the password, a stopped account, or no role yet."""

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError as error:
            if error.code == "invalid_login":
                raise forms.ValidationError(self._reason(), code="invalid_login") from error
            raise

    def confirm_login_allowed(self, user):
        if not user.is_active:
            raise forms.ValidationError(INACTIVE_LOGIN, code="inactive")
        if not user.is_staff:
            raise forms.ValidationError(NO_ROLE_LOGIN, code="no_role")

    def _reason(self) -> str:
        # ModelBackend refuses inactive users before their password is asked: tell them.
        username = self.cleaned_data.get("username") or ""
        password = self.cleaned_data.get("password") or ""
        user = get_user_model().objects.filter(username=username).first()
        if user is not None and not user.is_active and user.check_password(password):
            return INACTIVE_LOGIN
        return WRONG_LOGIN


class EditorialAdminSite(admin.AdminSite):
    site_header = "简报编辑印发系统"
    site_title = "简报编辑印发系统"
    index_title = "编辑工作台"
    index_template = "admin/workbench.html"
    login_form = PlainLoginForm

    def index(self, request, extra_context=None):
        return super().index(request, {"workbench": workbench_for(request.user), **(extra_context or {})})
