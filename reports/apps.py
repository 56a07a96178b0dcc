from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports"

    def ready(self):
        # Publishing calls its checks itself (reports/publishing.py), and writing the report its
        # text checks (reports/report_writing.py); here only the stored record's own guards.
        from . import publication

        publication.connect()
