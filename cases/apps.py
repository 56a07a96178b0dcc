from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Cases and answers"

    def ready(self):
        # The inspection app sits below this one: it is told about cases here, never imports them.
        from inspection import lifecycle, published

        from .models import Answer, Case
        from .publishing import lock_cases, publish_blockers

        published.guard(Case)
        published.guard(Answer, lambda answer: answer.case.inspection_id)
        lifecycle.register_publish_check(publish_blockers)
        lifecycle.register_publish_lock(lock_cases)
