from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Cases and answers"

    def ready(self):
        # The inspection app sits below this one: it is told about cases here, never imports them.
        from inspection import lifecycle, published, report_writing
        from inspection.framework import case_attributes, versioning

        from .counting import CASE_ATTRIBUTES
        from .framework_move import remap_questions
        from .models import Answer, Case, DipSample, PracticeExample, QAQuestionReview, QAReview
        from .practice_examples import case_reference_problems
        from .publishing import (
            CASES_HEADING,
            QA_HEADING,
            case_blockers,
            lock_cases,
            qa_blockers,
            user_ties,
        )

        case_attributes.register(CASE_ATTRIBUTES)
        published.guard(Case)
        published.guard(Answer, lambda answer: answer.case.inspection_id)
        published.guard(DipSample)
        published.guard_m2m(DipSample.cases.through)
        published.guard(QAReview, lambda review: review.case.inspection_id)
        published.guard(QAQuestionReview, lambda verdict: verdict.review.case.inspection_id)
        published.guard(PracticeExample, lambda example: example.answer.case.inspection_id)
        published.guard_user_ties(user_ties)
        lifecycle.register_publish_check(case_blockers, heading=CASES_HEADING)
        lifecycle.register_publish_check(qa_blockers, heading=QA_HEADING)
        lifecycle.register_publish_lock(lock_cases)
        versioning.register_question_remap(remap_questions)
        report_writing.register_text_check(case_reference_problems)
