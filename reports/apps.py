from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports"

    def ready(self):
        # Publishing (in inspection, below) stores the results model: registered, not imported.
        from inspection import lifecycle, report_writing

        from . import citations, number_check, publication

        lifecycle.register_on_publish(publication.store)
        publication.connect()
        # The words the lead saves are checked for citations the inspection cannot render.
        report_writing.register_text_check(citations.text_problems)
        # ... and checked again, all of them, before publishing.
        lifecycle.register_publish_check(citations.written_report_problems)
        # ... and every number typed by hand that matches no figure of its part is confirmed.
        lifecycle.register_publish_check(number_check.unconfirmed_numbers)
