"""django-import-export resources: the directory, distribution lists, issues and articles.

Rows name other records by natural keys (publication slug, organisation name, issue
publication/year/number/增刊, column name), never by database ids, so files move between
installations. Headers are the Chinese column names below. A file is imported whole or not
at all: any bad row is reported with its row number (counting data rows from 1, the
header row not counted) and a Chinese message, and nothing from the file is saved.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from import_export import fields, resources, widgets
from import_export.results import Error, Result

from bulletins.models import (
    Article,
    DistributionList,
    Issue,
    Organisation,
    Role,
    WordingRule,
)
from bulletins.resource_widgets import (
    ChoiceWidget,
    ColumnWidget,
    DateWidget,
    ImportRowError,
    IntegerWidget,
    IssueWidget,
    MembersField,
    OrganisationNamesWidget,
    PrintedLinesWidget,
    PublicationWidget,
    StrippedCharWidget,
    YesNoWidget,
)
from bulletins.services import article_create, article_update, issue_create, issue_update
from bulletins.services.articles import ARTICLE_FIELDS
from bulletins.services.issues import ISSUE_EDITABLE_FIELDS
from bulletins.services.proofreading import wording_rule_add, wording_rule_update
from bulletins.services.reference import distribution_list_set_members, reference_save


class BulletinResource(resources.ModelResource):
    """All-or-nothing imports with Chinese, numbered row errors."""

    def __init__(self, *, report_invalid_rows_as_errors: bool = True, **kwargs):
        super().__init__(**kwargs)
        # The admin shows invalid rows in its own table; the `import` command only prints
        # errors, so by default each invalid row is also reported as an error.
        self.report_invalid_rows_as_errors = report_invalid_rows_as_errors
        self._seen_keys: dict[tuple, int] = {}

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None,
                    collect_failed_rows=False, rollback_on_validation_errors=False, **kwargs):
        self._seen_keys = {}
        result = super().import_data(
            dataset, dry_run=dry_run, raise_errors=raise_errors, use_transactions=True,
            collect_failed_rows=collect_failed_rows, rollback_on_validation_errors=True,
            **kwargs)
        if self.report_invalid_rows_as_errors:
            for invalid in result.invalid_rows:
                result.append_base_error(Error(ImportRowError(
                    row_error_text(invalid.number, invalid.error))))
        return result

    def natural_key_columns(self) -> list[str]:
        """The columns that together name one record."""
        return [self.fields[name].column_name for name in self.get_import_id_fields()]

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        headers = dataset.headers or []
        missing = [column for column in self.natural_key_columns() if column not in headers]
        if missing:
            raise ImportRowError("文件缺少以下列：" + "、".join(missing) + "。")

    def _check_import_id_fields(self, headers):
        # before_import() reports missing key columns, in Chinese.
        return

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        key = tuple(str(row.get(column) or "").strip() for column in self.natural_key_columns())
        number = kwargs.get("row_number")
        if key in self._seen_keys:
            raise ValidationError(f"与第 {self._seen_keys[key]} 行重复。")
        self._seen_keys[key] = number

    def get_instance(self, instance_loader, row):
        try:
            return super().get_instance(instance_loader, row)
        except ValueError as error:
            raise ValidationError(str(error)) from error

    def import_row(self, row, instance_loader, **kwargs):
        row_result = super().import_row(row, instance_loader, **kwargs)
        if row_result.validation_error is not None:
            row_result.validation_error = self._with_column_names(row_result.validation_error)
        return row_result

    def _with_column_names(self, error: ValidationError) -> ValidationError:
        """Key the row's errors by the file's Chinese column names."""
        if not hasattr(error, "error_dict"):
            return error
        columns = {field.attribute: field.column_name for field in self.fields.values()
                   if field.attribute}
        renamed: dict[str, list] = {}
        for key, errors in error.error_dict.items():
            column = NON_FIELD_ERRORS if key == NON_FIELD_ERRORS else columns.get(key, key)
            renamed.setdefault(column, []).extend(errors)
        return ValidationError(renamed)


def row_error_text(number: int, error: ValidationError) -> str:
    """One line for a bad row, e.g. 第 2 行：份数：“两份”不是整数。有效：“x”应填“是”或“否”。"""
    if hasattr(error, "error_dict"):
        parts = []
        for key, messages in error.message_dict.items():
            text = "".join(messages)
            parts.append(text if key == NON_FIELD_ERRORS else f"{key}：{text}")
        return f"第 {number} 行：" + "".join(parts)
    return f"第 {number} 行：" + "".join(error.messages)


def result_errors(result: Result) -> list[str]:
    """Every problem of an import result as one Chinese line each."""
    lines = [str(error.error) for error in result.base_errors]
    lines += [f"第 {number} 行：{error.error}" for number, errors in result.row_errors()
              for error in errors]
    if not any(isinstance(e.error, ImportRowError) for e in result.base_errors):
        lines += [row_error_text(row.number, row.error) for row in result.invalid_rows]
    return lines


class ReferenceResource(BulletinResource):
    """Reference data, saved through its service so that each row is on record with its user."""

    def save_instance(self, instance, is_create, row, **kwargs):
        self.before_save_instance(instance, row, **kwargs)
        reference_save(record=instance, by=kwargs.get("user"))
        self.after_save_instance(instance, row, **kwargs)


class OrganisationResource(ReferenceResource):
    name = fields.Field("name", "单位名称", widgets.CharWidget())
    short_name = fields.Field("short_name", "简称", widgets.CharWidget())
    default_role = fields.Field("default_role", "通常发送方式", ChoiceWidget(Role.choices))
    copies = fields.Field("copies", "份数", IntegerWidget(), default=1)
    contact = fields.Field("contact", "联系人及电话", widgets.CharWidget())
    address = fields.Field("address", "邮寄地址", widgets.CharWidget())
    postcode = fields.Field("postcode", "邮编", widgets.CharWidget())
    active = fields.Field("active", "有效", YesNoWidget(), default=True)

    class Meta:
        model = Organisation
        name = "单位"
        fields = ["name", "short_name", "default_role", "copies", "contact", "address",
                  "postcode", "active"]
        import_id_fields = ["name"]
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True


class DistributionListResource(ReferenceResource):
    publication = fields.Field("publication", "刊物", PublicationWidget())
    name = fields.Field("name", "名单名称", widgets.CharWidget())
    role = fields.Field("role", "发送方式", ChoiceWidget(Role.choices))
    is_default = fields.Field("is_default", "新一期默认使用", YesNoWidget(), default=False)
    position = fields.Field("position", "顺序", IntegerWidget(), default=0)
    members = MembersField("members", "单位", OrganisationNamesWidget())

    class Meta:
        model = DistributionList
        name = "分发名单"
        fields = ["publication", "name", "role", "is_default", "position", "members"]
        import_id_fields = ["publication", "name"]
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def get_queryset(self):
        return super().get_queryset().select_related("publication").prefetch_related(
            "members__organisation")

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        organisations = getattr(instance, "_imported_members", None)
        if organisations is None or instance.pk is None:
            return
        distribution_list_set_members(distribution_list=instance, organisations=organisations,
                                      by=kwargs.get("user"))


class IssueResource(BulletinResource):
    publication = fields.Field("publication", "刊物", PublicationWidget())
    year = fields.Field("year", "年份", IntegerWidget())
    number = fields.Field("number", "期号", IntegerWidget())
    is_special = fields.Field("is_special", "增刊", YesNoWidget(), default=False)
    total_number = fields.Field("total_number", "总期号", IntegerWidget())
    date = fields.Field("date", "签发日期", DateWidget())
    editor_note = fields.Field("editor_note", "编者按", widgets.CharWidget())
    print_run = fields.Field("print_run", "印数", IntegerWidget())
    # The workflow alone moves an issue and freezes its 版记: these columns are exported only.
    status = fields.Field("status", "状态", ChoiceWidget(Issue.Status.choices, render_label=True),
                          readonly=True)
    printed_distribution = fields.Field("printed_distribution", "印发时的版记",
                                        PrintedLinesWidget(), readonly=True)

    class Meta:
        model = Issue
        name = "期"
        fields = ["publication", "year", "number", "is_special", "total_number", "date",
                  "editor_note", "print_run", "status", "printed_distribution"]
        import_id_fields = ["publication", "year", "number", "is_special"]
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def get_queryset(self):
        return super().get_queryset().select_related("publication").order_by(
            "publication__slug", "year", "is_special", "number")

    def save_instance(self, instance, is_create, row, **kwargs):
        """Through the services: a new issue is a draft; only a draft's fields may change."""
        by = kwargs.get("user")
        values = {name: getattr(instance, name) for name in ISSUE_EDITABLE_FIELDS}
        if is_create:
            created = issue_create(publication=instance.publication, by=by,
                                   with_default_distribution=False, **values)
            instance.pk = created.pk
            instance.refresh_from_db()
        else:
            issue_update(issue=instance, by=by, **values)


class ArticleResource(BulletinResource):
    publication = fields.Field("issue__publication", "刊物", PublicationWidget(), readonly=True)
    year = fields.Field("issue__year", "年份", IntegerWidget(), readonly=True)
    issue = fields.Field("issue", "期号", IssueWidget())
    is_special = fields.Field("issue__is_special", "增刊", YesNoWidget(), readonly=True)
    position = fields.Field("position", "顺序", IntegerWidget(), default=0)
    column = fields.Field("column", "栏目", ColumnWidget())
    title = fields.Field("title", "标题", widgets.CharWidget())
    toc_title = fields.Field("toc_title", "目录标题", widgets.CharWidget())
    subtitle = fields.Field("subtitle", "副标题", widgets.CharWidget())
    byline = fields.Field("byline", "署名", widgets.CharWidget())
    source = fields.Field("source", "来源", widgets.CharWidget())
    editor_note = fields.Field("editor_note", "编者按", widgets.CharWidget())
    body = fields.Field("body", "正文", widgets.CharWidget())

    class Meta:
        model = Article
        name = "文章"
        fields = ["publication", "year", "issue", "is_special", "position", "column", "title",
                  "toc_title", "subtitle", "byline", "source", "editor_note", "body"]
        import_id_fields = ["issue", "position"]
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def get_queryset(self):
        return super().get_queryset().select_related("issue__publication", "column").order_by(
            "issue__publication__slug", "issue__year", "issue__is_special", "issue__number",
            "position", "pk")

    def natural_key_columns(self) -> list[str]:
        return ["刊物", "年份", "期号", "增刊", "顺序"]

    def save_instance(self, instance, is_create, row, **kwargs):
        """Through the services, which refuse to change the articles of an issue past 草稿."""
        by = kwargs.get("user")
        values = {name: getattr(instance, name) for name in ARTICLE_FIELDS}
        if is_create:
            created = article_create(issue=instance.issue, by=by, **values)
            instance.pk = created.pk
            instance.refresh_from_db()
        else:
            article_update(article=instance, by=by, **values)

class WordingRuleResource(BulletinResource):
    """A publication's wording list (规范表述): 刊物, 不规范写法, 规范写法, 说明."""

    publication = fields.Field("publication", "刊物", PublicationWidget())
    wrong = fields.Field("wrong", "不规范写法", StrippedCharWidget())
    right = fields.Field("right", "规范写法", StrippedCharWidget())
    note = fields.Field("note", "说明", StrippedCharWidget())

    class Meta:
        model = WordingRule
        name = "规范表述"
        fields = ["publication", "wrong", "right", "note"]
        import_id_fields = ["publication", "wrong"]
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def get_queryset(self):
        return super().get_queryset().select_related("publication").order_by(
            "publication__slug", "wrong")

    def do_instance_save(self, instance, is_create):
        # Through the wording services, like the admin's form; the row was validated already.
        data = {"wrong": instance.wrong, "right": instance.right, "note": instance.note}
        if is_create:
            instance.pk = wording_rule_add(publication=instance.publication, **data).pk
        else:
            wording_rule_update(rule=instance, **data)
