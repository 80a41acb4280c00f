"""Forms of the intake pages: the item a 信息员 writes, adoption into an issue, the report's period."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from bulletins.models import Column, Issue
from editorial.widgets import ArticleBodyWidget
from intake.models import Recognition, Submission
from intake.services import EVIDENCE_REQUIRED_MESSAGE, NOT_RECEIVED_MESSAGE


class SubmissionForm(forms.ModelForm):
    body = forms.CharField(label="正文", required=False, widget=ArticleBodyWidget(config_name="default"))

    class Meta:
        model = Submission
        fields = ["title", "kind", "call", "contact", "body", "attachment"]


class AdoptForm(forms.Form):
    issue = forms.ModelChoiceField(label="采用到", queryset=Issue.objects.none(),
                                   help_text="只能采用到草稿状态的期。")
    column = forms.ModelChoiceField(label="栏目", queryset=Column.objects.none())
    title = forms.CharField(label="文章标题", max_length=300, required=False,
                            help_text="留空则用第一条信息的标题。")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issue"].queryset = Issue.objects.drafts().select_related("publication")
        self.fields["column"].queryset = (Column.objects.filter(active=True)
                                          .select_related("publication").order_by("publication", "position"))
        self.fields["column"].label_from_instance = lambda c: f"{c.publication.full_name}：{c.name}"


class PeriodForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    month = forms.TypedChoiceField(label="月份", required=False, coerce=int, empty_value=None,
                                   choices=[("", "全年"), *[(m, f"{m}月") for m in range(1, 13)]])

    @classmethod
    def from_request(cls, data) -> PeriodForm:
        return cls(data if "year" in data else {"year": timezone.localdate().year})


class RecognitionForm(forms.ModelForm):
    """What recognition_record refuses, told on the form before it is called."""

    class Meta:
        model = Recognition
        fields = ["submission", "kind", "level", "name", "date", "evidence", "note"]

    def clean(self):
        data = super().clean()
        submission = data.get("submission")
        if submission is not None and submission.status == Submission.Status.DRAFT:
            self.add_error("submission", NOT_RECEIVED_MESSAGE.format(title=submission.title))
        if not data.get("evidence") and not (data.get("note") or "").strip():
            raise forms.ValidationError(EVIDENCE_REQUIRED_MESSAGE)
        return data
