"""The inspection report page and its drill-down to the cases behind a percentage."""

from django.http import Http404
from django.shortcuts import render

from cases.blinding import refuse_while_blinded
from inspection.access import can_see_cases, inspection_or_404

from ..breakdowns import MIN_RELEVANT_CASES
from ..drilldown import count_of, question_for, relevant_answers
from ..front_matter import front_matter
from ..publication import published_report
from ..report_model import build_report
from ..statistics import wilson_interval


def report(request, inspection_id: int):
    inspection = inspection_or_404(request.user, inspection_id)
    refuse_while_blinded(request.user, inspection)  # a draft's figures count blind answers
    # A published record never changes: its page body is rendered once and kept (by record).
    report, record_key = published_report(inspection) or (build_report(inspection), None)
    return render(
        request,
        "reports/report.html",
        {
            "inspection": inspection,
            "report": report,
            "record_key": record_key,
            "can_see_cases": can_see_cases(request.user, inspection),
            "min_relevant_cases": MIN_RELEVANT_CASES,
            # The page lists its footnotes at the end; only the PDF prints them where cited.
            "pdf_notes": (),
            **front_matter(inspection),
        },
    )


def drilldown(request, inspection_id: int, code: str):
    inspection = inspection_or_404(request.user, inspection_id, need=can_see_cases)
    refuse_while_blinded(request.user, inspection)
    question = question_for(inspection, code)
    if question is None:
        raise Http404("No such question")
    answers = relevant_answers(inspection, question)
    count = count_of(answers)
    return render(
        request,
        "reports/drilldown.html",
        {
            "inspection": inspection,
            "question": question,
            "answers": answers,
            "count": count,
            "interval": wilson_interval(count.yes, count.relevant),
        },
    )
