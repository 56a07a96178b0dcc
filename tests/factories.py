import datetime

import factory
from django.contrib.auth import get_user_model

from cases.models import Answer, Case
from inspection.framework.spec import load_framework_spec
from inspection.models import PDU, Framework, Inspection, Question, Region, SampleWindow


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User {n}")
    password = factory.django.Password("correct-horse-battery")


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Region {n}")


class PDUFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PDU

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"PDU {n}")


class InspectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inspection
        skip_postgeneration_save = True

    pdu = factory.SubFactory(PDUFactory)
    framework = factory.LazyFunction(lambda: Framework.objects.newest("hmip-pdu-2021"))
    fieldwork_start = datetime.date(2024, 3, 4)
    status = "fieldwork"
    window = factory.RelatedFactory(
        "tests.factories.SampleWindowFactory", factory_related_name="inspection"
    )


class SampleWindowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SampleWindow

    inspection = factory.SubFactory(InspectionFactory)
    start = datetime.date(2023, 9, 1)
    end = datetime.date(2023, 9, 14)


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    inspection = factory.SubFactory(InspectionFactory)
    ref = factory.Sequence(lambda n: f"CASE-{n:04d}")
    sentence_type = "community_order"
    start_date = datetime.date(2023, 9, 5)
    court_work = factory.Sequence(lambda n: n % 2 == 0)
    resettlement = False
    gender = "male"
    ethnicity = "white"
    disability = False
    age_band = "26-35"
    rosh = "medium"


def answer_everything(cases, value_for=lambda case, question: "yes"):
    """Answer every applicable question on each case, under its inspection's framework; returns
    the answers created."""
    if not cases:
        return []
    spec = load_framework_spec(cases[0].inspection.framework)
    questions = {q.pk: q for q in Question.objects.filter(framework_id=spec.id)}
    return Answer.objects.bulk_create(
        Answer(case=case, question=questions[q.id], value=value_for(case, questions[q.id]))
        for case in cases
        for q in spec.questions
        if case.applies(q.when)
    )
