"""The bundle's `report.evidence`: domain-1 evidence tallies by key (docs/report-text.md),
e.g. {"staff_survey.learning_promoted": {"yes": 14, "relevant": 17}, "pop_survey.safe":
{"percent": 86}}. Checked with the rest of the bundle, written through the tallies' service,
exported in the same shape so the two round-trip."""

from cases.import_checks import shown
from inspection.models import EvidenceQuestion, Framework, Inspection
from reports.evidence import Tally, record_tallies, shape_problems, tallies_by_code

TALLY_KEYS = ("yes", "relevant", "percent")
WHERE = "report.evidence"


def read_evidence(report, framework: Framework, problems: list[str]) -> dict[str, Tally]:
    """{key: tally} from a bundle's `report` section (none without one), each problem named."""
    evidence = report.get("evidence", {}) if isinstance(report, dict) else {}
    if not isinstance(evidence, dict):
        problems.append(f"{WHERE}: expected an object keyed by evidence question")
        return {}
    codes = set(EvidenceQuestion.objects.filter(framework=framework).values_list("code", flat=True))
    tallies = {}
    for key, value in evidence.items():
        where = f"{WHERE}.{key if key in codes else shown(key)}"
        if key not in codes:
            problems.append(f"{where}: not an evidence question of {framework.code}")
            continue
        if not isinstance(value, dict) or not value:
            problems.append(f"{where}: expected an object of yes, relevant or percent")
            continue
        unknown = sorted(set(value) - set(TALLY_KEYS))
        problems += [f"{where}: unknown field {shown(name)}" for name in unknown]
        numbers = [name for name in TALLY_KEYS if name in value]
        bad = [
            name
            for name in numbers
            if isinstance(value[name], bool) or not isinstance(value[name], int)
        ]
        problems += [
            f"{where}.{name}: expected a whole number, got {shown(value[name])}" for name in bad
        ]
        if unknown or bad:
            continue
        tally = Tally(**{name: value[name] for name in numbers})
        shape = shape_problems(tally)
        problems += [f"{where}.{name}: {message}" for name, message in shape]
        if not shape:
            tallies[key] = tally
    return tallies


def write_evidence(inspection: Inspection, tallies: dict[str, Tally], by, reason: str) -> None:
    if tallies:
        record_tallies(inspection, tallies, by=by, reason=reason)


def add_evidence(bundle: dict, inspection: Inspection) -> None:
    """Put the tallies into an exported bundle's report section, just before its parts (the
    order docs/report-text.md shows and the reference bundle keeps)."""
    evidence = export_evidence(inspection)
    if not evidence:
        return
    report = bundle.get("report") or {}
    keys = [key for key in report if key != "evidence"]
    before = keys[: keys.index("parts")] if "parts" in keys else keys
    after = keys[len(before) :]
    bundle["report"] = {
        **{key: report[key] for key in before},
        "evidence": evidence,
        **{key: report[key] for key in after},
    }


def export_evidence(inspection: Inspection) -> dict:
    return {
        key: {name: getattr(tally, name) for name in TALLY_KEYS if getattr(tally, name) is not None}
        for key, tally in tallies_by_code(inspection).items()
    }
