from django import forms

from bulletins.models import Article, Issue, IssueRecipient, Organisation
from bulletins.services import INACTIVE_ORGANISATION_MESSAGE
from editorial.widgets import ArticleBodyWidget


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
            "body": ArticleBodyWidget(config_name="default"),
            "editor_note": forms.Textarea(attrs={"rows": 3}),
        }


class IssueRecipientForm(forms.ModelForm):
    """One distribution row; a stopped organisation may not be newly added to a draft issue."""

    class Meta:
        model = IssueRecipient
        fields = ["role", "distribution_list", "organisation", "is_addition"]

    def clean_organisation(self):
        organisation = self.cleaned_data.get("organisation")
        issue = getattr(self.instance, "issue", None) if self.instance.issue_id else None
        is_draft = issue is None or issue.status == Issue.Status.DRAFT
        if (organisation is not None and not organisation.active and is_draft
                and "organisation" in self.changed_data):
            raise forms.ValidationError(INACTIVE_ORGANISATION_MESSAGE.format(name=organisation.name))
        return organisation


class OrganisationMergeForm(forms.Form):
    """Choose which of two organisations remains; the other is folded into it."""

    target = forms.ModelChoiceField(
        queryset=None, widget=forms.RadioSelect, label="保留的单位",
        help_text="合并后保留此单位的名称、份数和地址；另一单位从名单和各期中改为此单位，然后删除。"
                  "已印发各期的版记不变。",
        error_messages={"required": "请选择保留哪一个单位。"})

    def __init__(self, *args, organisations, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in organisations])
