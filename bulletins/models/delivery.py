"""Electronic delivery of printed issues to the units on their 版记: 收文员, 签收, 催收 and view records."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from bulletins.models.issues import Issue
from bulletins.models.reference import Organisation


class UnitReader(models.Model):
    """A 收文员: a user who receives and signs for issues on behalf of a unit (one may serve several)."""

    unit = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="readers",
                             verbose_name="单位")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="reader_units", verbose_name="收文员")
    created_at = models.DateTimeField("设置时间", default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   blank=True, editable=False, related_name="+", verbose_name="设置人")

    class Meta:
        verbose_name = "收文员"
        verbose_name_plural = "收文员"
        ordering = ["unit", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "user"], name="unique_unit_reader",
                                    violation_error_message="该用户已是本单位的收文员。"),
        ]

    def __str__(self) -> str:
        return f"{self.unit}：{self.user}"


class DeliveryQuerySet(models.QuerySet):
    def for_reader(self, user) -> DeliveryQuerySet:
        """The deliveries to the units this user reads for."""
        return self.filter(unit__readers__user=user)

    def unsigned(self) -> DeliveryQuerySet:
        return self.filter(signed_at__isnull=True)


class Delivery(models.Model):
    """One receiving unit's copy of a printed issue: when it arrived, was opened, signed for, reminded."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="deliveries",
                              verbose_name="期")
    unit = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="deliveries",
                             verbose_name="收文单位")
    role = models.CharField("发送方式", max_length=8, help_text="报、送、发、抄送或本期增发。")
    delivered_at = models.DateTimeField("送达时间", default=timezone.now, db_index=True)
    opened_at = models.DateTimeField("首次打开", null=True, blank=True)
    last_opened_at = models.DateTimeField("最近打开", null=True, blank=True)
    open_count = models.PositiveIntegerField("打开次数", default=0)
    signed_at = models.DateTimeField("签收时间", null=True, blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                  blank=True, related_name="+", verbose_name="签收人")
    signed_by_name = models.CharField("签收人姓名", max_length=150, blank=True,
                                      help_text="记录当时的姓名，用户改名或删除后仍可查。")
    reminders = models.PositiveIntegerField("催收次数", default=0)
    last_reminded_at = models.DateTimeField("最近催收", null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = "送达"
        verbose_name_plural = "送达"
        ordering = ["issue", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "unit"], name="unique_delivery_per_unit",
                                    violation_error_message="本期已送达该单位。"),
            models.CheckConstraint(
                condition=Q(signed_at__isnull=True) | Q(signed_at__gte=models.F("delivered_at")),
                name="delivery_signed_after_delivered",
                violation_error_message="签收时间不能早于送达时间。"),
        ]
        indexes = [models.Index(fields=["unit", "delivered_at"], name="delivery_unit_time")]
        permissions = [
            ("sign_for_delivery", "可以签收简报"),
            ("remind_delivery", "可以催收简报"),
        ]

    def __str__(self) -> str:
        return f"{self.issue_id}→{self.unit}"

    @property
    def state(self) -> str:
        """已签收, 已打开未签收 or 未打开, as the office's page groups them."""
        if self.signed_at:
            return "已签收"
        return "已打开未签收" if self.opened_at else "未打开"


class DeliveryView(models.Model):
    """How often one reader opened one issue: one row per reader and issue, with a count."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="reader_views",
                              verbose_name="期")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name="阅读人")
    count = models.PositiveIntegerField("次数", default=1)
    first_at = models.DateTimeField("首次", default=timezone.now)
    last_at = models.DateTimeField("最近", default=timezone.now)

    class Meta:
        verbose_name = "阅读记录"
        verbose_name_plural = "阅读记录"
        constraints = [
            models.UniqueConstraint(fields=["issue", "user"], name="unique_view_per_reader"),
        ]

    def __str__(self) -> str:
        return f"{self.user} × {self.count}"


class DeliveryEvent(models.Model):
    """One step of a delivery (送达, 打开, 签收, 催收), written with the step; never changed."""

    class Action(models.TextChoices):
        DELIVERED = "delivered", "送达"
        OPENED = "opened", "打开"
        SIGNED = "signed", "签收"
        REMINDED = "reminded", "催收"

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="events",
                                 verbose_name="送达")
    action = models.CharField("操作", max_length=20, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="+", verbose_name="操作人")
    actor_name = models.CharField("操作人姓名", max_length=150, blank=True)
    automatic = models.BooleanField("自动", default=False)
    created_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "送达记录"
        verbose_name_plural = "送达记录"
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.delivery} {self.get_action_display()}"
