"""An issue of a publication: its articles, its distribution and the steps of its life."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from bulletins.models.reference import ROLE_ORDER, Column, DistributionList, Organisation, Publication, Role
from bulletins.sanitize import sanitize_html


class IssueQuerySet(models.QuerySet):
    def published(self) -> IssueQuerySet:
        return self.filter(status=Issue.Status.PUBLISHED)

    def drafts(self) -> IssueQuerySet:
        return self.filter(status=Issue.Status.DRAFT)

    def in_status(self, status: str) -> IssueQuerySet:
        return self.filter(status=status)

    def readable_by(self, user) -> IssueQuerySet:
        """Printed issues this user may read: staff all; others those of open publications and
        those delivered to a unit they read for."""
        published = self.published()
        if user.is_staff:
            return published
        delivered = Issue.objects.filter(deliveries__unit__readers__user=user).values("pk")
        return published.filter(Q(publication__restricted_to_recipients=False) | Q(pk__in=delivered))


@dataclass(frozen=True)
class DistributionLine:
    """One printed line of the 版记, e.g. role 报 and text 中央协调办、中宣部理论局."""

    role: str
    text: str

    def __str__(self) -> str:
        return f"{self.role}：{self.text}"


ADDITION_LABEL = "本期增发"


class Issue(models.Model):
    class Status(models.TextChoices):
        """The path of an issue: 草稿 → 送审 → 审核通过 → 已签发 → 已印发."""

        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "送审"
        APPROVED = "approved", "审核通过"
        SIGNED = "signed", "已签发"
        PUBLISHED = "published", "已印发"

    publication = models.ForeignKey(Publication, on_delete=models.PROTECT,
                                    related_name="issues", verbose_name="刊物")
    year = models.PositiveSmallIntegerField("年份")
    number = models.PositiveIntegerField("期号")
    total_number = models.PositiveIntegerField("总期号", null=True, blank=True)
    is_special = models.BooleanField("增刊", default=False)
    date = models.DateField("签发日期")
    editor_note = models.TextField("编者按", blank=True)
    print_run = models.PositiveIntegerField(
        "印数", null=True, blank=True,
        help_text="留空则按分发单位份数之和加留存份数计算。")
    status = models.CharField("状态", max_length=20, choices=Status.choices,
                              default=Status.DRAFT, db_index=True)
    printed_distribution = models.JSONField(
        "印发时的版记", null=True, blank=True, editable=False,
        help_text="印发时固定下来的分发行，此后名录变动不影响本期。")
    printed_on = models.DateField("印发日期", null=True, blank=True, editable=False)
    printed_pdf = models.FileField("签发稿PDF", upload_to="printed/", blank=True, editable=False,
                                   help_text="签发时生成并保存的PDF，此后下载的都是这份文件。")
    printed_pdf_sha256 = models.CharField("签发稿SHA-256", max_length=64, blank=True, editable=False)
    printed_pdf_revision = models.ForeignKey(
        "reversion.Revision", on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="+", verbose_name="签发稿所据版本")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   blank=True, editable=False, related_name="+", verbose_name="创建人")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                     blank=True, editable=False, related_name="+", verbose_name="送审人")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   blank=True, editable=False, related_name="+", verbose_name="最后修改人")
    version = models.PositiveIntegerField(
        "版本", default=1, editable=False,
        help_text="每次保存加一；保存时与打开时的版本不同，说明别人已在此间保存。")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    objects = IssueQuerySet.as_manager()

    class Meta:
        verbose_name = "期"
        verbose_name_plural = "期"
        ordering = ["-date", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "year", "number", "is_special"],
                name="unique_issue_number",
                violation_error_message="该刊物本年度已有相同期号的一期。",
            ),
            models.UniqueConstraint(
                fields=["publication", "total_number"],
                condition=Q(total_number__isnull=False),
                name="unique_issue_total_number",
                violation_error_message="该刊物已有相同总期号的一期。",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="issue_number_positive",
                                   violation_error_message="期号必须从1开始。"),
        ]
        permissions = [
            ("submit_issue", "可以送审期"),
            ("review_issue", "可以审核期"),
            ("sign_off_issue", "可以签发期"),
            ("publish_issue", "可以登记印发期"),
            ("reopen_issue", "可以重新打开已签发或已印发的期"),
        ]

    def __str__(self) -> str:
        return f"{self.publication.full_name} {self.number_label}"

    @property
    def number_label(self) -> str:
        prefix = "增刊" if self.is_special else ""
        return f"{self.year}年{prefix}第{self.number}期"

    def clean(self) -> None:
        super().clean()
        if self.date and self.year and self.date.year != self.year:
            raise ValidationError({"date": "签发日期须在本期所属年份之内。"})
        if (self.publication_id and not self.is_special
                and self.publication.numbering == Publication.Numbering.CONTINUOUS):
            clash = Issue.objects.filter(publication_id=self.publication_id, number=self.number,
                                         is_special=False).exclude(pk=self.pk)
            if clash.exists():
                raise ValidationError({"number": "该刊物连续编号，已有相同期号的一期。"})

    @property
    def is_editable(self) -> bool:
        """Content (fields, articles, distribution) may change only in 草稿."""
        return self.status == self.Status.DRAFT

    @property
    def is_frozen(self) -> bool:
        return self.printed_distribution is not None

    def distribution_lines(self, recipients: list[IssueRecipient] | None = None) -> list[DistributionLine]:
        """Return exactly the lines the 版记 prints, in order; a role nobody is in has none."""
        if self.is_frozen:
            return [DistributionLine(role=r, text=t) for r, t in self.printed_distribution]
        return self.compute_distribution_lines(recipients)

    def cached_recipients(self) -> list[IssueRecipient]:
        """`loaded_recipients()`, kept on this instance: for pages that show several views of them."""
        if "_cached_recipients" not in self.__dict__:
            self.__dict__["_cached_recipients"] = self.loaded_recipients()
        return self.__dict__["_cached_recipients"]

    def cached_articles(self) -> list[Article]:
        """The articles in printed order with their column and last editor, kept on this instance."""
        if "_cached_articles" not in self.__dict__:
            self.__dict__["_cached_articles"] = list(
                self.articles.select_related("column__publication", "updated_by").order_by("position", "pk"))
        return self.__dict__["_cached_articles"]

    def loaded_recipients(self) -> list[IssueRecipient]:
        """The issue's recipients with their organisations and lists, in a fixed number of queries."""
        return list(self.recipients.select_related("organisation", "distribution_list").prefetch_related(
            "distribution_list__members__organisation"))

    def compute_distribution_lines(self, recipients: list[IssueRecipient] | None = None,
                                   ) -> list[DistributionLine]:
        names_by_role: dict[str, list[str]] = {role: [] for role in ROLE_ORDER}
        additions: list[str] = []
        for recipient in self.loaded_recipients() if recipients is None else recipients:
            target = additions if recipient.is_addition else names_by_role[recipient.role]
            for name in recipient.printed_names():
                if name not in target:
                    target.append(name)
        lines = [DistributionLine(role=role, text="、".join(names))
                 for role, names in names_by_role.items() if names]
        if additions:
            lines.append(DistributionLine(role=ADDITION_LABEL, text="、".join(additions)))
        return lines

    def recipient_organisations(self, recipients: list[IssueRecipient] | None = None,
                                ) -> list[tuple[str, Organisation]]:
        """Each receiving organisation once, with its role, in printing order."""
        seen: set[int] = set()
        result = []
        recipients = sorted(self.loaded_recipients() if recipients is None else recipients,
                            key=lambda r: (ROLE_ORDER.index(r.role), r.position, r.pk))
        for recipient in recipients:
            for organisation in recipient.organisations():
                if organisation.pk not in seen:
                    seen.add(organisation.pk)
                    result.append((recipient.role, organisation))
        return result

    def computed_print_run(self, recipients: list[IssueRecipient] | None = None) -> int:
        copies = sum(org.copies for _, org in self.recipient_organisations(recipients))
        if not copies and self.publication.default_print_run:
            return self.publication.default_print_run
        return copies + self.publication.print_run_reserve

    @property
    def effective_print_run(self) -> int | None:
        if self.is_frozen:
            # Printed (or imported as printed): the run then is fixed, and none means none was printed.
            return self.print_run
        return self.print_run if self.print_run is not None else self.computed_print_run() or None


class IssueRecipient(models.Model):
    """One entry of an issue's distribution: a saved list, an organisation, or a one-off name."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="recipients",
                              verbose_name="期")
    role = models.CharField("发送方式", max_length=4, choices=Role.choices)
    position = models.PositiveIntegerField("顺序", default=0, db_index=True)
    distribution_list = models.ForeignKey(DistributionList, on_delete=models.PROTECT,
                                          null=True, blank=True, related_name="+",
                                          verbose_name="分发名单")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="issue_recipients",
                                     verbose_name="单位")
    is_addition = models.BooleanField("本期增发", default=False)

    class Meta:
        verbose_name = "分发对象"
        verbose_name_plural = "分发对象"
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(distribution_list__isnull=False, organisation__isnull=True)
                           | Q(distribution_list__isnull=True, organisation__isnull=False)),
                name="recipient_is_list_or_organisation",
                violation_error_message="每一行须选择一个分发名单或一个单位，且只能选一个。",
            ),
        ]

    def __str__(self) -> str:
        target = self.distribution_list or self.organisation
        return f"{self.role}：{target}"

    def clean(self) -> None:
        super().clean()
        if self.distribution_list_id and self.organisation_id:
            raise ValidationError("每一行只能选择一个分发名单或一个单位。")
        if not self.distribution_list_id and not self.organisation_id:
            raise ValidationError("请选择分发名单或单位。")
        if (self.distribution_list_id and self.issue_id
                and self.distribution_list.publication_id != self.issue.publication_id):
            raise ValidationError({"distribution_list": "该分发名单不属于本期的刊物。"})

    def organisations(self) -> list[Organisation]:
        if self.organisation_id:
            return [self.organisation]
        return [m.organisation for m in self.distribution_list.members.all()
                if m.organisation.active]

    def printed_names(self) -> list[str]:
        return [org.name for org in self.organisations()]


class Article(models.Model):
    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="articles",
                              verbose_name="期")
    column = models.ForeignKey(Column, on_delete=models.PROTECT, related_name="articles",
                               verbose_name="栏目")
    position = models.PositiveIntegerField("顺序", default=0, db_index=True)
    title = models.CharField("标题", max_length=300)
    toc_title = models.CharField("目录标题", max_length=300, blank=True,
                                 help_text="目录中与正文标题不同时填写。")
    subtitle = models.CharField("副标题", max_length=300, blank=True,
                                help_text="以“——”开头的副标题，或标题下的第二行标题。")
    byline = models.CharField("署名", max_length=200, blank=True,
                              help_text="单位和（或）职务、姓名，如“临西县委常委、组织部部长 卫建豪”。")
    source = models.CharField("来源", max_length=200, blank=True,
                              help_text="印在文末，如“（徐州市委宣传部）”。")
    editor_note = models.TextField("编者按", blank=True)
    body = models.TextField("正文", blank=True)
    version = models.PositiveIntegerField("版本", default=1, editable=False)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   blank=True, editable=False, related_name="+",
                                   verbose_name="最后修改人")

    class Meta:
        verbose_name = "文章"
        verbose_name_plural = "文章"
        ordering = ["issue", "position", "pk"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        # Stored HTML is always sanitised, whichever path wrote it.
        self.body = sanitize_html(self.body)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if (self.column_id and self.issue_id
                and self.column.publication_id != self.issue.publication_id):
            raise ValidationError({"column": "所选栏目不属于本期的刊物。"})

    @property
    def display_toc_title(self) -> str:
        return self.toc_title or self.title


class IssueEvent(models.Model):
    """One step in an issue's life, written in the same transaction as the step; never changed."""

    class Action(models.TextChoices):
        CREATED = "created", "创建"
        SUBMITTED = "submitted", "送审"
        WITHDRAWN = "withdrawn", "撤回送审"
        APPROVED = "approved", "审核通过"
        RETURNED = "returned", "退回修改"
        SIGNED = "signed", "签发"
        PUBLISHED = "published", "登记印发"
        REOPENED = "reopened", "重新打开修改"
        IMPORTED = "imported", "导入往期"
        REPLACED = "replaced", "导入替换"
        RESTORED = "restored", "恢复历史版本"

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="events", verbose_name="期")
    action = models.CharField("操作", max_length=20, choices=Action.choices)
    from_status = models.CharField("原状态", max_length=20, choices=Issue.Status.choices, blank=True)
    to_status = models.CharField("新状态", max_length=20, choices=Issue.Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="+", verbose_name="操作人")
    actor_name = models.CharField("操作人姓名", max_length=150, blank=True,
                                  help_text="记录当时的姓名，用户改名或删除后仍可查。")
    note = models.TextField("说明或理由", blank=True)
    revision = models.ForeignKey("reversion.Revision", on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="issue_events", verbose_name="所据版本")
    pdf = models.FileField("签发稿PDF", upload_to="printed/", blank=True)
    pdf_sha256 = models.CharField("签发稿SHA-256", max_length=64, blank=True)
    sheet_pdf = models.FileField("签发单PDF", upload_to="printed/", blank=True)
    sheet_sha256 = models.CharField("签发单SHA-256", max_length=64, blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "流转记录"
        verbose_name_plural = "流转记录"
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.issue.number_label} {self.get_action_display()}"

