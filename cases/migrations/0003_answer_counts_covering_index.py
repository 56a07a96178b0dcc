"""A covering index for the yes / relevant GROUP BY (reports.aggregation) at national scale.

The aggregation reads an inspection's answers through its cases. With only the foreign-key index
on case_id, every matching answer is a heap fetch, so on the national dataset (1.28 million
answers) PostgreSQL prefers a parallel scan of the whole table: about 220 ms for the national
dashboard's 110 inspections. With (case_id, value, question_id, id) the same query is an
index-only scan of the inspections' answers: about 105 ms, the same as hand-written SQL
(docs/performance.md has the figures). `id` is there because the aggregation counts answer ids.

The index is declared on Answer.Meta.indexes too, so the model stays the source of truth.
"""

from django.db import migrations, models

INDEX = models.Index(fields=["case", "value", "question", "id"], name="answer_case_value_question")


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_quality_assurance")]

    operations = [migrations.AddIndex(model_name="answer", index=INDEX)]
