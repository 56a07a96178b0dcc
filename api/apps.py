from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "Read API"

    def ready(self):
        from . import schema  # noqa: F401  registers the bearer scheme with drf-spectacular
