"""What a browser would post back from an admin change page, read from the page's own forms."""

from django.forms import CheckboxInput


def _value(bound_field):
    value = bound_field.value()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _add_form(data: dict, form) -> None:
    for bound_field in form:
        value = _value(bound_field)
        if isinstance(bound_field.field.widget, CheckboxInput) and not value:
            continue  # a browser sends nothing for an unticked box
        data[bound_field.html_name] = value


def change_form_data(response) -> dict:
    """The POST data of the change page in `response`, as it stands (nothing edited)."""
    data: dict = {}
    _add_form(data, response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{name}"] = value
        for form in formset.forms:
            _add_form(data, form)
    return data
