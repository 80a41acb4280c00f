"""The automatic 催收, for cron: remind the units not signed after their publication's N working days.

    15 9 * * 1-5  cd /srv/bulletins && .venv/bin/python manage.py remind_deliveries

Each unit is reminded again every N working days until it signs; running it twice the same day
reminds nobody twice.
"""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError

from bulletins.services.delivery import remind_overdue


class Command(BaseCommand):
    help = "自动催收：送达后满所设工作日仍未签收的单位，发催收邮件并记录。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按这一天计算（YYYY-MM-DD），默认今天。")

    def handle(self, *args, date=None, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else None
        except ValueError as error:
            raise CommandError("日期格式应为 2026-12-04。") from error
        reminded = remind_overdue(today=today)
        for delivery in reminded:
            self.stdout.write(f"{delivery.issue}\t{delivery.unit.name}\t第{delivery.reminders}次催收")
        self.stdout.write(f"共催收{len(reminded)}个单位。")
