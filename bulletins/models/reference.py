"""The reference data of the office: publications, their columns, the directory and distribution lists."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Max


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
    restricted_to_recipients = models.BooleanField(
        "仅限收文单位阅览", default=False,
        help_text="勾选后，各单位的读者只能阅览发给本单位的期；不勾选则可阅览全部已印发的期。编辑部工作人员不受限制。")
    delivery_attaches_pdf = models.BooleanField("送达邮件附PDF", default=False,
                                                help_text="送达通知邮件附上加了单位水印的PDF。")
    remind_after_working_days = models.PositiveSmallIntegerField(
        "自动催收（工作日）", null=True, blank=True,
        validators=[MinValueValidator(1, "自动催收的工作日数至少为1；不自动催收请留空。")],
        help_text="送达后满这么多个工作日仍未签收的单位，自动催收（此后每隔这么多个工作日再催）；留空则不自动催收。")

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


