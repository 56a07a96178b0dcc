"""Frameworks as files (README, "Framework files"): the shipped files are what the database holds,
a file round-trips through load and export, and a file with any problem is refused naming every
problem, by the loader, the command and the admin upload, with nothing written."""

import copy
import json
import subprocess
import sys
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils.html import escape

from inspection.admin import UPLOAD_SESSION_KEY
from inspection.choices import AuditKind, InspectionStatus
from inspection.framework.export import export_framework, framework_file_text
from inspection.framework.loader import (
    FrameworkFileError,
    load_framework,
    parse,
    shipped_files,
)
from inspection.models import (
    AuditEntry,
    CaseCondition,
    Domain,
    Framework,
    ItemGroup,
    LimitingRule,
    OverallBand,
    Question,
    RatingBand,
    Standard,
)
from tests.factories import InspectionFactory, UserFactory

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = shipped_files()
TABLES = [
    Framework,
    CaseCondition,
    RatingBand,
    OverallBand,
    Domain,
    Standard,
    Question,
    ItemGroup,
    LimitingRule,
    AuditEntry,
]


def shipped(name: str) -> dict:
    return json.loads((ROOT / "inspection/frameworks" / f"{name}.json").read_text("utf-8"))


def pdu(version=99) -> dict:
    return {**shipped("hmip-pdu-2023"), "version": version}


def region(version=99) -> dict:
    return {**shipped("hmip-region-2023"), "version": version}


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in TABLES}


def refused(data) -> list[str]:
    """The problems load_framework names for `data`, having checked it wrote nothing."""
    before = row_counts()
    with pytest.raises(FrameworkFileError) as error:
        load_framework(data)
    assert row_counts() == before
    return error.value.problems


def write(tmp_path, data, name="framework.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    return path


# The shipped files and the database ------------------------------------------------------------


def test_every_framework_in_the_folder_is_shipped():
    assert {p.stem for p in SHIPPED} == {
        "hmip-pdu-2021",
        "hmip-pdu-2023",
        "hmip-region-2023",
        "hmip-public-protection-2025",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_the_database_exports_to_exactly_the_shipped_file(path):
    data = json.loads(path.read_text("utf-8"))
    framework = Framework.objects.get(code=data["code"], version=data["version"])
    assert export_framework(framework) == data
    # Byte for byte, as the command writes it: the shipped files are export's output.
    assert framework_file_text(framework) == path.read_text("utf-8")
    out = StringIO()
    call_command("export_framework", data["code"], str(data["version"]), stdout=out)
    assert out.getvalue() == path.read_text("utf-8")


@pytest.mark.django_db
@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_a_file_round_trips_through_load_and_export(path, tmp_path):
    data = json.loads(path.read_text("utf-8"))
    data["version"] += 100
    framework = load_framework(copy.deepcopy(data))
    assert export_framework(framework) == data

    # And through the two commands.
    data["version"] += 1
    call_command("load_framework", str(write(tmp_path, data)), stdout=StringIO())
    output = tmp_path / "exported.json"
    call_command(
        "export_framework",
        data["code"],
        str(data["version"]),
        output=str(output),
        stdout=StringIO(),
    )
    assert json.loads(output.read_text("utf-8")) == data
    assert output.read_text("utf-8").endswith("}\n")


@pytest.mark.django_db
def test_export_writes_utf8_as_it_is(tmp_path):
    data = pdu()
    data["name"] = "Cadre d'inspection – “probation” ✓"
    call_command("load_framework", str(write(tmp_path, data)), stdout=StringIO())
    out = StringIO()
    call_command("export_framework", "hmip-pdu-2023", "99", stdout=out)
    assert '"name": "Cadre d\'inspection – “probation” ✓",' in out.getvalue()
    assert '\n  "code": "hmip-pdu-2023",\n' in out.getvalue()  # two-space indent


@pytest.mark.django_db
def test_the_agreement_threshold_loads_and_exports(tmp_path):
    """Double marking's threshold is framework data: written only where it is not the default."""
    data = pdu(version=8)
    data["agreement_weak_below"] = 0.7
    call_command("load_framework", str(write(tmp_path, data)), stdout=StringIO())
    loaded = Framework.objects.get(code="hmip-pdu-2023", version=8)
    assert loaded.agreement_weak_below == Decimal("0.70")
    out = StringIO()
    call_command("export_framework", "hmip-pdu-2023", "8", stdout=out)
    assert json.loads(out.getvalue())["agreement_weak_below"] == 0.7
    out = StringIO()
    call_command("export_framework", "hmip-pdu-2023", "1", stdout=out)
    assert "agreement_weak_below" not in json.loads(out.getvalue())


# Files refused, each problem named, nothing written ---------------------------------------------


def _without(data, key):
    del data[key]
    return data


def _set(path: tuple, value):
    def change(data):
        node = data
        for step in path[:-1]:
            node = node[step]
        node[path[-1]] = value
        return data

    return change


KQ = ("domains", 1, "standards", 0, "key_questions", 0)
REFUSALS = {
    "wrong format number": (pdu, _set(("format",), 1), ["format: must be 2"]),
    "unknown key, top level": (pdu, _set(("colour",), "blue"), ["unknown key 'colour'"]),
    "unknown key in a standard": (
        pdu,
        _set(("domains", 1, "standards", 0, "rated_by"), "cases"),
        ["domains[1].standards[0]: unknown key 'rated_by'"],
    ),
    "duplicate question codes": (
        pdu,
        _set((*KQ, "prompts", 0, "code"), "2.1.1"),
        ["questions: question code '2.1.1' is given 2 times"],
    ),
    "applies_when naming a missing condition": (
        pdu,
        _set(("domains", 1, "standards", 0, "applies_when"), "youth_justice"),
        [
            "domains[1].standards[0]: applies_when 'youth_justice' is not 'always' or a "
            "condition of the file"
        ],
    ),
    "condition on an unknown case attribute": (
        pdu,
        _set(("conditions", 0, "when"), {"shoe_size": [9]}),
        ["conditions[0].when: 'shoe_size' is not a case attribute (one of court_work,"],
    ),
    "condition with a bad value": (
        pdu,
        _set(("conditions", 0, "when"), {"court_work": ["yes"], "rosh": ["enormous"]}),
        [
            "conditions[0].when.court_work: 'yes' is not a value of court_work (one of True, "
            "False)",
            "conditions[0].when.rosh: 'enormous' is not a value of rosh (one of",
        ],
    ),
    "scored but unrated standard": (
        pdu,
        _set(("domains", 0, "standards", 2, "rated"), False),
        ["domains[0].standards[2]: only a rated standard can be scored"],
    ),
    "rated case standard with no bands": (
        pdu,
        lambda data: _without(_without(data, "rating_bands"), "overall_bands"),
        [
            f"domains[1].standards[{i}]: is rated from cases, but the file has no rating_bands"
            for i in range(4)
        ],
    ),
    "overall bands with a gap": (
        pdu,
        _set(("overall_bands", 1, "min_score"), 12),
        ["overall_bands: no band covers score 11"],
    ),
    "overall bands overlapping": (
        pdu,
        _set(("overall_bands", 1, "max_score"), 18),
        ["overall_bands: score 18 is in two bands"],
    ),
    "overall bands not ending at the maximum score": (
        pdu,
        _set(("overall_bands", 0, "max_score"), 20),
        ["overall_bands: end at 20, but the maximum score is 21 (7 scored standards x 3 points)"],
    ),
    "limiting rule naming a missing standard": (
        pdu,
        _set(
            ("limiting_rules",),
            [
                {
                    "if_standard": "9.9",
                    "has_rating": "inadequate",
                    "then_standard": "1.1",
                    "forbidden_ratings": ["outstanding"],
                    "description": "A rule about a standard that is not there",
                }
            ],
        ),
        ["limiting_rules[0]: if_standard '9.9' is not a standard of the file"],
    ),
    "pooled domain in a pdu-scope framework": (
        pdu,
        _set(("domains", 1, "rated_by"), "pooled"),
        [
            "domains[1]: only a region framework (scope 'region') can pool PDU results",
        ],
    ),
    "pooled key question without pooled_from": (
        region,
        lambda data: (
            _without(data["domains"][1]["standards"][0]["key_questions"][0], "pooled_from") and data
        ),
        [
            "domains[1].standards[0].key_questions[0]: a pooled key question needs "
            "'pooled_from': the PDU question's code"
        ],
    ),
    # What the database would refuse part-way through a load is refused before it.
    "a NUL in wording": (
        pdu,
        _set((*KQ, "text"), "Does assessment\x00 focus?"),
        [
            "domains[1].standards[0].key_questions[0].text: contains a control character "
            "(U+0000) at position 16"
        ],
    ),
    "finding wording longer than its column": (
        pdu,
        _set((*KQ, "prompts", 0, "finding"), {"subject": "x" * 201, "met": "m", "not_met": "n"}),
        [
            "domains[1].standards[0].key_questions[0].prompts[0].finding.subject: must be 200 "
            "characters or fewer, not 201"
        ],
    ),
    "a version beyond its column": (
        pdu,
        _set(("version",), 10**12),
        ["'version' must be a whole number from 1 to 2,147,483,647"],
    ),
    "min_percent as text": (
        pdu,
        _set(("rating_bands", 0, "min_percent"), "80"),
        ["rating_bands[0]: 'min_percent' must be a number from 0 to 100 with at most two"],
    ),
    "min_percent with three decimals": (
        pdu,
        _set(("rating_bands", 0, "min_percent"), 79.995),
        ["rating_bands[0]: 'min_percent' must be a number from 0 to 100 with at most two"],
    ),
    "null for optional text": (
        pdu,
        _set(("domains", 1, "standards", 0, "headline"), None),
        ["domains[1].standards[0].headline: must be text"],
    ),
    "a list where a rating belongs": (
        pdu,
        _set(("rating_bands", 1, "rating"), ["good"]),
        ["rating_bands[1]: ['good'] is not a rating (one of outstanding, good,"],
    ),
    "an object where a condition code belongs": (
        pdu,
        _set(("item_groups", 0, "applies_when"), {"court_work": [True]}),
        ["item_groups[0]: applies_when {'court_work': [True]} is not 'always' or a condition"],
    ),
    "pooled_from too long": (
        region,
        _set(("domains", 1, "standards", 0, "key_questions", 0, "pooled_from"), "2." * 20),
        ["domains[1].standards[0].key_questions[0]: a pooled key question needs 'pooled_from'"],
    ),
    "agreement threshold above 1": (
        pdu,
        _set(("agreement_weak_below",), 1.5),
        ["agreement_weak_below: must be a number from 0 to 1 with at most two decimal places"],
    ),
    "agreement threshold as text": (
        pdu,
        _set(("agreement_weak_below",), "0.6"),
        ["agreement_weak_below: must be a number from 0 to 1"],
    ),
    "agreement threshold with three decimals": (
        pdu,
        _set(("agreement_weak_below",), 0.655),
        ["agreement_weak_below: must be a number from 0 to 1"],
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", REFUSALS, ids=list(REFUSALS))
def test_a_file_with_a_problem_is_refused_naming_it_and_nothing_is_written(case):
    make, change, expected = REFUSALS[case]
    problems = refused(change(make()))
    for wanted in expected:
        assert any(problem.startswith(wanted) for problem in problems), (wanted, problems)
    assert len(problems) == len(expected), problems


@pytest.mark.django_db
def test_a_file_with_several_problems_lists_every_one():
    data = pdu()
    data["format"] = 3
    data["surprise"] = True
    data["conditions"][1]["when"] = {"hair_colour": ["red"]}
    data["domains"][1]["standards"][1]["applies_when"] = "nowhere"
    data["domains"][1]["standards"][2]["key_questions"][0]["code"] = "2.1.1"
    data["overall_bands"][0]["max_score"] = 30
    problems = refused(data)
    assert problems == [
        "unknown key 'surprise'",
        "format: must be 2 (docs/framework-format.md)",
        "conditions[1].when: 'hair_colour' is not a case attribute (one of court_work, "
        "resettlement, disability, sentence_type, rosh, gender, age_band, ethnicity)",
        "domains[1].standards[1]: applies_when 'nowhere' is not 'always' or a condition of the "
        "file",
        "overall_bands: end at 30, but the maximum score is 21 (7 scored standards x 3 points)",
        "questions: question code '2.1.1' is given 2 times",
    ]


@pytest.mark.parametrize(
    "raw, expected",
    [
        (
            b'{\n  "format": 2,\n  "code": "x",\n  ]\n}',
            "not valid JSON: Expecting property name enclosed in double quotes (line 4, column 3)",
        ),
        (b'{"format": 2,\n "domains": [}', "not valid JSON: Expecting value (line 2, column 14)"),
        (b'{"format": 2, "format": 2}', "not valid JSON: the key 'format' is given twice"),
        (b'{"rating_bands": [{"min_percent": NaN}]}', "not valid JSON: NaN is not a JSON number"),
        (b'{"name": "Caf\xe9"}', "the file is not UTF-8 text: the byte at offset 13"),
        (b"[" * 100_000, "not valid JSON: objects and lists nested too deep"),
        (b"", "not valid JSON: Expecting value (line 1, column 1)"),
    ],
    ids=["bad-bracket", "missing-value", "key-twice", "nan", "latin-1", "too-deep", "empty"],
)
def test_a_file_that_is_not_json_is_refused_saying_where(raw, expected):
    with pytest.raises(FrameworkFileError) as error:
        parse(raw)
    assert len(error.value.problems) == 1
    assert error.value.problems[0].startswith(expected), error.value.problems


def test_a_byte_order_mark_is_allowed():
    assert parse(b'\xef\xbb\xbf{"format": 2}') == {"format": 2}


@pytest.mark.django_db
def test_the_same_code_and_version_twice_is_refused_by_name():
    load_framework(pdu(version=7))
    assert refused(pdu(version=7)) == [
        "hmip-pdu-2023 version 7 is already loaded: a loaded version is never replaced; give "
        "the file the next version number"
    ]
    # A shipped file as it is: loaded after migrate already.
    assert refused(shipped("hmip-region-2023"))[0].startswith(
        "hmip-region-2023 version 1 is already loaded"
    )


# The commands ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_load_framework_says_what_it_loaded_and_records_it(tmp_path):
    planning = InspectionFactory(
        framework=Framework.objects.get(code="hmip-pdu-2023", version=1),
        status=InspectionStatus.PLANNING,
    )
    elsewhere = InspectionFactory(status=InspectionStatus.PLANNING)  # hmip-pdu-2021
    out = StringIO()
    call_command("load_framework", str(write(tmp_path, pdu(version=2), "pdu-v2.json")), stdout=out)
    assert out.getvalue() == (
        "Loaded hmip-pdu-2023 version 2, HM Inspectorate of Probation PDU inspection framework "
        "(2023): 2 domains, 7 standards, 12 key questions, 40 prompts, 17 items, 15 evidence "
        "questions\n"
    )
    framework = Framework.objects.get(code="hmip-pdu-2023", version=2)
    entry = AuditEntry.objects.get(kind=AuditKind.FRAMEWORK)
    assert entry.inspection_id == planning.pk
    assert entry.subject == f"New framework version: {framework}"
    assert entry.new_value == (
        "Loaded from the file pdu-v2.json: 2 domains, 7 standards, 12 key questions, 40 "
        "prompts, 17 items, 15 evidence questions"
    )
    assert entry.user is None
    assert not AuditEntry.objects.filter(inspection_id=elsewhere.pk).exists()


@pytest.mark.django_db
def test_load_framework_check_only_checks(tmp_path):
    out = StringIO()
    before = row_counts()
    call_command("load_framework", str(write(tmp_path, pdu(version=2))), check=True, stdout=out)
    assert "no problems: hmip-pdu-2023 version 2 can be loaded" in out.getvalue()
    assert "nothing was written (--check)" in out.getvalue()
    assert row_counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize("check", [False, True], ids=["load", "check"])
def test_load_framework_lists_every_problem_on_stderr_and_fails(tmp_path, check):
    data = pdu()
    data["format"] = 1
    data["domains"][1]["rated_by"] = "pooled"
    path = write(tmp_path, data)
    err = StringIO()
    before = row_counts()
    with pytest.raises(CommandError) as error:
        call_command("load_framework", str(path), check=check, stdout=StringIO(), stderr=err)
    assert error.value.returncode == 1
    assert str(error.value) == f"{path}: 2 problems; nothing was written"
    assert err.getvalue().splitlines() == [
        f"{path}: format: must be 2 (docs/framework-format.md)",
        f"{path}: domains[1]: only a region framework (scope 'region') can pool PDU results",
    ]
    assert row_counts() == before


@pytest.mark.django_db
def test_load_framework_refuses_a_version_already_loaded(tmp_path):
    err = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "load_framework",
            str(ROOT / "inspection/frameworks/hmip-pdu-2023.json"),
            stdout=StringIO(),
            stderr=err,
        )
    assert "hmip-pdu-2023 version 1 is already loaded" in err.getvalue()


def test_load_framework_exits_non_zero_from_the_shell(tmp_path):
    """The real exit status and stderr (a file that is not JSON is refused before the database
    is asked anything)."""
    path = tmp_path / "broken.json"
    path.write_text('{"format": 2,\n  "code": }', encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "manage.py", "load_framework", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert f"{path}: not valid JSON: Expecting value (line 2, column 11)" in result.stderr
    assert "nothing was written" in result.stderr


@pytest.mark.django_db
def test_load_framework_names_a_file_it_cannot_read(tmp_path):
    with pytest.raises(CommandError, match="missing.json: cannot be read"):
        call_command("load_framework", str(tmp_path / "missing.json"))


@pytest.mark.django_db
def test_export_framework_names_an_unknown_code_or_version():
    with pytest.raises(CommandError) as error:
        call_command("export_framework", "hmip-pdu-2023", "9")
    assert str(error.value) == "There is no framework hmip-pdu-2023 version 9: its versions are 1"
    with pytest.raises(CommandError, match="There is no framework nope version 1: the frameworks"):
        call_command("export_framework", "nope", "1")


# Admin: upload, preview, load; export ----------------------------------------------------------

UPLOAD = "admin:inspection_framework_upload"
LOAD = "admin:inspection_framework_load"


def upload(client, data, name="framework.json"):
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return client.post(reverse(UPLOAD), {"file": SimpleUploadedFile(name, raw)})


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.mark.django_db
def test_the_changelist_links_to_the_upload(admin_client):
    page = admin_client.get(reverse("admin:inspection_framework_changelist")).content.decode()
    assert f'href="{reverse(UPLOAD)}"' in page
    assert "Upload a framework file" in page
    assert admin_client.get(reverse(UPLOAD)).status_code == 200


@pytest.mark.django_db
def test_upload_previews_then_loads_through_the_service(admin_client):
    planning = InspectionFactory(
        framework=Framework.objects.get(code="hmip-region-2023"), status=InspectionStatus.PLANNING
    )
    data = region(version=2)
    before = row_counts()
    response = upload(admin_client, data, "region-2.json")
    assert response.status_code == 200
    page = response.content.decode()
    assert row_counts() == before  # a preview writes nothing
    for shown in [
        "What would be loaded from region-2.json",
        "hmip-region-2023",
        data["name"],
        "A region",
        data["source"],
        "Pooled results of the region's PDU inspections",
        "pooled from the PDU question 2.1.2",
        data["domains"][1]["standards"][0]["key_questions"][0]["text"],
        "Scored (its points count towards the score)".lower(),
        "Load hmip-region-2023 version 2",
    ]:
        assert escape(shown) in page, shown
    provisional = sum(
        1 for node in _nodes(data) if isinstance(node, dict) and node.get("provisional") is True
    )
    assert page.count('class="provisional-tag">Provisional<') == provisional > 0
    sha256 = response.context["sha256"]

    response = admin_client.post(reverse(LOAD, args=[sha256]))
    framework = Framework.objects.get(code="hmip-region-2023", version=2)
    assert response.status_code == 302
    assert response.url == reverse("admin:inspection_framework_change", args=[framework.pk])
    assert export_framework(framework) == data
    entry = AuditEntry.objects.get(kind=AuditKind.FRAMEWORK)
    assert (entry.inspection_id, entry.user_name) == (planning.pk, "admin")
    assert entry.new_value.startswith("Loaded from the file region-2.json: 3 domains")
    assert UPLOAD_SESSION_KEY not in admin_client.session
    # Posting the same confirmation again loads nothing more.
    counts = row_counts()
    response = admin_client.post(reverse(LOAD, args=[sha256]), follow=True)
    assert "That upload is no longer waiting to be loaded" in response.content.decode()
    assert row_counts() == counts


def _nodes(data):
    yield data
    if isinstance(data, dict):
        for value in data.values():
            yield from _nodes(value)
    elif isinstance(data, list):
        for value in data:
            yield from _nodes(value)


@pytest.mark.django_db
def test_load_takes_only_what_was_previewed(admin_client):
    response = upload(admin_client, pdu(version=2))
    previewed = response.context["sha256"]
    # A hash of anything else is refused; only the session's upload is ever loaded.
    before = row_counts()
    response = admin_client.post(reverse(LOAD, args=["0" * 64]), follow=True)
    assert "That upload is no longer waiting to be loaded" in response.content.decode()
    admin_client.post(f"/admin/inspection/framework/upload/{previewed.upper()}/load/")
    # Only a POST loads.
    assert admin_client.get(reverse(LOAD, args=[previewed])).status_code == 302
    assert row_counts() == before
    # A second upload replaces the first: the first preview's Load button no longer loads.
    upload(admin_client, pdu(version=3))
    admin_client.post(reverse(LOAD, args=[previewed]))
    assert not Framework.objects.filter(code="hmip-pdu-2023", version=2).exists()
    assert not Framework.objects.filter(code="hmip-pdu-2023", version=3).exists()


@pytest.mark.django_db
def test_load_refused_if_the_version_was_loaded_since_the_preview(admin_client, tmp_path):
    response = upload(admin_client, pdu(version=2))
    call_command("load_framework", str(write(tmp_path, pdu(version=2))), stdout=StringIO())
    before = row_counts()
    response = admin_client.post(reverse(LOAD, args=[response.context["sha256"]]))
    page = response.content.decode()
    assert "hmip-pdu-2023 version 2 is already loaded" in page
    assert "Load hmip-pdu-2023" not in page
    assert row_counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "raw, problems",
    [
        (
            pdu() | {"format": 1, "scope": "county"},
            ["format: must be 2", "scope: must be one of pdu, region, not &#x27;county&#x27;"],
        ),
        (b'{"format": 2,\n"code": }', ["not valid JSON: Expecting value (line 2, column 9)"]),
        (b"\xff\xfe{}", ["the file is not UTF-8 text: the byte at offset 0 cannot be read"]),
        (shipped("hmip-pdu-2023"), ["hmip-pdu-2023 version 1 is already loaded"]),
    ],
    ids=["problems", "not-json", "not-utf8", "loaded-already"],
)
def test_upload_with_problems_lists_them_with_no_load_button(admin_client, raw, problems):
    before = row_counts()
    response = upload(admin_client, raw, "bad.json")
    page = response.content.decode()
    assert response.status_code == 200
    assert "bad.json cannot be loaded" in page
    assert "Nothing was loaded." in page
    for problem in problems:
        assert problem in page, problem
    assert response.context["sha256"] == ""
    assert "/load/" not in page
    assert "What would be loaded" not in page
    assert UPLOAD_SESSION_KEY not in admin_client.session
    assert row_counts() == before


@pytest.mark.django_db
def test_upload_refuses_a_file_over_2_mb_and_no_file(admin_client):
    response = upload(admin_client, b" " * 2_000_001)
    assert "The file must be 2,000 KB or smaller (it is 2,001 KB)" in response.content.decode()
    response = admin_client.post(reverse(UPLOAD), {})
    assert "Choose a framework file" in response.content.decode()


@pytest.mark.django_db
def test_upload_needs_the_add_permission_on_framework(client):
    staff = UserFactory(username="clerk", is_staff=True)
    client.force_login(staff)
    assert client.get(reverse(UPLOAD)).status_code == 403
    assert client.post(reverse(LOAD, args=["0" * 64])).status_code == 403
    changelist = reverse("admin:inspection_framework_changelist")
    staff.user_permissions.add(Permission.objects.get(codename="view_framework"))
    assert "Upload a framework file" not in client.get(changelist).content.decode()
    staff.user_permissions.add(Permission.objects.get(codename="add_framework"))
    staff = type(staff).objects.get(pk=staff.pk)  # permissions are cached on the instance
    client.force_login(staff)
    assert client.get(reverse(UPLOAD)).status_code == 200
    assert "Upload a framework file" in client.get(changelist).content.decode()
    # Not staff at all: the admin's log-in page.
    client.force_login(UserFactory(username="inspector"))
    assert client.get(reverse(UPLOAD)).status_code == 302


@pytest.mark.django_db
def test_export_as_a_framework_file_from_admin(admin_client):
    framework = Framework.objects.get(code="hmip-public-protection-2025")
    text = (ROOT / "inspection/frameworks/hmip-public-protection-2025.json").read_text("utf-8")
    change = admin_client.get(reverse("admin:inspection_framework_change", args=[framework.pk]))
    export_url = reverse("admin:inspection_framework_export", args=[framework.pk])
    assert f'href="{export_url}"' in change.content.decode()
    response = admin_client.get(export_url)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="hmip-public-protection-2025-v1.json"'
    )
    assert response.content.decode() == text
    # The changelist action, for one selected version.
    changelist = reverse("admin:inspection_framework_changelist")
    response = admin_client.post(
        changelist, {"action": "export_file", "_selected_action": [framework.pk]}
    )
    assert response.content.decode() == text
    response = admin_client.post(
        changelist,
        {
            "action": "export_file",
            "_selected_action": list(Framework.objects.values_list("pk", flat=True)),
        },
        follow=True,
    )
    assert "Choose one framework version to export as a file" in response.content.decode()
