"""The bulletin domain: publications, their columns, issues, articles and distribution."""

from __future__ import annotations

from dataclasses import dataclass

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Max, Q
from django.utils import timezone

from bulletins.sanitize import sanitize_html


class Role(models.TextChoices):
    """Distribution roles, in the order the 版记 prints them."""

    REPORT = "报", "报（上级）"
    SEND = "送", "送（平级、不相隶属单位）"
    ISSUE = "发", "发（下级）"
    COPY = "抄送", "抄送"


ROLE_ORDER = [Role.REPORT, Role.SEND, Role.ISSUE, Role.COPY]


class Publication(models.Model):
    class Numbering(models.TextChoices):
        PER_YEAR = "per_year", "按年编号（每年从第1期起）"
        CONTINUOUS = "continuous", "连续编号"

    class ColumnDecoration(models.TextChoices):
        BRACKETS = "brackets", "【栏目】"
        BULLET = "bullet", "●栏目"
        NONE = "none", "无装饰"

    name = models.CharField("刊物名称", max_length=100)
    name_prefix = models.CharField(
        "刊名上行小字", max_length=100, blank=True,
        help_text="印在刊名上方的一行小字，如“建设学习型党组织、学习型领导班子”。",
    )
    short_name = models.CharField("简称", max_length=50, blank=True)
    slug = models.SlugField("英文标识", max_length=60, unique=True,
                            help_text="用于文件名和网址，只能包含字母、数字、连字符。")
    issuing_office = models.TextField("编印单位", help_text="每行一个单位，按印刷顺序。")
    marking = models.CharField(
        "密级或标注", max_length=50, blank=True,
        help_text="印在报头左上角，如“内部资料 注意保存”“党内刊物·注意保存”；不印则留空。",
    )
    numbering = models.CharField("期号编排", max_length=20, choices=Numbering.choices,
                                 default=Numbering.PER_YEAR)
    has_total_number = models.BooleanField("印总期号", default=False)
    total_number_offset = models.PositiveIntegerField(
        "总期号起点", default=0,
        help_text="系统中尚无任何一期时，第一期的总期号为此数加一。",
    )
    prints_toc = models.BooleanField("印目录", default=True)
    toc_shows_pages = models.BooleanField("目录显示页码", default=False)
    column_decoration = models.CharField("栏目装饰", max_length=20,
                                         choices=ColumnDecoration.choices,
                                         default=ColumnDecoration.BRACKETS)
    default_print_run = models.PositiveIntegerField("默认印数", null=True, blank=True)
    print_run_reserve = models.PositiveIntegerField(
        "留存份数", default=0, help_text="计算印数时，在各单位份数之和上另加的份数。")
    editorial_block = models.TextField(
        "编辑部信息", blank=True, help_text="印在版记之后：编辑、电话、地址、传真、邮编、邮箱，每行一项。")
    double_sided = models.BooleanField("双面印刷", default=True,
                                       help_text="双面印刷时，版记另起一页须在偶数页。")
    number_first_page = models.BooleanField("报头页印页码", default=True)
    number_tail_page = models.BooleanField("版记页印页码", default=True)

    class Meta:
        verbose_name = "刊物"
        verbose_name_plural = "刊物"
        ordering = ["name_prefix", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name_prefix", "name"], name="unique_publication_name",
                                    violation_error_message="同名刊物已存在。"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.name_prefix} {self.name}".strip()

    @property
    def issuing_office_lines(self) -> list[str]:
        return [line.strip() for line in self.issuing_office.splitlines() if line.strip()]

    def decorate_column(self, column_name: str) -> str:
        if self.column_decoration == self.ColumnDecoration.BRACKETS:
            return f"【{column_name}】"
        if self.column_decoration == self.ColumnDecoration.BULLET:
            return f"●{column_name}"
        return column_name

    def next_issue_numbers(self, *, year: int, special: bool = False) -> tuple[int, int | None]:
        """Return the (number, total number) the next issue of `year` should carry."""
        issues = self.issues.filter(is_special=special)
        if self.numbering == self.Numbering.PER_YEAR or special:
            issues = issues.filter(year=year)
        number = (issues.aggregate(m=Max("number"))["m"] or 0) + 1
        total = None
        if self.has_total_number and not special:
            last_total = self.issues.filter(is_special=False).aggregate(m=Max("total_number"))["m"]
            total = (last_total or self.total_number_offset) + 1
        return number, total


class Column(models.Model):
    publication = models.ForeignKey(Publication, on_delete=models.CASCADE,
                                    related_name="columns", verbose_name="刊物")
    name = models.CharField("栏目名称", max_length=50,
                            help_text="不含装饰符号，如“上情下达”。")
    position = models.PositiveIntegerField("顺序", default=0, db_index=True)
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "栏目"
        verbose_name_plural = "栏目"
        ordering = ["publication", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["publication", "name"], name="unique_column_name",
                                    violation_error_message="本刊物已有同名栏目。"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def decorated_name(self) -> str:
        return self.publication.decorate_column(self.name)


class Organisation(models.Model):
    """A unit that receives issues, named as the 版记 prints it."""

    name = models.CharField("单位名称", max_length=200, unique=True,
                            error_messages={"unique": "已有同名单位。"})
    short_name = models.CharField("简称", max_length=100, blank=True)
    default_role = models.CharField("通常发送方式", max_length=4, choices=Role.choices,
                                    blank=True)
    copies = models.PositiveIntegerField("份数", default=1)
    contact = models.CharField("联系人及电话", max_length=200, blank=True)
    address = models.CharField("邮寄地址", max_length=300, blank=True)
    postcode = models.CharField("邮编", max_length=10, blank=True)
    active = models.BooleanField("有效", default=True,
                                 help_text="停用的单位保留在往期，不再进入新的一期。")

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DistributionList(models.Model):
    """A named, ordered list of organisations receiving a publication in one role."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE,
                                    related_name="distribution_lists", verbose_name="刊物")
    name = models.CharField("名单名称", max_length=100)
    role = models.CharField("发送方式", max_length=4, choices=Role.choices)
    is_default = models.BooleanField("新一期默认使用", default=False)
    position = models.PositiveIntegerField("顺序", default=0, db_index=True)
    organisations = models.ManyToManyField(Organisation, through="DistributionListMember",
                                           related_name="distribution_lists",
                                           verbose_name="单位")

    class Meta:
        verbose_name = "分发名单"
        verbose_name_plural = "分发名单"
        ordering = ["publication", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["publication", "name"], name="unique_list_name",
                                    violation_error_message="本刊物已有同名分发名单。"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}：{self.name}"

    def member_organisations(self) -> list[Organisation]:
        return [m.organisation for m in self.members.all()]


class DistributionListMember(models.Model):
    distribution_list = models.ForeignKey(DistributionList, on_delete=models.CASCADE,
                                          related_name="members", verbose_name="分发名单")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT,
                                     related_name="list_memberships", verbose_name="单位")
    position = models.PositiveIntegerField("顺序", default=0, db_index=True)

    class Meta:
        verbose_name = "名单成员"
        verbose_name_plural = "名单成员"
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["distribution_list", "organisation"],
                                    name="unique_list_member",
                                    violation_error_message="该单位已在名单中。"),
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class IssueQuerySet(models.QuerySet):
    def published(self) -> IssueQuerySet:
        return self.filter(status=Issue.Status.PUBLISHED)

    def drafts(self) -> IssueQuerySet:
        return self.filter(status=Issue.Status.DRAFT)

    def in_status(self, status: str) -> IssueQuerySet:
        return self.filter(status=status)


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
    created_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "流转记录"
        verbose_name_plural = "流转记录"
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.issue.number_label} {self.get_action_display()}"


# Revisions: one save of an issue, an article or the distribution is a snapshot of the whole issue.
# Workflow fields are not content: restoring a revision never changes them.
ISSUE_WORKFLOW_FIELDS = ("status", "printed_distribution", "printed_on", "printed_pdf",
                         "printed_pdf_sha256", "printed_pdf_revision", "created_by", "submitted_by",
                         "updated_by", "version", "created_at", "updated_at")
reversion.register(Issue, follow=("articles", "recipients"), exclude=ISSUE_WORKFLOW_FIELDS)
reversion.register(Article, follow=("issue",), exclude=("version", "updated_by", "updated_at"))
reversion.register(IssueRecipient, follow=("issue",))
# The reference data keeps its history too: who changed a publication, a column, the directory.
reversion.register(Publication)
reversion.register(Column)
reversion.register(Organisation)
reversion.register(DistributionList)
reversion.register(DistributionListMember)
class WordingRule(models.Model):
    """One entry of a publication's wording list (规范表述): a form the office writes otherwise."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE,
                                    related_name="wording_rules", verbose_name="刊物")
    wrong = models.CharField("不规范写法", max_length=100)
    right = models.CharField("规范写法", max_length=100, blank=True,
                             help_text="留空表示不宜使用、须改写，校对时只提示不给改法。")
    note = models.CharField("说明", max_length=300, blank=True,
                            help_text="校对提示中附上的依据或说明，如“以中央文件提法为准”。")

    class Meta:
        verbose_name = "规范表述"
        verbose_name_plural = "规范表述"
        ordering = ["publication", "wrong"]
        constraints = [
            models.UniqueConstraint(fields=["publication", "wrong"], name="unique_wording_rule",
                                    violation_error_message="本刊物的规范表述中已有这一不规范写法。"),
        ]

    def __str__(self) -> str:
        return f"{self.wrong} → {self.right}" if self.right else f"{self.wrong}（不宜使用）"

    def clean(self) -> None:
        super().clean()
        if self.wrong and self.right and self.wrong.strip() == self.right.strip():
            raise ValidationError({"right": "规范写法与不规范写法相同。"})


class ProofreadingDismissal(models.Model):
    """A proofreading finding judged right as written, for one article (or the issue's own text).

    The finding is named by its key (check, field and the text around the spot), so it
    stays dismissed while the article is edited elsewhere.
    """

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE,
                              related_name="proofreading_dismissals", verbose_name="期")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="proofreading_dismissals", verbose_name="文章")
    code = models.CharField("检查项", max_length=40)
    key = models.CharField("位置标识", max_length=64)
    excerpt = models.CharField("原文", max_length=300)
    message = models.CharField("问题", max_length=300)
    reason = models.CharField("忽略理由", max_length=300)
    dismissed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+",
                                     verbose_name="忽略人")
    dismissed_at = models.DateTimeField("忽略时间", auto_now_add=True)

    class Meta:
        verbose_name = "已忽略的校对问题"
        verbose_name_plural = "已忽略的校对问题"
        ordering = ["issue", "article", "dismissed_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["article", "key"], condition=Q(article__isnull=False),
                                    name="unique_article_dismissal",
                                    violation_error_message="这处问题已经忽略。"),
            models.UniqueConstraint(fields=["issue", "key"], condition=Q(article__isnull=True),
                                    name="unique_issue_dismissal",
                                    violation_error_message="这处问题已经忽略。"),
        ]

    def __str__(self) -> str:
        return f"{self.code}：{self.excerpt}"
from bulletins.batch_models import BatchJob  # noqa: E402, F401 - batch jobs (issue 11) in their own module
from bulletins.search.models import SearchDocument  # noqa: E402, F401 - the search index's rows
