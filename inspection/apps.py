from django.apps import AppConfig


class InspectionConfig(AppConfig):
    name = "inspection"
    verbose_name = "Inspections and framework"

    def ready(self):
        from . import framework_revision, published

        published.connect()
        framework_revision.connect()
