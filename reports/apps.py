from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports"

    def ready(self):
        # Publishing (in inspection, below) stores the results model: registered, not imported.
        from inspection import lifecycle, report_writing

        from . import citations, domain1, number_check, pooling, publication, required_parts

        lifecycle.register_on_publish(publication.store)
        publication.connect()
        # The words the lead saves are checked for citations the inspection cannot render.
        report_writing.register_text_check(citations.text_problems)
        # Before publishing: every judgement given, every required part of the written report
        # written, and its citations checked again, all of them; a region's pool not empty.
        lifecycle.register_publish_check(
            domain1.judgement_blockers, heading=domain1.JUDGEMENTS_HEADING
        )
        written = required_parts.WRITTEN_REPORT_HEADING
        lifecycle.register_publish_check(required_parts.unwritten_parts, heading=written)
        lifecycle.register_publish_check(citations.written_report_problems, heading=written)
        # ... and every number typed by hand that matches no figure of its part is confirmed.
        lifecycle.register_publish_check(
            number_check.unconfirmed_numbers, heading=number_check.NUMBERS_HEADING
        )
        lifecycle.register_publish_check(pooling.nothing_pooled, heading=pooling.POOLING_HEADING)
