from adminsortable2.admin import CustomInlineFormSet
from django import forms
from django.urls import reverse

from bulletins.models import Article, Issue, IssueRecipient, Organisation
from bulletins.sanitize import sanitize_html
from bulletins.services import EditConflict, issue_propose_numbers, recipient_check_organisation
from bulletins.services.revisions import user_label
from editorial.widgets import ArticleBodyWidget


class VersionedForm(forms.ModelForm):
    """Carries the version the user opened; saving over somebody else's later save is refused.

    Nothing is lost: the refused form comes back with everything the user typed.
    """

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    conflict_label = "本页"
    # A save refused after this form had passed (editorial.admin.refusals): told as its error.
    refusal = None

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["expected_version"].initial = self.instance.version

    def content_changed(self) -> bool:
        return any(name != "expected_version" for name in self.changed_data)

    def clean(self) -> dict:
        cleaned = super().clean()
        self.check_version(cleaned.get("expected_version"))
        if self.refusal is not None:
            raise self.refusal
        return cleaned

    def check_version(self, expected: int | None) -> None:
        if self.instance.pk is None or expected is None or not self.content_changed():
            return
        current = (type(self.instance).objects.filter(pk=self.instance.pk)
                   .select_related("updated_by").first())
        # The page's inline rows get this same instance (RecipientFormSet): they need not check
        # again, and a conflict is told once.
        self.instance._version_checked = True
        if current is not None and current.version != expected:
            raise self.edit_conflict(current)

    @classmethod
    def edit_conflict(cls, current) -> EditConflict:
        """The refusal of a save over `current`, somebody else's later save."""
        return EditConflict(what=cls.conflict_what(current), name=user_label(current.updated_by),
                            when=current.updated_at, compare_url=cls.compare_url(current))

    @classmethod
    def conflict_what(cls, current) -> str:
        return cls.conflict_label

    @classmethod
    def compare_url(cls, current) -> str:
        return ""


class RecipientFormSet(CustomInlineFormSet):
    """The issue page's distribution rows: changing them over somebody else's later save of the
    issue is refused like a change of the issue's own fields (checked here only when the issue's
    form has not checked already)."""

    def clean(self) -> None:
        super().clean()
        expected = self.data.get("expected_version")
        if not expected or not self.has_changed() or getattr(self.instance, "_version_checked", False):
            return
        current = Issue.objects.select_related("updated_by").get(pk=self.instance.pk)
        if str(current.version) != expected:
            raise IssueForm.edit_conflict(current)


class IssueForm(VersionedForm):
    """Issue form; a blank number or total number is filled in with the next one."""

    @classmethod
    def conflict_what(cls, current) -> str:
        return current.number_label

    @classmethod
    def compare_url(cls, current) -> str:
        return reverse("editorial:issue_history", args=[current.pk])

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
            if name in self.fields:  # absent where the page is read-only
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
            _, number, total = issue_propose_numbers(
                publication=publication, year=cleaned["year"], is_special=cleaned.get("is_special", False))
            if not cleaned.get("number"):
                cleaned["number"] = self.instance.number = number
            if cleaned.get("total_number") is None and total is not None:
                cleaned["total_number"] = self.instance.total_number = total
        return cleaned


class SanitizedRichTextField(forms.CharField):
    """Rich text that counts as changed only if it differs once sanitised as it will be stored.

    The editor re-serialises HTML (tables, images) on load; without this, opening and saving an
    issue page would re-save every such article and overwrite a colleague's edit.
    """

    def has_changed(self, initial, data) -> bool:
        return sanitize_html(initial or "") != sanitize_html(data or "")


class ArticleForm(VersionedForm):
    body = SanitizedRichTextField(label="正文", required=False,
                                  widget=ArticleBodyWidget(config_name="default"))

    @classmethod
    def conflict_what(cls, current) -> str:
        return f"文章“{current.title}”"

    @classmethod
    def compare_url(cls, current) -> str:
        return reverse("editorial:issue_history", args=[current.issue_id]) + f"?article={current.pk}"

    class Meta:
        model = Article
        fields = ["column", "title", "toc_title", "subtitle", "byline", "source", "editor_note",
                  "body"]
        widgets = {"editor_note": forms.Textarea(attrs={"rows": 3})}


class IssueRecipientForm(forms.ModelForm):
    """One distribution row; a stopped organisation may not be newly added to a draft issue."""

    class Meta:
        model = IssueRecipient
        fields = ["role", "distribution_list", "organisation", "is_addition"]

    def clean_organisation(self):
        organisation = self.cleaned_data.get("organisation")
        if "organisation" in self.changed_data:
            issue = self.instance.issue if self.instance.issue_id else None
            try:
                recipient_check_organisation(issue=issue, organisation=organisation)
            except forms.ValidationError as error:
                raise forms.ValidationError(error.message_dict["organisation"]) from error
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
