from django import forms
from django_ckeditor_5.widgets import CKEditor5Widget

from bulletins.models import Article, Issue


class IssueForm(forms.ModelForm):
    """Issue form; a blank number or total number is filled in with the next one."""

    class Meta:
        model = Issue
        fields = ["publication", "is_special", "year", "number", "total_number", "date",
                  "editor_note", "print_run"]
        help_texts = {
            "number": "留空则自动编为下一期。",
            "total_number": "刊物印总期号时，留空则自动编为下一个总期号。",
            "year": "留空则取签发日期的年份。",
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("number", "year"):
            self.fields[name].required = False

    def clean(self) -> dict:
        cleaned = super().clean()
        publication, date = cleaned.get("publication"), cleaned.get("date")
        if publication is None or date is None:
            return cleaned
        if not cleaned.get("year"):
            cleaned["year"] = date.year
            self.instance.year = date.year
        if self.instance.pk is None:
            number, total = publication.next_issue_numbers(
                year=cleaned["year"], special=cleaned.get("is_special", False))
            if not cleaned.get("number"):
                cleaned["number"] = self.instance.number = number
            if cleaned.get("total_number") is None and total is not None:
                cleaned["total_number"] = self.instance.total_number = total
        return cleaned


class ArticleForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = ["column", "title", "toc_title", "subtitle", "byline", "source", "editor_note",
                  "body"]
        widgets = {
            "body": CKEditor5Widget(config_name="default"),
            "editor_note": forms.Textarea(attrs={"rows": 3}),
        }
