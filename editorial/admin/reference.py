"""Admin pages of the reference data (publications, columns, organisations, distribution lists):
every save and delete goes through the reference services, so each is on record with its user."""

from django.db import transaction

from bulletins.services.reference import reference_delete, reference_save


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
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline_form in formset.forms:
            record = inline_form.instance
            if inline_form in formset.deleted_forms:
                if record.pk is not None:
                    reference_delete(record=record, by=request.user)
                    formset.deleted_objects.append(record)
            elif inline_form.has_changed():
                created = record.pk is None
                setattr(record, formset.fk.name, formset.instance)
                reference_save(record=record, by=request.user)
                if created:
                    formset.new_objects.append(record)
                else:
                    formset.changed_objects.append((record, inline_form.changed_data))
