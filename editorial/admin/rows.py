"""Saving an inline's rows through the services: only what the user added, changed or deleted."""

from collections.abc import Callable


def save_changed_rows(formset, *, add: Callable, change: Callable, delete: Callable) -> None:
    """Call `add(form)` (which returns the new record), `change(form)` and `delete(record)` for
    the rows the user added, changed and deleted, and tell the admin's change message of them."""
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
    for form in formset.forms:
        record = form.instance
        if form in formset.deleted_forms:
            if record.pk is not None:
                delete(record)
                formset.deleted_objects.append(record)
        elif form.has_changed():
            if record.pk is None:
                formset.new_objects.append(add(form))
            else:
                change(form)
                formset.changed_objects.append((record, form.changed_data))
