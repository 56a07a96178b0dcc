"""The audit trail replaces django-simple-history: copy what the history tables hold into it,
then drop them.

Copied:
- every answer change (HistoricalAnswer), with old and new value and note, version, who, when and
  reason, as the case history page used to show them (an answer created blank is not a change);
- case details changed through a save (HistoricalCase: the lead's assignments, admin edits).
  Case *status* is not copied from it: most status changes were QuerySet.update()s that
  simple-history never saw, so its records cannot say who changed a status or when;
- QA reviews and dip samples, which are kept in their own tables and stay there too.
"""

from django.db import migrations
from django.utils.text import capfirst

from inspection.choices import AnswerValue, AuditKind

CHUNK = 5000
DETAILS = (
    "ref",
    "sentence_type",
    "start_date",
    "court_work",
    "resettlement",
    "gender",
    "ethnicity",
    "disability",
    "age_band",
    "rosh",
    "practitioners",
    "assigned_inspector_id",
)
QA_OUTCOMES = {"returned": "Returned to inspector", "signed_off": "Signed off"}


def _names(apps) -> dict[int, str]:
    # Migration-state models have fields only, not User.get_full_name().
    User = apps.get_model("auth", "User")
    return {
        pk: f"{first} {last}".strip() or username
        for pk, first, last, username in User.objects.values_list(
            "pk", "first_name", "last_name", "username"
        )
    }


def _label(value: str) -> str:
    return AnswerValue(value).label if value else ""


class Writer:
    def __init__(self, AuditEntry):
        self.model, self.batch = AuditEntry, []

    def add(self, **fields):
        self.batch.append(self.model(**fields))
        if len(self.batch) >= CHUNK:
            self.flush()

    def flush(self):
        self.model.objects.bulk_create(self.batch, batch_size=1000)
        self.batch = []


def copy_history(apps, schema_editor):
    HistoricalAnswer = apps.get_model("cases", "HistoricalAnswer")
    HistoricalCase = apps.get_model("cases", "HistoricalCase")
    Case = apps.get_model("cases", "Case")
    Question = apps.get_model("inspection", "Question")
    names = _names(apps)
    codes = dict(Question.objects.values_list("pk", "code"))
    # A deleted case is known only from its history: its last record says where it was.
    cases = {
        pk: (inspection_id, ref)
        for pk, inspection_id, ref in HistoricalCase.objects.order_by(
            "history_date", "history_id"
        ).values_list("id", "inspection_id", "ref")
    }
    cases.update(
        {pk: (i, ref) for pk, i, ref in Case.objects.values_list("pk", "inspection_id", "ref")}
    )
    out = Writer(apps.get_model("inspection", "AuditEntry"))

    def common(record, case_id):
        inspection_id, ref = cases[case_id]
        user_id = record["history_user_id"]
        return {
            "inspection_id": inspection_id,
            "case_id": case_id,
            "case_ref": ref,
            "user_id": user_id if user_id in names else None,
            "user_name": names.get(user_id, ""),
            "at": record["history_date"],
        }

    last = {}  # the answer's record before this one (ordered by answer: one answer at a time)
    fields = ["id", "case_id", "question_id", "value", "note", "version"]
    history = ["history_date", "history_type", "history_change_reason", "history_user_id"]
    for record in (
        HistoricalAnswer.objects.order_by("id", "history_date", "history_id")
        .values(*fields, *history)
        .iterator(chunk_size=CHUNK)
    ):
        previous = last.get(record["id"])
        last = {record["id"]: record}
        deleted = record["history_type"] == "-"
        if previous is None and not deleted and not record["value"] and not record["note"]:
            continue  # created blank: not a change (the history page never listed these)
        if record["case_id"] not in cases:
            continue
        # A deletion record holds the values the answer had when it went.
        old = record if deleted else previous
        out.add(
            **common(record, record["case_id"]),
            kind=AuditKind.ANSWER,
            subject=codes.get(record["question_id"], "?"),
            old_value=_label(old["value"]) if old else "",
            new_value="" if deleted else _label(record["value"]),
            old_note=old["note"] if old else "",
            new_note="" if deleted else record["note"],
            version=None if deleted else record["version"],
            reason=record["history_change_reason"] or ("Deleted" if deleted else ""),
        )

    case_fields = {f.attname: f for f in HistoricalCase._meta.concrete_fields}
    previous = None
    for record in (
        HistoricalCase.objects.order_by("id", "history_date", "history_id")
        .values("id", *DETAILS, *history)
        .iterator(chunk_size=CHUNK)
    ):
        same_case = previous is not None and previous["id"] == record["id"]
        if same_case and record["history_type"] == "-":
            out.add(
                **common(record, record["id"]),
                kind=AuditKind.CASE_DETAILS,
                subject="Case",
                new_value="Removed",
            )
        elif same_case:
            for name in DETAILS:
                if previous[name] != record[name]:
                    field = case_fields[name]
                    out.add(
                        **common(record, record["id"]),
                        kind=AuditKind.CASE_DETAILS,
                        subject=capfirst(field.verbose_name),
                        old_value=_shown(field, previous[name], names),
                        new_value=_shown(field, record[name], names),
                        reason=record["history_change_reason"] or "",
                    )
        previous = record

    QAReview = apps.get_model("cases", "QAReview")
    for review in QAReview.objects.select_related("case").prefetch_related("questions__question"):
        disagreed = [q.question.code for q in review.questions.all() if not q.agrees]
        out.add(
            inspection_id=review.case.inspection_id,
            case_id=review.case_id,
            case_ref=review.case.ref,
            kind=AuditKind.QA,
            subject="QA review",
            new_value=QA_OUTCOMES.get(review.outcome, review.outcome)
            + (f"; disagrees with {', '.join(disagreed)}" if disagreed else ""),
            user_id=review.reviewer_id,
            user_name=names.get(review.reviewer_id, ""),
            at=review.created_at,
            reason=review.comment,
        )
    DipSample = apps.get_model("cases", "DipSample")
    for sample in DipSample.objects.prefetch_related("cases"):
        out.add(
            inspection_id=sample.inspection_id,
            kind=AuditKind.QA,
            subject="Dip sample",
            new_value=f"{sample.share_percent}% drawn: {len(sample.cases.all())} cases",
            user_id=sample.drawn_by_id,
            user_name=names.get(sample.drawn_by_id, ""),
            at=sample.drawn_at,
            reason=f"Seed {sample.seed}",
        )
    out.flush()


def _shown(field, value, names) -> str:
    if value is None or value == "":
        return ""
    if field.attname == "assigned_inspector_id":
        return names.get(value, f"user {value}")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_database_locks"),
        ("inspection", "0010_audit_entry"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(copy_history, migrations.RunPython.noop),
        migrations.RemoveField(model_name="historicalcase", name="assigned_inspector"),
        migrations.RemoveField(model_name="historicalcase", name="history_user"),
        migrations.RemoveField(model_name="historicalcase", name="inspection"),
        migrations.DeleteModel(name="HistoricalAnswer"),
        migrations.DeleteModel(name="HistoricalCase"),
    ]
