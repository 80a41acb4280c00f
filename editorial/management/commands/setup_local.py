"""Prepare a local installation: editor group, an admin login, the seed archive."""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand

from bulletins.models import Issue
from editorial.permissions import ensure_role_groups

LOGIN_FILE = Path(settings.BASE_DIR) / "var" / "local-admin-login.txt"


class Command(BaseCommand):
    help = "为本机使用做准备：编辑组、管理员账号、导入 seeds/ 中的往期简报。"

    def handle(self, *args, **options) -> None:
        ensure_role_groups()
        username, password = self._ensure_admin()
        if not Issue.objects.exists() and "import_archive" in get_commands():
            call_command("import_archive", str(Path(settings.BASE_DIR) / "seeds"))
        self.stdout.write(self.style.SUCCESS(
            f"本机管理员登录：http://127.0.0.1:8000/admin/  用户名 {username}  密码 {password}"))

    def _ensure_admin(self) -> tuple[str, str]:
        username = "admin"
        user_model = get_user_model()
        if LOGIN_FILE.exists() and user_model.objects.filter(username=username).exists():
            return username, LOGIN_FILE.read_text().strip()
        password = secrets.token_urlsafe(12)
        user, _ = user_model.objects.get_or_create(username=username)
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        LOGIN_FILE.parent.mkdir(parents=True, exist_ok=True)
        LOGIN_FILE.write_text(password)
        LOGIN_FILE.chmod(0o600)
        return username, password
