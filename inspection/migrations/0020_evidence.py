"""Domain-1 evidence: the evidence questions of a framework version (frozen with it) and each
inspection's tallies (locked with it at publication).

The shipped PDU frameworks gained the evidence questions below in their files; the versions
already loaded get the same rows here, before the new table's lock exists (a version in use is
frozen), so each shipped file still equals what the database exports.
"""

import django.db.models.deletion
from django.db import migrations, models

from inspection import db_locks

# As the shipped files had them when this migration was written.
SHIPPED_VERSIONS = (("hmip-pdu-2021", 1), ("hmip-pdu-2023", 1))
EVIDENCE = [
    ("interviews.held", "practitioner interviews", "Practitioner interviews held"),
    (
        "interviews.skills",
        "practitioner interviews",
        "Had the appropriate skills, knowledge and experience always or most of the time",
    ),
    (
        "interviews.workload_not_manageable",
        "practitioner interviews",
        "Said their workload was not so manageable",
    ),
    (
        "staff_survey.learning_promoted",
        "staff survey",
        "Said learning and improvement was always or mostly promoted",
    ),
    ("pop_survey.respondents", "survey of people on probation", "People on probation contacted"),
    ("pop_survey.community", "survey of people on probation", "On a community sentence"),
    (
        "pop_survey.released",
        "survey of people on probation",
        "Supervised after release from prison",
    ),
    (
        "pop_survey.ethnic_minority",
        "survey of people on probation",
        "From a black, Asian or minority ethnic background",
    ),
    ("pop_survey.safe", "survey of people on probation", "Felt safe accessing probation services"),
    (
        "pop_survey.private",
        "survey of people on probation",
        "Could have private conversations with their practitioner",
    ),
    (
        "pop_survey.services_relevant",
        "survey of people on probation",
        "Could access services relevant to their needs",
    ),
    (
        "pop_survey.services_timely",
        "survey of people on probation",
        "Could access services in a reasonable time",
    ),
    (
        "pop_survey.say_in_running",
        "survey of people on probation",
        "Felt they had a say in how probation was run",
    ),
    ("staff_profile.female", "staff profile", "Staff identifying as female"),
    (
        "staff_profile.ethnic_minority",
        "staff profile",
        "Staff from a black, Asian or minority ethnic background",
    ),
]
LOCKS = [
    db_locks.frozen_lock("inspection_evidencequestion"),
    db_locks.published_lock("inspection_evidencetally", lambda row: [f"{row}.inspection_id"]),
]


def add_shipped_evidence(apps, schema_editor):
    Framework = apps.get_model("inspection", "Framework")
    EvidenceQuestion = apps.get_model("inspection", "EvidenceQuestion")
    for code, version in SHIPPED_VERSIONS:
        framework = Framework.objects.filter(code=code, version=version).first()
        if framework is None:
            continue  # loaded from its file, evidence and all, after migrate
        EvidenceQuestion.objects.bulk_create(
            EvidenceQuestion(framework=framework, code=key, source=source, text=text, order=order)
            for order, (key, source, text) in enumerate(EVIDENCE)
        )


def create_locks(apps, schema_editor):
    db_locks.create(schema_editor, LOCKS)


def drop_locks(apps, schema_editor):
    db_locks.drop(schema_editor, LOCKS)


class Migration(migrations.Migration):
    dependencies = [
        ("inspection", "0019_domain1_lists_removed"),
    ]

    operations = [
        migrations.CreateModel(
            name="EvidenceQuestion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.CharField(max_length=50)),
                ("source", models.CharField(max_length=200)),
                ("text", models.CharField(max_length=500)),
                ("order", models.PositiveSmallIntegerField(default=0)),
                (
                    "framework",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="evidence_questions",
                        to="inspection.framework",
                    ),
                ),
            ],
            options={
                "ordering": ["framework", "order"],
            },
        ),
        migrations.CreateModel(
            name="EvidenceTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("yes", models.PositiveIntegerField(blank=True, null=True)),
                ("relevant", models.PositiveIntegerField(blank=True, null=True)),
                ("percent", models.PositiveSmallIntegerField(blank=True, null=True)),
                (
                    "inspection",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="evidence_tallies",
                        to="inspection.inspection",
                    ),
                ),
                (
                    "question",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="inspection.evidencequestion",
                    ),
                ),
            ],
            options={
                "ordering": ["inspection_id", "question__order"],
            },
        ),
        migrations.AddConstraint(
            model_name="evidencequestion",
            constraint=models.UniqueConstraint(
                fields=("framework", "code"), name="unique_evidence_code"
            ),
        ),
        migrations.AddConstraint(
            model_name="evidencetally",
            constraint=models.UniqueConstraint(
                fields=("inspection", "question"), name="one_tally_per_evidence_question"
            ),
        ),
        migrations.AddConstraint(
            model_name="evidencetally",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("percent__isnull", True),
                        ("relevant__isnull", False),
                        ("yes__isnull", False),
                        ("yes__lte", models.F("relevant")),
                    ),
                    models.Q(
                        ("percent__isnull", True),
                        ("relevant__isnull", False),
                        ("yes__isnull", True),
                    ),
                    models.Q(
                        ("percent__isnull", False),
                        ("relevant__isnull", True),
                        ("yes__isnull", True),
                    ),
                    _connector="OR",
                ),
                name="evidence_tally_shape",
            ),
        ),
        migrations.AddConstraint(
            model_name="evidencetally",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("percent__isnull", True), ("percent__lte", 100), _connector="OR"
                ),
                name="evidence_tally_percent_at_most_100",
            ),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="kind",
            field=models.CharField(
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
                    ("report_text", "Written report"),
                    ("evidence", "Domain-1 evidence"),
                    ("practice_example", "Practice example"),
                ],
                max_length=20,
            ),
        ),
        migrations.RunPython(add_shipped_evidence, migrations.RunPython.noop),
        migrations.RunPython(create_locks, drop_locks),
    ]
