from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Cases and answers"

    def ready(self):
        # The inspection app sits below this one and never imports it: the cases' rows of a
        # published inspection are guarded by receivers connected here.
        from django.conf import settings
        from django.db.models.signals import pre_delete

        from inspection import published

        from .models import (
            Answer,
            Case,
            DipSample,
            DrawnCase,
            PracticeExample,
            QAQuery,
            QAQueryMessage,
            QAQuestionReview,
            QAReview,
            ReliabilitySample,
            SampleDraw,
            SecondAnswer,
            SecondMarking,
        )
        from .publishing import user_ties

        published.guard(Case)
        published.guard(Answer, lambda answer: answer.case.inspection_id)
        published.guard(DipSample)
        published.guard_m2m(DipSample.cases.through)
        published.guard(QAReview, lambda review: review.case.inspection_id)
        published.guard(QAQuestionReview, lambda verdict: verdict.review.case.inspection_id)
        published.guard(PracticeExample, lambda example: example.answer.case.inspection_id)
        published.guard(SampleDraw)
        published.guard(DrawnCase, lambda row: row.draw.inspection_id)
        published.guard(ReliabilitySample)
        published.guard(SecondMarking, lambda marking: marking.case.inspection_id)
        published.guard(SecondAnswer, lambda answer: answer.marking.case.inspection_id)
        published.guard(QAQuery, lambda query: query.case.inspection_id)
        published.guard(QAQueryMessage, lambda message: message.query.case.inspection_id)

        def refuse_deleting_a_user_of_a_published_case(sender, instance, **kwargs):
            published.refuse_deleting_tied_user(instance, user_ties(instance))

        pre_delete.connect(
            refuse_deleting_a_user_of_a_published_case,
            sender=settings.AUTH_USER_MODEL,
            weak=False,
            dispatch_uid="published-user-cases",
        )
