"""The floor: hand-written SQL computing the same counts the pages compute, on the same data.

Each query does the whole job in one statement (which inspections count, then yes / relevant per
inspection and question, applicability from the case's flags), with no ORM and no Python beyond
fetching the rows, so a page's time divided by this time says what the app adds on top.
"""

from django.db import connection

from cases.models import Answer, Case
from inspection.models import PDU, Inspection, Question

ANSWER = Answer._meta.db_table
CASE = Case._meta.db_table
QUESTION = Question._meta.db_table
INSPECTION = Inspection._meta.db_table
PDU_TABLE = PDU._meta.db_table

APPLICABLE = """(q.applies_when = 'always'
       OR (q.applies_when = 'court_work' AND c.court_work)
       OR (q.applies_when = 'resettlement' AND c.resettlement))"""

COUNTS = f"""
SELECT c.inspection_id, a.question_id,
       count(*) FILTER (WHERE a.value = 'yes') AS yes, count(*) AS relevant
FROM {ANSWER} a
JOIN {CASE} c ON c.id = a.case_id
JOIN {QUESTION} q ON q.id = a.question_id
WHERE c.inspection_id IN (SELECT id FROM chosen)
  AND a.value IN ('yes', 'no')
  AND {APPLICABLE}
GROUP BY c.inspection_id, a.question_id
"""

# Each PDU's latest published inspection (fieldwork start, then id), as the dashboards' region
# and national figures take them (reports.results.latest_per_pdu over published inspections).
LATEST = f"""
SELECT DISTINCT ON (i.pdu_id) i.id, i.pdu_id
FROM {INSPECTION} i
WHERE i.status = 'published'
ORDER BY i.pdu_id, i.fieldwork_start DESC, i.id DESC
"""

NATIONAL = f"WITH latest AS ({LATEST}), chosen AS (SELECT id FROM latest) {COUNTS}"
REGION = f"""WITH latest AS ({LATEST}),
chosen AS (SELECT l.id FROM latest l JOIN {PDU_TABLE} p ON p.id = l.pdu_id WHERE p.region_id = %s)
{COUNTS}"""
PDU_PAGE = f"""WITH latest AS ({LATEST}),
chosen AS (SELECT id FROM latest UNION SELECT id FROM {INSPECTION} WHERE pdu_id = %s)
{COUNTS}"""
# The report: every question's counts, and key questions by each case attribute (breakdowns).
REPORT = f"""
WITH relevant AS (
  SELECT a.question_id, q.kind, a.value, c.sentence_type, c.gender, c.ethnicity, c.disability,
         c.rosh
  FROM {ANSWER} a
  JOIN {CASE} c ON c.id = a.case_id
  JOIN {QUESTION} q ON q.id = a.question_id
  WHERE c.inspection_id = %s AND a.value IN ('yes', 'no') AND {APPLICABLE}
)
SELECT 'all', question_id, NULL, NULL, NULL, NULL, NULL,
       count(*) FILTER (WHERE value = 'yes'), count(*)
FROM relevant GROUP BY question_id
UNION ALL
SELECT 'by attribute', question_id, sentence_type, gender, ethnicity, disability, rosh,
       count(*) FILTER (WHERE value = 'yes'), count(*)
FROM relevant WHERE kind = 'key_question'
GROUP BY GROUPING SETS ((question_id, sentence_type), (question_id, gender),
                        (question_id, ethnicity), (question_id, disability), (question_id, rosh))
"""
# The workbook: the counts and every answer of every case, with its code.
EXPORT = f"""
WITH chosen AS (SELECT %s::bigint AS id) {COUNTS};
"""
EXPORT_ANSWERS = f"""
SELECT c.ref, q.code, a.value, a.note
FROM {ANSWER} a JOIN {CASE} c ON c.id = a.case_id JOIN {QUESTION} q ON q.id = a.question_id
WHERE c.inspection_id = %s ORDER BY c.ref, q."order"
"""


def run(sql: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def national() -> list[tuple]:
    return run(NATIONAL)


def region(region_id: int) -> list[tuple]:
    return run(REGION, [region_id])


def pdu(pdu_id: int) -> list[tuple]:
    return run(PDU_PAGE, [pdu_id])


def report(inspection_id: int) -> list[tuple]:
    return run(REPORT, [inspection_id])


def export(inspection_id: int) -> list[tuple]:
    return run(EXPORT.rstrip().rstrip(";"), [inspection_id]) + run(EXPORT_ANSWERS, [inspection_id])


def as_counts(rows) -> dict[tuple[int, int], tuple[int, int]]:
    """{(inspection id, question id): (yes, relevant)} from a COUNTS result."""
    return {(i, q): (yes, relevant) for i, q, yes, relevant in rows}
