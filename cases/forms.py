"""Forms of the cases app shared by its pages and Django admin."""

from django import forms

from .models import Case
from .sample_import import SampleRefused, import_sample


class SampleUploadForm(forms.Form):
    file = forms.FileField(
        label="Case sample (CSV)",
        error_messages={"required": "Choose a CSV file of sampled cases"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.problems: list[str] = []

    def import_into(self, inspection, by) -> list[Case] | None:
        """Import the valid upload; None if the file was refused (see self.problems)."""
        try:
            return import_sample(inspection, self.cleaned_data["file"].read(), by)
        except SampleRefused as refused:
            self.problems = refused.problems
            return None
