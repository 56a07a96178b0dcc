from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports"

    def ready(self):
        # Publishing (in inspection, below) stores the results model: registered, not imported.
        from inspection import lifecycle

        from . import publication

        lifecycle.register_on_publish(publication.store)
        publication.connect()
