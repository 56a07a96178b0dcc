"""Driving Django admin's change pages in tests."""


def admin_form_data(response) -> dict:
    """What the admin change page would post back unchanged: its form and every inline."""
    data = {}

    def take(form):
        for field in form:
            value = field.value()
            if isinstance(value, bool):
                if value:
                    data[field.html_name] = "on"
            elif isinstance(value, list):
                data[field.html_name] = [str(v) for v in value]
            elif value is not None:
                data[field.html_name] = str(value)
            if field.field.show_hidden_initial:  # as the page renders it (callable defaults)
                data[field.html_initial_name] = data.get(field.html_name, "")

    take(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        take(inline.formset.management_form)
        for form in inline.formset.forms:
            take(form)
    return data
