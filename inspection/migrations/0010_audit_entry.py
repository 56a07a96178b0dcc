"""The audit trail (inspection.models.audit): the table, lifecycle events copied into it, and the
triggers that make it append-only.

The triggers refuse every UPDATE and DELETE, on PostgreSQL and SQLite alike, except the one UPDATE
Django makes when a user is deleted (on_delete=SET_NULL): clearing user_id and nothing else; the
entry keeps the person's name in user_name. TRUNCATE is refused too since migration 0023 (on
PostgreSQL; the test suite's flush gets past it: inspection/test_database).

SQLite drops a table's triggers when Django rebuilds the table to alter it, so a later migration
that alters AuditEntry on SQLite must create them again (tests/test_audit.py checks they exist).
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from inspection.choices import AuditKind, InspectionStatus

TABLE = "inspection_auditentry"
# Every column but user_id: an UPDATE must leave all of these as they were.
KEPT = [
    "id",
    "inspection_id",
    "case_id",
    "case_ref",
    "kind",
    "subject",
    "old_value",
    "new_value",
    "old_note",
    "new_note",
    "version",
    "user_name",
    "at",
    "reason",
]
MESSAGE = "audit entries are append-only"

POSTGRESQL = [
    f"""
    CREATE FUNCTION {TABLE}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND OLD.user_id IS NOT NULL AND NEW.user_id IS NULL
           AND to_jsonb(NEW) - 'user_id' = to_jsonb(OLD) - 'user_id' THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION '{MESSAGE}: % of entry % refused', TG_OP, OLD.id
            USING ERRCODE = 'restrict_violation';
    END;
    $$
    """,
    f"""
    CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION {TABLE}_append_only()
    """,
]
POSTGRESQL_REVERSE = [
    f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}",
    f"DROP FUNCTION IF EXISTS {TABLE}_append_only()",
]
_unchanged = " AND ".join(f"NEW.{column} IS OLD.{column}" for column in KEPT)
SQLITE = [
    f"""
    CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE}
    WHEN NOT (OLD.user_id IS NOT NULL AND NEW.user_id IS NULL AND {_unchanged})
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}: UPDATE refused'); END
    """,
    f"""
    CREATE TRIGGER {TABLE}_no_delete BEFORE DELETE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}: DELETE refused'); END
    """,
]
SQLITE_REVERSE = [
    f"DROP TRIGGER IF EXISTS {TABLE}_no_update",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_delete",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor not in statements_by_vendor:
            raise RuntimeError(f"No append-only triggers for {vendor}: add them here")
        for statement in statements_by_vendor[vendor]:
            schema_editor.execute(statement, params=None)  # no placeholders: % is SQL here

    return run


def _name(user) -> str:
    # Migration-state models have fields only, not User.get_full_name().
    if user is None:
        return ""
    return f"{user.first_name} {user.last_name}".strip() or user.username


def copy_lifecycle_events(apps, schema_editor):
    """Lifecycle moves made before the trail existed, so the trail starts complete."""
    InspectionEvent = apps.get_model("inspection", "InspectionEvent")
    AuditEntry = apps.get_model("inspection", "AuditEntry")
    labels = dict(InspectionStatus.choices)
    AuditEntry.objects.bulk_create(
        (
            AuditEntry(
                inspection_id=event.inspection_id,
                kind=AuditKind.LIFECYCLE,
                subject="Status",
                old_value=labels.get(event.from_status, event.from_status),
                new_value=labels.get(event.to_status, event.to_status),
                user_id=event.by_id,
                user_name=_name(event.by),
                at=event.at,
                reason=event.reason,
            )
            for event in InspectionEvent.objects.select_related("by").order_by("at", "id")
        ),
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("inspection", "0009_database_locks"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("case_id", models.BigIntegerField(blank=True, null=True)),
                ("case_ref", models.CharField(blank=True, max_length=30, verbose_name="case")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("answer", "Answer"),
                            ("case_status", "Case status"),
                            ("case_details", "Case details"),
                            ("domain1", "Domain-1 judgement"),
                            ("recommendation", "Recommendation"),
                            ("team", "Team"),
                            ("lifecycle", "Inspection status"),
                            ("qa", "Quality assurance"),
                            ("framework", "Framework"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "subject",
                    models.CharField(
                        blank=True,
                        help_text="Question code, standard, recommendation, person...",
                        max_length=200,
                    ),
                ),
                ("old_value", models.TextField(blank=True, verbose_name="before")),
                ("new_value", models.TextField(blank=True, verbose_name="after")),
                ("old_note", models.TextField(blank=True, verbose_name="note before")),
                ("new_note", models.TextField(blank=True, verbose_name="note after")),
                ("version", models.PositiveIntegerField(blank=True, null=True)),
                ("user_name", models.CharField(blank=True, max_length=150, verbose_name="who")),
                (
                    "at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="when"),
                ),
                ("reason", models.TextField(blank=True)),
                (
                    "inspection",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="audit_entries",
                        to="inspection.inspection",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "audit entry",
                "verbose_name_plural": "audit entries",
                "ordering": ["-at", "-id"],
                "indexes": [
                    models.Index(
                        fields=["inspection", "-at", "-id"], name="audit_inspection_newest"
                    ),
                    models.Index(
                        fields=["inspection", "case_id", "-at", "-id"], name="audit_case_newest"
                    ),
                ],
            },
        ),
        migrations.RunPython(copy_lifecycle_events, migrations.RunPython.noop),
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        ),
    ]
