"""The widgets and fields of the import-export resources (bulletins.resources): each cell read
from a spreadsheet, refused with a Chinese message the row report shows.
"""

from __future__ import annotations

from import_export import fields, widgets

from bulletins.models import (
    ADDITION_LABEL,
    Column,
    Issue,
    Organisation,
    Publication,
    Role,
)

MEMBER_SEPARATOR = ";"


class ImportRowError(Exception):
    """A bad row, worded for the person who made the file."""

    def __repr__(self) -> str:
        # The `import` management command prints repr() of each error.
        return str(self)


# Widgets: each raises ValueError with a Chinese message, which import-export reports
# as a validation error of the row.


class IntegerWidget(widgets.IntegerWidget):
    def clean(self, value, row=None, **kwargs):
        try:
            number = super().clean(value, row, **kwargs)
        except (ValueError, ArithmeticError) as error:
            raise ValueError(f"“{value}”不是整数。") from error
        if number is not None and number != float(str(value).replace(",", "")):
            raise ValueError(f"“{value}”不是整数。")
        return number


class DateWidget(widgets.DateWidget):
    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, str):
            value = value.strip()
        try:
            return super().clean(value, row, **kwargs)
        except ValueError as error:
            raise ValueError(f"“{value}”不是日期，应写成“2023-11-25”的样子。") from error


class YesNoWidget(widgets.Widget):
    """是/否 in files; also accepts 1/0 and true/false."""

    TRUE = {"是", "1", "true", "True", "TRUE", True}
    FALSE = {"否", "0", "false", "False", "FALSE", False}

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, str):
            value = value.strip()
        if value in ("", None):
            return None
        if value in self.TRUE:
            return True
        if value in self.FALSE:
            return False
        raise ValueError(f"“{value}”应填“是”或“否”。")

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return "是" if value else "否"


class ChoiceWidget(widgets.Widget):
    """A choice written as its value (e.g. 报) or its label (e.g. 已印发)."""

    def __init__(self, choices, *, render_label: bool = False, **kwargs):
        self.choices = list(choices)
        self.render_label = render_label
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        value = "" if value is None else str(value).strip()
        if not value:
            return ""
        for choice_value, label in self.choices:
            if value in (choice_value, label):
                return choice_value
        allowed = "、".join(f"“{label if self.render_label else v}”" for v, label in self.choices)
        raise ValueError(f"“{value}”不是可选的值，应为{allowed}之一。")

    def render(self, value, obj=None, **kwargs):
        if self.render_label:
            return dict(self.choices).get(value, value or "")
        return value or ""


class PublicationWidget(widgets.ForeignKeyWidget):
    """A publication by its 英文标识 (slug), or by its full name."""

    def __init__(self, **kwargs):
        super().__init__(Publication, field="slug", **kwargs)

    def clean(self, value, row=None, **kwargs):
        value = "" if value is None else str(value).strip()
        if not value:
            return None
        found = Publication.objects.filter(slug=value).first()
        if found is None:
            by_name = [p for p in Publication.objects.all() if value in (p.full_name, p.name)]
            found = by_name[0] if len(by_name) == 1 else None
        if found is None:
            raise ValueError(f"未找到刊物“{value}”。")
        return found


def _publication_of(row) -> Publication | None:
    try:
        return PublicationWidget().clean(row.get("刊物"))
    except ValueError:
        return None


class IssueWidget(widgets.ForeignKeyWidget):
    """An issue by the row's 刊物, 年份, 期号 and 增刊 columns (this widget reads 期号)."""

    def __init__(self, **kwargs):
        super().__init__(Issue, field="number", **kwargs)

    def clean(self, value, row=None, **kwargs):
        publication = PublicationWidget().clean(row.get("刊物"))
        year = IntegerWidget().clean(row.get("年份"))
        number = IntegerWidget().clean(value)
        special = YesNoWidget().clean(row.get("增刊")) or False
        if publication is None or year is None or number is None:
            raise ValueError("请填写刊物、年份和期号。")
        issue = Issue.objects.filter(publication=publication, year=year, number=number,
                                     is_special=special).first()
        if issue is None:
            label = f"{year}年{'增刊' if special else ''}第{number}期"
            raise ValueError(f"未找到{publication.full_name}{label}。")
        return issue

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value.number)


class ColumnWidget(widgets.ForeignKeyWidget):
    """A column by its name, within the row's publication."""

    def __init__(self, **kwargs):
        super().__init__(Column, field="name", **kwargs)

    def clean(self, value, row=None, **kwargs):
        value = "" if value is None else str(value).strip()
        if not value:
            return None
        publication = _publication_of(row)
        column = Column.objects.filter(publication=publication, name=value).first()
        if column is None:
            owner = f"刊物“{publication.full_name}”" if publication else "该刊物"
            raise ValueError(f"{owner}没有名为“{value}”的栏目。")
        return column


class OrganisationNamesWidget(widgets.Widget):
    """An ordered list of organisation names, separated by ; or line breaks."""

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value)
        names = [n.strip() for n in text.replace("\n", MEMBER_SEPARATOR).split(MEMBER_SEPARATOR)]
        names = [n for n in names if n]
        repeated = sorted({n for n in names if names.count(n) > 1}, key=names.index)
        if repeated:
            raise ValueError("名单中重复的单位：" + "、".join(f"“{n}”" for n in repeated) + "。")
        found = {o.name: o for o in Organisation.objects.filter(name__in=names)}
        unknown = [n for n in names if n not in found]
        if unknown:
            raise ValueError("未找到单位：" + "、".join(f"“{n}”" for n in unknown)
                             + "。请先导入或新建这些单位。")
        return [found[n] for n in names]

    def render(self, value, obj=None, **kwargs):
        return MEMBER_SEPARATOR.join(value or [])


class PrintedLinesWidget(widgets.Widget):
    """The frozen 版记 lines, one per line: 报：单位、单位."""

    ROLES = [*(role.value for role in Role), ADDITION_LABEL]

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        if not text:
            return None
        lines = []
        for number, line in enumerate(text.splitlines(), start=1):
            role, sep, names = line.strip().partition("：")
            if not sep or role not in self.ROLES or not names.strip():
                raise ValueError(f"版记第{number}行“{line.strip()}”应写成“报：单位、单位”的样子，"
                                 f"发送方式为报、送、发、抄送或{ADDITION_LABEL}。")
            lines.append([role, names.strip()])
        return lines

    def render(self, value, obj=None, **kwargs):
        return "\n".join(f"{role}：{text}" for role, text in (value or []))


class MembersField(fields.Field):
    """A distribution list's members, in order; written by the resource after saving."""

    def get_value(self, instance):
        pending = getattr(instance, "_imported_members", None)
        if pending is not None:
            return [o.name for o in pending]
        if instance.pk is None:
            return []
        # members.all() uses the resource queryset's prefetch; a new query per list would not.
        return [m.organisation.name for m in instance.members.all()]

    def save(self, instance, row, is_m2m=False, **kwargs):
        instance._imported_members = self.clean(row, **kwargs)


class StrippedCharWidget(widgets.CharWidget):
    """Text with the spaces a spreadsheet cell picks up around it removed."""

    def clean(self, value, row=None, **kwargs):
        return ("" if value is None else str(value)).strip()
