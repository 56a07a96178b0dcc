"""The one results model: plain data that survives storage exactly."""

import json

import pytest

from reports import plain_data
from reports.report_model import Report, build_report

pytestmark = pytest.mark.django_db


def test_the_reference_report_round_trips_through_json_exactly(reference_inspection):
    report = build_report(reference_inspection)
    stored = json.loads(plain_data.canonical_json(plain_data.dump(report)))
    again = plain_data.load(Report, stored)
    assert again == report
    assert plain_data.checksum(plain_data.dump(again)) == plain_data.checksum(stored)
    assert again.score == 10 and again.max_score == 27
    assert again.standard("2.2").key_questions[2].count.yes == 11
