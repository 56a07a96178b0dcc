from django.apps import AppConfig


class InspectionConfig(AppConfig):
    name = "inspection"
    verbose_name = "Inspections and framework"

    def ready(self):
        from . import published
        from .framework import frozen, revision

        published.connect()
        frozen.connect()
        revision.connect()
