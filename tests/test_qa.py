"""Quality assurance: reproducible dip samples, returns with comments, sign-off."""

import pytest
from django.urls import reverse

from cases.choices import CaseStatus
from cases.models import Case, QAReview
from cases.qa import QARefused, draw_dip_sample
from tests.case_helpers import agree_to_all, team_member


@pytest.fixture
def lead(reference_inspection):
    user = team_member(reference_inspection, "lead", "Lee", "Lead")
    reference_inspection.lead_inspector = user
    reference_inspection.save()
    return user


@pytest.mark.django_db
def test_dip_sample_is_the_stated_share_and_reproducible(reference_inspection, lead):
    first = draw_dip_sample(reference_inspection, 20, lead)
    refs = sorted(first.cases.values_list("ref", flat=True))
    assert len(refs) == 5  # 20% of 21 complete cases, rounded up
    # The same draw (same seed) picks the same cases.
    first.delete()
    again = draw_dip_sample(reference_inspection, 20, lead)
    assert again.seed == first.seed
    assert sorted(again.cases.values_list("ref", flat=True)) == refs
    with pytest.raises(QARefused):
        draw_dip_sample(reference_inspection, 0, lead)


@pytest.mark.django_db
def test_return_with_comments_then_sign_off(client, reference_inspection, lead):
    inspector = team_member(reference_inspection, "ines", "Ines", "Inspector")
    case = Case.objects.get(inspection=reference_inspection, ref="BWD-04")
    client.force_login(lead)
    review_url = reverse("cases:review", args=[case.pk])
    verdicts = {**agree_to_all(case), "agree-2.2.3": "no"}
    response = client.post(review_url, {**verdicts, "outcome": "returned"})
    assert response.status_code == 400
    assert "Say why you disagree with the answer to 2.2.3" in response.content.decode()

    client.post(
        review_url,
        {
            **verdicts,
            "comment-2.2.3": "Victim concerns were analysed; this should be yes.",
            "comment": "Please look again at 2.2.3.",
            "outcome": "returned",
        },
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.RETURNED

    client.force_login(inspector)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Returned by quality assurance" in page
    assert "Victim concerns were analysed; this should be yes." in page
    assert client.post(reverse("cases:complete", args=[case.pk])).status_code == 302

    client.force_login(lead)
    response = client.post(review_url, {**agree_to_all(case), "outcome": "signed_off"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.SIGNED_OFF
    assert list(QAReview.objects.filter(case=case).values_list("outcome", flat=True)) == [
        "signed_off",
        "returned",
    ]


@pytest.mark.django_db
def test_inspectors_cannot_review(client, reference_inspection, lead):
    inspector = team_member(reference_inspection, "ines")
    case = Case.objects.get(inspection=reference_inspection, ref="BWD-04")
    client.force_login(inspector)
    assert (
        client.post(reverse("cases:review", args=[case.pk]), {"outcome": "signed_off"}).status_code
        == 404
    )


@pytest.mark.django_db
def test_lead_assigns_cases_to_team_members_only(client, reference_inspection, lead):
    inspector = team_member(reference_inspection, "ines", "Ines", "Inspector")
    outsider = team_member(reference_inspection, "temp")
    reference_inspection.team.remove(outsider)
    case = Case.objects.get(inspection=reference_inspection, ref="BWD-07")
    url = reverse("cases:assign", args=[case.pk])
    client.force_login(lead)
    assert 'id="inspector"' in client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    client.post(url, {"inspector": inspector.pk})
    case.refresh_from_db()
    assert case.assigned_inspector == inspector
    response = client.post(url, {"inspector": outsider.pk}, follow=True)
    assert "Choose an inspector who is on this inspection&#x27;s team" in response.content.decode()
    case.refresh_from_db()
    assert case.assigned_inspector == inspector
    client.force_login(inspector)
    assert client.post(url, {"inspector": ""}).status_code == 404
