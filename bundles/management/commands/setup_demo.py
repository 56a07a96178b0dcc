"""Demo data for a newcomer: the reference inspection (published, with action plans under way),
one in fieldwork, today's programme (an hmip-pdu-2023 inspection in fieldwork; published
hmip-pdu-2023 inspections of North West region's PDUs and the region inspection pooling them), and
one user per role.

Idempotent: running it again leaves existing data alone and prints the same log-ins. The
generated answers come from a fixed seed, so every run (and every machine) gets the same demo.
"""

import csv
import datetime
import io
import json
import random
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from bundles import FORMAT
from bundles.generated import questions_asked
from bundles.importer import import_bundle
from cases import qa_queries
from cases.changes import answer_entry, change_details, set_status
from cases.choices import CaseStatus
from cases.double_marking import draw_reliability_sample, save_second_marks
from cases.models import Answer, ReliabilitySample, SecondMarking
from cases.qa import key_questions_to_review
from cases.sample_import import import_sample
from inspection import access, audit, lifecycle, second_factor, team
from inspection.choices import Addressee, InspectionStatus, PlanProgress, QuestionKind, Rating
from inspection.framework.spec import load_framework_spec
from inspection.isbn import check_digit
from inspection.models import (
    Domain1Judgement,
    Framework,
    Inspection,
    ManagerScope,
    Region,
    ReportPart,
    SampleWindow,
)
from reports import action_plans, publishing, report_writing
from reports.judgements import UNJUDGED, judgement_entries
from reports.models import ActionPlan, Theme

REFERENCE_BUNDLE = Path(settings.BASE_DIR) / "inspection/demo/blackburn-with-darwen-2023.json"
REFERENCE_START = datetime.date(2023, 3, 27)
# The fieldwork demo: the reference sample moved to this week, part-way through data entry.
FIELDWORK_PDU = "Blackburn with Darwen (fieldwork demo)"
FIELDWORK_START = datetime.date(2026, 11, 23)
NOT_STARTED_CASES = 4
IN_PROGRESS_CASES = 5

# Today's programme, all in the demo manager's region.
SEED = 2023
REGION = "North West"
PDU_FRAMEWORK = "hmip-pdu-2023"
REGION_FRAMEWORK = "hmip-region-2023"
PROGRAMME = "2024-25"
# The published PDU inspections the region inspection pools: (PDU, fieldwork start, cases).
POOLED_PDUS = [
    ("Bolton", datetime.date(2024, 5, 13), 8),
    ("Wigan", datetime.date(2024, 7, 8), 7),
    ("Preston", datetime.date(2024, 10, 7), 9),
]
POOLED_WINDOW = ("2023-09-01", "2023-09-30")
REGION_START = datetime.date(2025, 1, 13)
REGION_CASES = 6
# The hmip-pdu-2023 inspection in fieldwork: some cases done, some part-answered, some not begun.
REVISED_PDU = "Cumbria"
REVISED_START = datetime.date(2026, 11, 30)
REVISED_WINDOW = ("2026-05-04", "2026-05-31")
REVISED_CASES = (3, 3, 3)  # complete, in progress, not started
DEMO_SIGNATORY = ("Justin Russell", "Chief Inspector of Probation")

# username, full name, group, is admin; every demo password is DEMO_PASSWORD.
DEMO_USERS = [
    ("admin", "Ada Admin", None, True),
    ("lead", "Billie Lead", "Lead inspector", False),
    ("inspector1", "Ines Inspector", "Inspector", False),
    ("inspector2", "Ivan Inspector", "Inspector", False),
    ("manager", "Morgan Manager", "Manager", False),
    ("pdumanager", "Pat Manager", "Manager", False),
]
DEMO_PASSWORD = "demo-password-2023"


class Command(BaseCommand):
    help = "Load the demo inspections and create demo users (development only)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="create demo users even with DEBUG off (never on a real service)",
        )

    def handle(self, *args, allow_production, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "setup_demo creates well-known passwords; it runs only with DEBUG on."
            )
        bundle = json.loads(REFERENCE_BUNDLE.read_text(encoding="utf-8"))
        with transaction.atomic():
            users = {row[0]: self._user(*row) for row in DEMO_USERS}
            reference = self._inspection(bundle, REFERENCE_START, users, published=True)
            fieldwork = self._inspection(
                _moved_to_fieldwork(bundle), FIELDWORK_START, users, published=False
            )
            ManagerScope.objects.get_or_create(
                user=users["manager"], region=Region.objects.get(name=REGION)
            )
            # The reference PDU's own manager, who answers its recommendations.
            ManagerScope.objects.get_or_create(user=users["pdumanager"], pdu=reference.pdu)
            _action_plans(reference, users)
            _double_marking(fieldwork, users)
            programme = self._programme(users)
            second_factors = _demo_second_factors(users)

        for inspection in (reference, fieldwork, *programme):
            status = inspection.get_status_display().lower()
            self.stdout.write(f"Inspection {inspection.pk} ({status}): {inspection}")
        self.stdout.write(f"Demo log-ins (password for all: {DEMO_PASSWORD}):")
        for username, full_name, group, is_admin in DEMO_USERS:
            role = "admin" if is_admin else group.lower()
            self.stdout.write(f"  {username:<11} {role:<15} {full_name}")
        self._print_second_factors(second_factors)

    def _print_second_factors(self, second_factors):
        self.stdout.write(
            "Admins and leads also enter a code: add the key to an authenticator app (or run "
            "`oathtool --totp -b KEY`), or use a recovery code (each works once)."
        )
        for username, (device, codes) in second_factors.items():
            self.stdout.write(f"  {username:<11} key {second_factor.secret_of(device)}")
            self.stdout.write(f"  {'':<11} {device.config_url}")
            if codes:
                self.stdout.write(f"  {'':<11} recovery codes: {' '.join(codes)}")
            else:
                self.stdout.write(
                    f"  {'':<11} recovery codes: printed when first made; new ones on the "
                    "Two-factor sign-in page"
                )

    def _user(self, username, full_name, group, is_admin):
        first, last = full_name.split(" ", 1)
        user, created = get_user_model().objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                # For password reset and action plan reminders (the console shows the e-mail).
                "email": f"{username}@example.org",
                "is_staff": is_admin,
                "is_superuser": is_admin,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        if group:
            user.groups.add(Group.objects.get_or_create(name=group)[0])
        return user

    def _inspection(self, bundle, start, users, *, published, programme="") -> Inspection:
        existing = Inspection.objects.filter(
            pdu__name=bundle["inspection"]["pdu"], fieldwork_start=start
        ).first()
        if existing:
            return existing
        # Through the services, so the demo's audit trail reads as a real one would.
        inspection = import_bundle(bundle, by=users["admin"])
        if programme:  # a bundle carries no programme: an admin sets it on the inspection
            inspection.programme = programme
            inspection.save(update_fields=["programme"])
        team.set_lead(inspection, users["lead"], users["admin"])
        team.set_team(
            inspection, [users["lead"], users["inspector1"], users["inspector2"]], users["admin"]
        )
        for index, case in enumerate(inspection.cases.order_by("ref")):
            inspector = users[f"inspector{index % 2 + 1}"]
            change_details(case, {"assigned_inspector": inspector}, users["lead"])
        # Through the lifecycle, as a lead would: its checks run and the results are stored.
        while published and inspection.status != InspectionStatus.PUBLISHED:
            publishing.move(inspection, lifecycle.FORWARD[inspection.status], users["lead"])
        return inspection

    def _programme(self, users) -> list[Inspection]:
        """Today's programme: the revised PDU framework in fieldwork, and a region's published
        PDU inspections with the region inspection that pools them."""
        revised = self._inspection(_revised_in_fieldwork(), REVISED_START, users, published=False)
        pooled = [
            self._inspection(
                _published_bundle(pdu, start, cases, number),
                start,
                users,
                published=True,
                programme=PROGRAMME,
            )
            for number, (pdu, start, cases) in enumerate(POOLED_PDUS, start=1)
        ]
        return [revised, *pooled, _region_inspection(users)]


def _action_plans(reference: Inspection, users) -> None:
    """Action plans on the published reference inspection: the PDU's first recommendation
    answered and submitted (waiting for the lead's review), the region's first in progress."""
    recommendations = reference.recommendations.order_by("order", "pk")
    pdu_first = recommendations.filter(addressee=Addressee.PDU).first()
    region_first = recommendations.filter(addressee=Addressee.REGION).first()
    if ActionPlan.objects.filter(recommendation__inspection=reference).exists():
        return
    today = datetime.date.today()
    pat, morgan = users["pdumanager"], users["manager"]
    for what, owner, weeks in (
        (
            "Audit ten risk of harm assessments each month, with feedback",
            "Senior probation officer",
            8,
        ),
        ("Train every practitioner in the new domestic abuse checks", "Head of PDU", 16),
    ):
        action_plans.add_action(
            pdu_first, what=what, owner=owner, due=today + datetime.timedelta(weeks=weeks), by=pat
        )
    action_plans.submit(pdu_first, by=pat)
    # The lead tags recommendations by theme (the national dashboard counts them).
    themes = {t.name: t for t in Theme.objects.all()}
    for recommendation, names in zip(
        recommendations, (["Court work"], ["Risk of harm"], ["Diversity"]), strict=False
    ):
        action_plans.set_themes(
            recommendation, [themes[n] for n in names if n in themes], by=users["lead"]
        )
    action_plans.add_action(
        region_first,
        what="Review the services commissioned for the region's PDUs",
        owner="Regional commissioning lead",
        due=today + datetime.timedelta(weeks=12),
        by=morgan,
    )
    action_plans.record_progress(
        region_first,
        on=today,
        progress=PlanProgress.IN_PROGRESS,
        text="The review has started: providers meet the region in the coming month.",
        by=morgan,
    )


def _double_marking(fieldwork: Inspection, users) -> None:
    """Blind double marking under way in the fieldwork demo: a 20% sample drawn; the second
    markings of two complete cases done (one differs on a key question, for the lead to
    reconcile), the rest still to do; and one QA query waiting for the inspector's reply."""
    if ReliabilitySample.objects.filter(inspection=fieldwork).exists():
        return
    lead = users["lead"]
    draw_reliability_sample(fieldwork, 20, lead, seed=SEED)
    done = (
        SecondMarking.objects.filter(case__inspection=fieldwork, case__status=CaseStatus.COMPLETE)
        .select_related("case", "marker")
        .order_by("case__ref")[:2]
    )
    for index, marking in enumerate(done):
        firsts = dict(
            Answer.objects.filter(case=marking.case).values_list("question__code", "value")
        )
        seconds = {
            q.code: firsts.get(q.code) or "yes" for q in key_questions_to_review(marking.case)
        }
        if index == 0:
            code = next(iter(seconds))
            seconds[code] = "no" if seconds[code] == "yes" else "yes"
        save_second_marks(marking, seconds, marking.marker, submit=True)
    queried = fieldwork.cases.filter(status=CaseStatus.COMPLETE).order_by("-ref").first()
    answer = (
        Answer.objects.filter(case=queried, value="no", question__kind=QuestionKind.KEY_QUESTION)
        .select_related("question")
        .order_by("question__order")  # the same query on every machine
        .first()
    )
    if answer is not None:
        qa_queries.raise_query(
            queried,
            answer.question,
            "The note does not say what was missing from the assessment: which part was it?",
            lead,
        )


def _rng(name: str) -> random.Random:
    """One generator per inspection, so each is the same whichever others already exist."""
    return random.Random(f"{SEED}:{name}")


def _generated_bundle(
    rng: random.Random, pdu: str, start: datetime.date, cases: int, window: tuple[str, str]
) -> dict:
    """A bundle of `cases` cases, each applicable question answered yes or no at random and a
    note on each key question answered no; no judgements, no report."""
    framework = Framework.objects.newest(PDU_FRAMEWORK)
    spec = load_framework_spec(framework)
    first, last = (datetime.date.fromisoformat(day) for day in window)
    bundle_cases = []
    for number in range(1, cases + 1):
        case = {
            "ref": f"{pdu[:3].upper()}-{number:02d}",
            "sentence_type": rng.choice(["community_order", "licence", "suspended_sentence_order"]),
            "start_date": (
                first + datetime.timedelta(rng.randint(0, (last - first).days))
            ).isoformat(),
            "court_work": rng.random() < 0.6,
            "resettlement": rng.random() < 0.4,
            "practitioners": rng.randint(1, 3),
            "attributes": {
                "gender": rng.choice(["male", "female"]),
                "ethnicity": rng.choice(["white", "white", "asian_or_asian_british", "mixed"]),
                "disability": rng.random() < 0.2,
                "age_band": rng.choice(["18-25", "26-35", "36-49", "50+"]),
                "rosh": rng.choice(["low", "medium", "high"]),
            },
        }
        answers, notes = {}, {}
        for question in questions_asked(spec, case):
            # Mostly yes, as in most inspections: the ratings then spread over the bands.
            answers[question.code] = "yes" if rng.random() < 0.65 else "no"
            if question.kind == "key_question" and answers[question.code] == "no":
                notes[question.code] = "The case record showed no evidence of this."
        bundle_cases.append({**case, "answers": answers, "notes": notes})
    return {
        "format": FORMAT,
        "framework": PDU_FRAMEWORK,
        "inspection": {
            "region": REGION,
            "pdu": pdu,
            "fieldwork_start": start.isoformat(),
            "sample_windows": [list(window)],
        },
        "domain1": {},
        "cases": bundle_cases,
    }


def _published_bundle(pdu: str, start: datetime.date, cases: int, number: int) -> dict:
    """A PDU inspection ready to publish: every case answered, the judged standards rated, and
    the written report's required parts (publishing checks each)."""
    rng = _rng(pdu)
    bundle = _generated_bundle(rng, pdu, start, cases, POOLED_WINDOW)
    spec = load_framework_spec(Framework.objects.newest(PDU_FRAMEWORK))
    # Never good or outstanding: a limiting rule may forbid those after a random court work.
    bundle["domain1"] = {
        s.code: {"rating": rng.choice([Rating.REQUIRES_IMPROVEMENT, Rating.INADEQUATE])}
        for s in spec.standards
        if s.judged
    }

    def part(text: str) -> list[dict]:
        return [{"heading": "", "body": [{"text": text}]}]

    demo = f"{pdu} PDU's inspection is demo data made by setup_demo from generated answers."
    first_twelve = f"978000000{number:03d}"  # under no real publisher's prefix
    bundle["report"] = {
        "signatory": DEMO_SIGNATORY[0],
        "signatory_title": DEMO_SIGNATORY[1],
        "isbn": f"{first_twelve}{check_digit(first_twelve)}",
        "parts": {
            "foreword": part(f"{demo} Its figures are pooled in the region's report."),
            "background": part(f"{pdu} PDU is one of the PDUs of {REGION} region."),
            "standards": {
                s.code: [{"heading": "", "strengths": [{"text": f"A strength of {pdu} PDU."}]}]
                for s in spec.standards
                if s.judged and s.rated
            },
            "acknowledgements": part("We thank the staff of the PDU for their help."),
            "annexe": part("The demo's cases were sampled in September."),
        },
    }
    return bundle


def _revised_in_fieldwork() -> dict:
    """An hmip-pdu-2023 inspection under way: the first cases done, the next part-answered (the
    later half of their questions still to do), the last not started."""
    complete, in_progress, not_started = REVISED_CASES
    total = complete + in_progress + not_started
    bundle = _generated_bundle(_rng(REVISED_PDU), REVISED_PDU, REVISED_START, total, REVISED_WINDOW)
    bundle["inspection"]["status"] = InspectionStatus.FIELDWORK
    for index, case in enumerate(bundle["cases"]):
        if index >= complete + in_progress:
            case["answers"], case["notes"] = {}, {}
        elif index >= complete:
            codes = list(case["answers"])
            for code in codes[len(codes) // 2 :]:
                case["answers"].pop(code)
                case["notes"].pop(code, None)
    return bundle


def _region_inspection(users) -> Inspection:
    """North West region's inspection of PROGRAMME, published: its own cases (read at the
    region) answered from the seed, its judged standards rated, its report's required parts
    written, and its pooled standards summed from the published PDU inspections above."""
    region = Region.objects.get(name=REGION)
    existing = Inspection.objects.filter(
        region=region, pdu__isnull=True, programme=PROGRAMME
    ).first()
    if existing:
        return existing
    rng = _rng(REGION)
    admin, lead = users["admin"], users["lead"]
    # As an admin makes one (a bundle holds PDU inspections only): it starts in planning.
    inspection = Inspection(
        region=region,
        framework=Framework.objects.newest(REGION_FRAMEWORK),
        programme=PROGRAMME,
        fieldwork_start=REGION_START,
    )
    inspection.full_clean()
    inspection.save()
    window = (datetime.date(2024, 9, 2), datetime.date(2024, 9, 30))
    SampleWindow.objects.create(inspection=inspection, start=window[0], end=window[1])
    team.set_lead(inspection, lead, admin)
    team.set_team(inspection, [lead, users["inspector1"], users["inspector2"]], admin)
    lifecycle.move(inspection, InspectionStatus.FIELDWORK, lead)

    sample = io.StringIO()
    writer = csv.writer(sample, lineterminator="\n")
    writer.writerow(
        ["ref", "sentence_type", "start_date", "court_work", "resettlement", "gender"]
        + ["ethnicity", "disability", "age_band", "rosh", "inspector"]
    )
    for number in range(1, REGION_CASES + 1):
        writer.writerow(
            [f"NWR-{number:02d}", rng.choice(["community_order", "licence"])]
            + [(window[0] + datetime.timedelta(rng.randint(0, 28))).isoformat(), "no", "no"]
            + [rng.choice(["male", "female"]), "white", "no", "26-35"]
            + [rng.choice(["low", "medium", "high"]), f"inspector{number % 2 + 1}"]
        )
    cases = import_sample(inspection, sample.getvalue(), by=lead)

    spec = load_framework_spec(inspection.framework)
    rated_from_cases = {s.code for s in spec.standards if not s.judged and not s.pooled}
    questions = [q for q in spec.questions if q.standard_code in rated_from_cases or q.group_code]
    with transaction.atomic():
        # As the bundle import writes answers: in bulk, each with its "as entered" entry.
        answers = [
            (
                case,
                question.code,
                Answer(case=case, question_id=question.id, value=value, note=note),
            )
            for case in cases
            for question in questions
            for value in ["yes" if rng.random() < 0.65 else "no"]
            for note in ["The case record showed no evidence of this." if value == "no" else ""]
        ]
        Answer.objects.bulk_create(answer for _, _, answer in answers)
        audit.record_many(
            answer_entry(case, code, answer, ("", ""), case.assigned_inspector)
            for case, code, answer in answers
        )
        for case in cases:
            set_status(case, CaseStatus.COMPLETE, case.assigned_inspector)
        judged = [s for s in spec.standards if s.judged]
        ratings = {s.code: {"rating": rng.choice(list(Rating.values))} for s in judged}
        Domain1Judgement.objects.bulk_create(
            Domain1Judgement(inspection=inspection, standard_id=s.id, **ratings[s.code])
            for s in judged
        )
        audit.record_many(
            entry
            for s in judged
            for entry in judgement_entries(inspection.pk, s.code, UNJUDGED, ratings[s.code], lead)
        )
    _write_required_parts(inspection, lead)
    lifecycle.move(inspection, InspectionStatus.MODERATION, lead)
    publishing.publish(inspection, lead)
    return inspection


def _write_required_parts(inspection: Inspection, lead) -> None:
    """What publishing needs of a report written on the pages, through the same services."""
    for part, text in (
        (ReportPart.FOREWORD, f"{REGION} region's inspection is demo data made by setup_demo."),
        (ReportPart.BACKGROUND, "Its pooled standards sum the region's published PDU results."),
        (ReportPart.ACKNOWLEDGEMENTS, "We thank the region's staff for their help."),
        (ReportPart.ANNEXE, "The region's own cases were read at the region."),
    ):
        subsection = report_writing.add_subsection(inspection, part=part, by=lead)
        report_writing.add_item(subsection, list="body", kind="text", text=text, by=lead)
    report_writing.set_signing(
        inspection, signatory=DEMO_SIGNATORY[0], signatory_title=DEMO_SIGNATORY[1], by=lead
    )
    first_twelve = f"978000000{len(POOLED_PDUS) + 1:03d}"
    report_writing.set_isbn(inspection, isbn=f"{first_twelve}{check_digit(first_twelve)}", by=lead)
    for standard in load_framework_spec(inspection.framework).standards:
        if standard.judged and standard.rated:
            subsection = report_writing.add_subsection(
                inspection,
                part=ReportPart.STANDARD,
                standard=inspection.framework.standards.get(pk=standard.id),
                by=lead,
            )
            report_writing.add_item(
                subsection, list="strengths", kind="text", text="A strength of the region.", by=lead
            )


def _demo_second_factors(users) -> dict:
    """An authenticator-app key for each demo user who must sign in with one (admin, lead):
    made once, so a second run prints the same key (recovery codes are stored hashed, so they
    print only when made)."""
    factors = {}
    for user in users.values():
        if not access.must_use_second_factor(user):
            continue
        device = second_factor.app_device(user)
        codes = []
        if device is None:
            device, codes = second_factor.enrol_for_demo(user)
        factors[user.get_username()] = (device, codes)
    return factors


def _moved_to_fieldwork(bundle: dict) -> dict:
    """The reference sample as an inspection under way: dates moved, some answers still to give."""
    moved = json.loads(json.dumps(bundle))
    shift = FIELDWORK_START - REFERENCE_START

    def later(day: str) -> str:
        return (datetime.date.fromisoformat(day) + shift).isoformat()

    header = moved["inspection"]
    header.update(
        pdu=FIELDWORK_PDU,
        fieldwork_start=FIELDWORK_START.isoformat(),
        status=InspectionStatus.FIELDWORK,
        sample_windows=[[later(a), later(b)] for a, b in header["sample_windows"]],
    )
    for judgement in moved["domain1"].values():
        judgement["rating"] = None
    moved["recommendations"] = []
    moved.pop("report", None)  # the report is written after fieldwork
    for index, case in enumerate(moved["cases"]):
        case["start_date"] = later(case["start_date"])
        if index < NOT_STARTED_CASES:
            case["answers"], case["notes"] = {}, {}
        elif index < NOT_STARTED_CASES + IN_PROGRESS_CASES:
            # The later half of the case (in the bundle's order) still to do.
            codes = list(case["answers"])
            for code in codes[len(codes) // 2 :]:
                case["answers"].pop(code)
                case["notes"].pop(code, None)
    return moved
