from django.apps import AppConfig


class InspectionConfig(AppConfig):
    name = "inspection"
    verbose_name = "Inspections and framework"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import published
        from .framework import frozen, loader, revision

        published.connect()
        frozen.connect()
        revision.connect()
        # A framework ships as a file in inspection/frameworks/: loaded once, after migrate.
        post_migrate.connect(loader.load_shipped, sender=self, dispatch_uid="load-shipped")
