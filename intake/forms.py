"""Forms of the intake pages: the item a 信息员 writes, adoption into an issue, the report's period."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from bulletins.manuscripts import ManuscriptError
from bulletins.models import Column, Issue
from editorial.widgets import ArticleBodyWidget
from intake.models import Recognition, Submission
from intake.services import EVIDENCE_REQUIRED_MESSAGE, NOT_RECEIVED_MESSAGE
from intake.word import word_item_read


class SubmissionForm(forms.ModelForm):
    body = forms.CharField(label="正文", required=False, widget=ArticleBodyWidget(config_name="default"))
    word_file = forms.FileField(
        label="从Word导入", required=False,
        help_text="上传 .docx（Word 或 WPS 保存）：其正文替换上面的正文，标题留空时用稿件的标题。",
        widget=forms.ClearableFileInput(attrs={"accept": ".docx"}))

    class Meta:
        model = Submission
        fields = ["title", "kind", "call", "contact", "body", "attachment"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.word_warnings: list[str] = []
        if "title" in self.fields:  # not on the read-only page of an item sent
            self.fields["title"].required = False

    def clean(self):
        data = super().clean()
        upload = data.get("word_file")
        if upload:
            try:
                item = word_item_read(upload=upload)
            except ManuscriptError as error:
                self.add_error("word_file", str(error))
                return data
            data["body"] = item.body
            data["title"] = data.get("title") or item.title
            self.word_warnings = item.warnings
        if "title" in self.fields and not data.get("title"):
            self.add_error("title", "请填写标题，或上传 Word 稿件。")
        return data


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
