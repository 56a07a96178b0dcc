from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports"

    def ready(self):
        # Publishing calls its checks itself (reports/publishing.py), and writing the report its
        # text checks (reports/report_writing.py); here only the stored record's own guards.
        from inspection import published

        from . import publication
        from .models import PreviousProgress

        publication.connect()
        # The copy of a previous inspection's progress is part of this inspection's report.
        published.guard(PreviousProgress)
