"""The intake pages of the admin: a 信息员 sees only their unit's items, the office sees what was sent.

Every save calls a service; nothing here writes a model itself.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone

from intake import services
from intake.forms import RecognitionForm, SubmissionForm
from intake.models import Call, Recognition, Reporter, ScoringRules, Submission
from intake.services.common import HANDLE_PERMISSION
from intake.services.rules import RULE_FIELDS


def is_handler(user) -> bool:
    return user.has_perm(HANDLE_PERMISSION)


def reporter_unit_id(user) -> int | None:
    """The unit the user reports for, if any; looked up once per request (the user object is per request)."""
    if not hasattr(user, "_intake_unit_id"):
        user._intake_unit_id = (Reporter.objects.filter(user_id=user.pk).values_list("unit_id", flat=True)
                                .first() if user.is_authenticated else None)
    return user._intake_unit_id


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    form = SubmissionForm
    list_display = ["title", "unit", "kind", "status", "submitted_at", "reply"]
    list_filter = ["status", "kind", "unit"]
    list_select_related = ["unit"]
    search_fields = ["title"]
    date_hierarchy = "submitted_at"
    actions = ["adopt_selected"]
    change_form_template = "admin/intake/submission/change_form.html"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        unit_id = reporter_unit_id(request.user)
        if unit_id is not None:
            return queryset.of_unit(unit_id)
        return queryset.submitted() if is_handler(request.user) else queryset.none()

    def get_list_filter(self, request):
        return self.list_filter if is_handler(request.user) else ["status", "kind"]

    def has_add_permission(self, request):
        # The permission first: the admin's menu asks on every page, and most users are not 信息员.
        return super().has_add_permission(request) and reporter_unit_id(request.user) is not None

    def has_change_permission(self, request, obj=None):
        if obj is not None and (obj.status != Submission.Status.DRAFT
                                or reporter_unit_id(request.user) != obj.unit_id):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        unit_id = reporter_unit_id(request.user)
        if db_field.name == "call" and unit_id is not None:
            kwargs["queryset"] = Call.objects.addressed_to(unit_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is not None and not self.has_change_permission(request, obj):
            # Read only: the body is shown as printed above the fields, not as escaped HTML.
            return ["title", "unit", "kind", "call", "contact", "attachment", "submitted_at"]
        return [*SubmissionForm.Meta.fields, "word_file"]

    def save_model(self, request, obj, form, change):
        for warning in form.word_warnings:
            messages.warning(request, warning)
        fields = {name: form.cleaned_data[name] for name in SubmissionForm.Meta.fields
                  if name != "attachment"}
        if "attachment" in form.changed_data:  # a new file, or False when 清除 was ticked
            fields["attachment"] = form.cleaned_data["attachment"] or ""
        if change:
            services.submission_update(submission=obj, by=request.user, **fields)
        else:
            unit = Reporter.objects.get(user_id=request.user.pk).unit
            created = services.submission_create(unit=unit, by=request.user, **fields)
            obj.pk = created.pk

    def change_view(self, request, object_id, form_url="", extra_context=None):
        item = self.get_object(request, object_id)
        extra = {"item": item, "is_handler": is_handler(request.user),
                 "is_reporter": item is not None and reporter_unit_id(request.user) == item.unit_id,
                 "events": item.events.select_related("issue__publication") if item else []}
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    @admin.action(description="采用所选信息（多条为综合采用）", permissions=["handle"])
    def adopt_selected(self, request, queryset):
        ids = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True))
        return HttpResponseRedirect(f"{reverse('intake:adopt')}?ids={ids}")

    def has_handle_permission(self, request):
        return is_handler(request.user)


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["subject", "deadline", "all_units", "created_at", "reminded_at"]
    fields = ["subject", "request", "deadline", "units"]
    filter_horizontal = ["units"]
    change_form_template = "admin/intake/call/change_form.html"

    def get_queryset(self, request):
        unit_id = reporter_unit_id(request.user)
        queryset = super().get_queryset(request)
        return queryset.addressed_to(unit_id) if unit_id is not None else queryset

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        call = services.call_create(by=request.user, subject=form.cleaned_data["subject"],
                                    request=form.cleaned_data["request"],
                                    deadline=form.cleaned_data["deadline"], units=form.cleaned_data["units"])
        obj.pk = call.pk

    def save_related(self, request, form, formsets, change):
        """The units were set by the service."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        call = self.get_object(request, object_id)
        extra = {}
        if call is not None:
            replied = services.call_replied_unit_ids(call=call)
            units = list(services.call_units(call=call))
            extra = {"replied": [u for u in units if u.pk in replied],
                     "pending": [u for u in units if u.pk not in replied],
                     "can_remind": is_handler(request.user)}
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})


@admin.register(Recognition)
class RecognitionAdmin(admin.ModelAdmin):
    list_display = ["submission", "kind", "level", "name", "date"]
    list_filter = ["kind", "level"]
    list_select_related = ["submission"]
    form = RecognitionForm
    fields = ["submission", "kind", "level", "name", "date", "evidence", "note"]
    raw_id_fields = ["submission"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        created = services.recognition_record(by=request.user, **{
            name: form.cleaned_data[name] for name in self.fields})
        obj.pk = created.pk


@admin.register(ScoringRules)
class ScoringRulesAdmin(admin.ModelAdmin):
    list_display = ["year", "single_points", "combined_points", "monthly_quota", "quota_deduction",
                    "updated_at"]
    fields = ["year", *RULE_FIELDS]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.year < timezone.localdate().year:
            return self.fields  # kept with that year's results
        return ["year"] if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        saved = services.scoring_rules_save(year=obj.year, by=request.user,
                                            **{name: getattr(obj, name) for name in RULE_FIELDS})
        obj.pk = saved.pk


@admin.register(Reporter)
class ReporterAdmin(admin.ModelAdmin):
    list_display = ["user", "unit"]
    list_select_related = ["user", "unit"]
    autocomplete_fields = ["unit"]
    raw_id_fields = ["user"]

    def get_readonly_fields(self, request, obj=None):
        return ["user"] if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.reporter_assign(user=obj.user, unit=obj.unit, by=request.user)
        obj.pk = Reporter.objects.get(user=obj.user).pk
