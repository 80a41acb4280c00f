"""信息报送: units' reporters submit items, the office adopts them into issues, and scores the units."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q

from bulletins.models import Article, Issue, Organisation

ATTACHMENT_EXTENSIONS = ["pdf", "doc", "docx", "wps", "xls", "xlsx", "et", "jpg", "jpeg", "png"]
EVIDENCE_EXTENSIONS = ["pdf", "jpg", "jpeg", "png"]


class Kind(models.TextChoices):
    NEWS = "动态", "动态"
    PRACTICE = "经验", "经验"
    PROBLEM = "问题", "问题"
    PROPOSAL = "建议", "建议"
    CALL_REPLY = "约稿回复", "约稿回复"
    URGENT = "紧急信息", "紧急信息"


class Level(models.TextChoices):
    """The tier of a publication that adopted an item, or of the leader who wrote a 批示 on it."""

    COUNTY = "county", "县级"
    CITY = "city", "市级"
    PROVINCE = "province", "省级"
    NATIONAL = "national", "国家级"


class Reporter(models.Model):
    """A 信息员: a user who reports for one organisation of the directory."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="intake_reporter", verbose_name="用户")
    unit = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="intake_reporters",
                             verbose_name="所属单位")

    class Meta:
        verbose_name = "信息员"
        verbose_name_plural = "信息员"
        ordering = ["unit", "user"]

    def __str__(self) -> str:
        return f"{self.unit}：{self.user.get_full_name() or self.user.get_username()}"


class CallQuerySet(models.QuerySet):
    def addressed_to(self, unit_id: int) -> CallQuerySet:
        return self.filter(Q(all_units=True) | Q(units=unit_id)).distinct()


class Call(models.Model):
    """约稿: the office asks some units (or all) for items on a subject by a deadline."""

    subject = models.CharField("约稿主题", max_length=200)
    request = models.TextField("约稿要求")
    deadline = models.DateField("截止日期")
    all_units = models.BooleanField("面向全部单位", default=False)
    units = models.ManyToManyField(Organisation, blank=True, related_name="intake_calls",
                                   verbose_name="约稿单位", help_text="不选则发给所有有信息员的单位。")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+", verbose_name="发出人")
    created_at = models.DateTimeField("发出时间", auto_now_add=True)
    reminded_at = models.DateTimeField("最近催报时间", null=True, blank=True)

    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = "约稿通知"
        verbose_name_plural = "约稿通知"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.subject


class SubmissionQuerySet(models.QuerySet):
    def of_unit(self, unit_id: int) -> SubmissionQuerySet:
        return self.filter(unit_id=unit_id)

    def submitted(self) -> SubmissionQuerySet:
        """Everything the office has received (not a draft)."""
        return self.exclude(status=Submission.Status.DRAFT)

    def waiting(self) -> SubmissionQuerySet:
        return self.filter(status=Submission.Status.SUBMITTED)


class Submission(models.Model):
    class Status(models.TextChoices):
        """草稿 → 待采编 → 已采编 / 退稿 / 存档; withdrawn back to 草稿 before the office acts."""

        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "待采编"
        ADOPTED = "adopted", "已采编"
        REJECTED = "rejected", "退稿"
        ARCHIVED = "archived", "存档"

    unit = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="intake_submissions",
                             verbose_name="报送单位")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="+", verbose_name="信息员")
    call = models.ForeignKey(Call, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="replies", verbose_name="所答约稿")
    title = models.CharField("标题", max_length=300)
    body = models.TextField("正文", blank=True)
    kind = models.CharField("类别", max_length=10, choices=Kind.choices, default=Kind.NEWS)
    contact = models.CharField("联系人及电话", max_length=200, blank=True)
    attachment = models.FileField("附件", upload_to="intake/", blank=True,
                                  validators=[FileExtensionValidator(ATTACHMENT_EXTENSIONS)],
                                  help_text="PDF、Word、WPS、Excel 或图片。")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT,
                              db_index=True)
    reply = models.TextField("编辑部答复", blank=True, help_text="退稿理由或存档说明，报送单位可见。")
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True, db_index=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+", verbose_name="采编人")
    handled_at = models.DateTimeField("采编时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = "报送信息"
        verbose_name_plural = "报送信息"
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["unit", "submitted_at"], name="intake_sub_unit_time")]
        constraints = [
            models.CheckConstraint(condition=Q(status="draft") | Q(submitted_at__isnull=False),
                                   name="intake_submitted_has_time",
                                   violation_error_message="已报送的信息须有报送时间。"),
        ]
        permissions = [
            ("report_submission", "可以报送信息"),
            ("handle_submission", "可以采编报送信息"),
            ("view_report", "可以查看信息工作考核"),
        ]

    def __str__(self) -> str:
        return self.title


class AdoptionQuerySet(models.QuerySet):
    def final(self) -> AdoptionQuerySet:
        """Adoptions that count: their article is in an issue that has been printed. An article the
        editor removed from the draft afterwards leaves its adoption without one, counting nothing."""
        return self.filter(issue__status=Issue.Status.PUBLISHED, article__isnull=False)


class Adoption(models.Model):
    """An item adopted into an issue of the office's own publication; final once the issue is printed."""

    class Mode(models.TextChoices):
        SINGLE = "single", "单篇采用"
        COMBINED = "combined", "综合采用"

    submission = models.OneToOneField(Submission, on_delete=models.CASCADE, related_name="adoption",
                                      verbose_name="报送信息")
    issue = models.ForeignKey(Issue, on_delete=models.PROTECT, related_name="intake_adoptions",
                              verbose_name="采用期")
    article = models.ForeignKey(Article, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="intake_adoptions", verbose_name="文章")
    mode = models.CharField("采用方式", max_length=10, choices=Mode.choices)
    adopted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+", verbose_name="采用人")
    adopted_at = models.DateTimeField("采用时间", auto_now_add=True)

    objects = AdoptionQuerySet.as_manager()

    class Meta:
        verbose_name = "采用记录"
        verbose_name_plural = "采用记录"
        ordering = ["-adopted_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.submission}（{self.get_mode_display()}）"

    @property
    def is_final(self) -> bool:
        return self.article_id is not None and self.issue.status == Issue.Status.PUBLISHED


class Recognition(models.Model):
    """Credit earned elsewhere: adopted by a higher-level publication, or a leader's 批示."""

    class Kind(models.TextChoices):
        HIGHER = "higher", "上级采用"
        INSTRUCTION = "instruction", "领导批示"

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="recognitions",
                                   verbose_name="报送信息")
    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    level = models.CharField("级别", max_length=10, choices=Level.choices)
    name = models.CharField("刊物或批示领导", max_length=200)
    date = models.DateField("日期")
    evidence = models.FileField("证明材料", upload_to="intake/evidence/", blank=True,
                                validators=[FileExtensionValidator(EVIDENCE_EXTENSIONS)],
                                help_text="扫描件：PDF 或图片。")
    note = models.TextField("说明", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    blank=True, related_name="+", verbose_name="登记人")
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "上级采用及批示"
        verbose_name_plural = "上级采用及批示"
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.get_level_display()}）：{self.name}"


class ScoringRules(models.Model):
    """The points of one year. Each year has its own row, so changing one year never changes another."""

    year = models.PositiveSmallIntegerField("年度", unique=True,
                                            error_messages={"unique": "该年度已有计分规则。"})
    single_points = models.PositiveIntegerField("本刊单篇采用", default=5)
    combined_points = models.PositiveIntegerField("本刊综合采用", default=3)
    higher_county = models.PositiveIntegerField("县级刊物采用", default=5)
    higher_city = models.PositiveIntegerField("市级刊物采用", default=20)
    higher_province = models.PositiveIntegerField("省级刊物采用", default=40)
    higher_national = models.PositiveIntegerField("国家级刊物采用", default=80)
    instruction_county = models.PositiveIntegerField("县级领导批示", default=2)
    instruction_city = models.PositiveIntegerField("市级领导批示", default=5)
    instruction_province = models.PositiveIntegerField("省级领导批示", default=50)
    instruction_national = models.PositiveIntegerField("国家级领导批示", default=100)
    monthly_quota = models.PositiveIntegerField("每月报送任务（条）", default=2)
    quota_deduction = models.PositiveIntegerField("未完成月任务扣分", default=2)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   blank=True, editable=False, related_name="+", verbose_name="修改人")
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "计分规则"
        verbose_name_plural = "计分规则"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年计分规则"

    def points_for(self, kind: str, level: str) -> int:
        """Points of one recognition (Recognition.Kind, Level)."""
        prefix = "higher" if kind == Recognition.Kind.HIGHER else "instruction"
        return getattr(self, f"{prefix}_{level}")


class IntakeEvent(models.Model):
    """One step of an item or a call, written in the same transaction as the step; never changed."""

    class Action(models.TextChoices):
        CREATED = "created", "新建"
        SUBMITTED = "submitted", "报送"
        WITHDRAWN = "withdrawn", "撤回"
        ADOPTED = "adopted", "采用"
        REVOKED = "revoked", "撤销采用"
        REJECTED = "rejected", "退稿"
        ARCHIVED = "archived", "存档"
        RECOGNISED = "recognised", "登记上级采用或批示"
        CALL_SENT = "call_sent", "发出约稿"
        CALL_REMINDED = "call_reminded", "催报"
        RULES_CHANGED = "rules_changed", "修改计分规则"
        REPORTER_ASSIGNED = "reporter_assigned", "指定信息员"

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, null=True, blank=True,
                                   related_name="events", verbose_name="报送信息")
    call = models.ForeignKey(Call, on_delete=models.CASCADE, null=True, blank=True,
                             related_name="events", verbose_name="约稿")
    action = models.CharField("操作", max_length=20, choices=Action.choices)
    from_status = models.CharField("原状态", max_length=20, choices=Submission.Status.choices, blank=True)
    to_status = models.CharField("新状态", max_length=20, choices=Submission.Status.choices, blank=True)
    issue = models.ForeignKey(Issue, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                              verbose_name="期")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="+", verbose_name="操作人")
    actor_name = models.CharField("操作人姓名", max_length=150, blank=True)
    note = models.TextField("说明或理由", blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "报送记录"
        verbose_name_plural = "报送记录"
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.get_action_display()
