"""The bundle carries blind double marking (bundles/double_marking.py): the reliability sample
and each marking both markers had done, reconciled or not; export, import and export again give
the same section, and the same agreement figures. A bad section is refused, each problem named,
and nothing is written."""

import copy

import pytest
from django.urls import reverse

from bundles.exporter import export_bundle
from bundles.importer import import_bundle
from bundles.validation import BundleError
from cases.double_marking import (
    draw_reliability_sample,
    inspection_agreement,
    reconcile,
    reliability_summary,
)
from cases.models import ReliabilitySample, SecondMarking
from inspection.models import Inspection
from tests.double_marking_helpers import second_mark, seconds_of, team_of_three

pytestmark = pytest.mark.django_db


@pytest.fixture
def double_marked(reference_inspection, lead):
    """Seed 7's five markings: the first differs on one key question and is reconciled, the
    next three are done, the last is not submitted (so not in the bundle)."""
    team_of_three(reference_inspection)
    draw_reliability_sample(reference_inspection, 20, lead, seed=7)
    markings = list(SecondMarking.objects.select_related("case", "marker").order_by("case__ref"))
    differing = next(iter(second_mark(markings[0], differ_on_first=True)))
    for marking in markings[1:-1]:
        second_mark(marking)
    first = SecondMarking.objects.get(pk=markings[0].pk)
    reconcile(first, {differing: seconds_of(first)[differing]}, lead)
    return reference_inspection, markings


def test_export_import_export_round_trips_the_double_marking(double_marked, client, admin_user):
    inspection, markings = double_marked
    exported = export_bundle(inspection)
    section = exported["double_marking"]
    assert (section["share_percent"], section["seed"]) == (20, 7)
    refs = [m.case.ref for m in markings]
    assert sorted(section["cases"]) == refs[:-1]  # the one not submitted is left out
    assert "agreed" in section["cases"][refs[0]]
    assert all("agreed" not in section["cases"][ref] for ref in refs[1:-1])
    assert section["cases"][refs[0]]["second"] == seconds_of(markings[0])

    again = import_bundle(exported)

    imported = SecondMarking.objects.filter(case__inspection=again).order_by("case__ref")
    assert [m.case.ref for m in imported] == refs[:-1]
    assert all(m.marker is None and m.first_marker is None for m in imported)
    assert all(m.submitted_at and m.unblinded_at for m in imported)
    assert [m.reconciled_at is not None for m in imported] == [True, False, False, False]
    assert ReliabilitySample.objects.get(inspection=again).seed == 7
    # The figures are those of the markings both markers had done, as they were there.
    assert inspection_agreement(again) == inspection_agreement(inspection)
    assert export_bundle(again)["double_marking"] == section
    assert reliability_summary(again)["markings"][0]["first_marker"] is None
    client.force_login(admin_user)
    page = client.get(reverse("cases:double_marking", args=[again.pk]))
    assert page.status_code == 200
    assert "not recorded" in page.content.decode()


def test_an_inspection_without_double_marking_exports_no_section(reference_inspection):
    assert "double_marking" not in export_bundle(reference_inspection)


@pytest.mark.parametrize(
    "breakage, message",
    [
        (lambda s: s.update(share_percent=0), "double_marking.share_percent: expected a whole"),
        (lambda s: s.update(seed="seven"), "double_marking.seed: expected a whole number"),
        (lambda s: s.pop("seed"), "double_marking: seed: required"),
        (lambda s: s.update(extra=1), "double_marking: unknown field 'extra'"),
        (
            lambda s: s["cases"].update({"NOPE-1": s["cases"][next(iter(s["cases"]))]}),
            "double_marking.cases.'NOPE-1': not a case in the bundle",
        ),
        (
            lambda s: first(s)["second"].update({"2.1.1": "maybe"}),
            "double_marking.cases.{ref}.second.2.1.1: 'maybe' is not one of yes, no, na",
        ),
        (
            lambda s: first(s)["second"].update({"1.1.1": "yes"}),
            "double_marking.cases.{ref}.second: '1.1.1' is not a key question of the framework",
        ),
        (
            lambda s: first(s)["agreed"].pop(next(iter(first(s)["agreed"]))),
            "double_marking.cases.{ref}.agreed: no agreed answer for",
        ),
        (lambda s: first(s).pop("first"), "double_marking.cases.{ref}: first: required"),
    ],
)
def test_a_bad_section_is_refused_naming_the_place(double_marked, breakage, message):
    inspection, _ = double_marked
    exported = export_bundle(inspection)
    bundle = copy.deepcopy(exported)
    breakage(bundle["double_marking"])
    before = Inspection.objects.count(), SecondMarking.objects.count()
    with pytest.raises(BundleError) as refused:
        import_bundle(bundle)
    ref = sorted(exported["double_marking"]["cases"])[0]
    assert any(p.startswith(message.format(ref=ref)) for p in refused.value.problems), (
        refused.value.problems
    )
    assert (Inspection.objects.count(), SecondMarking.objects.count()) == before


def first(section) -> dict:
    return section["cases"][sorted(section["cases"])[0]]
