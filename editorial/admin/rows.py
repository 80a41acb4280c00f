"""Saving an inline's rows through the services: only what the user added, changed or deleted."""

from collections.abc import Callable


def save_changed_rows(formset, *, add: Callable, change: Callable, delete: Callable) -> None:
    """Call `add(form)` (which returns the new record), `change(form)` and `delete(record)` for
    the rows the user added, changed and deleted, and tell the admin's change message of them.

    A new row's `form.instance` is first prepared by the formset's `save_new` (unsaved): it names
    its parent, and a sortable inline's blank row, which posts position 0, goes after the others."""
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
    for form in formset.forms:
        record = form.instance
        if form in formset.deleted_forms:
            if record.pk is not None:
                delete(record)
                formset.deleted_objects.append(record)
        elif form.has_changed():
            if record.pk is None:
                formset.save_new(form, commit=False)
                formset.new_objects.append(add(form))
            else:
                change(form)
                formset.changed_objects.append((record, form.changed_data))
