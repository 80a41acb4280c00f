"""Admin pages of the reference data (publications, columns, organisations, distribution lists):
every save and delete goes through the reference services, so each is on record with its user."""

from django.db import transaction

from bulletins.services.reference import reference_delete, reference_save
from editorial.admin.rows import save_changed_rows


class ReferenceAdminMixin:
    def save_model(self, request, obj, form, change):
        reference_save(record=obj, by=request.user)

    def delete_model(self, request, obj):
        reference_delete(record=obj, by=request.user)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for record in queryset:
            reference_delete(record=record, by=request.user)

    def save_formset(self, request, form, formset, change):
        """Save only the rows the user added, changed or deleted, each through its service."""
        def save(row):
            return reference_save(record=row.instance, by=request.user)

        def delete(record):
            reference_delete(record=record, by=request.user)

        save_changed_rows(formset, add=save, change=save, delete=delete)
