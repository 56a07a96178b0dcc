"""Forms of the cases app shared by its pages and Django admin."""

from django import forms

from .models import Case
from .sample_import import MAX_BYTES, SampleRefused, import_sample


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
            # One byte past the limit is enough to refuse it; the rest is never read.
            upload = self.cleaned_data["file"].read(MAX_BYTES + 1)
            return import_sample(inspection, upload, by)
        except SampleRefused as refused:
            self.problems = refused.problems
            return None
