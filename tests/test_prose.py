"""reports/prose.py: the citation grammar of docs/report-text.md, checked and rendered (pure)."""

import pytest

from reports.prose import (
    Fact,
    Known,
    Renderer,
    Run,
    Sources,
    Tally,
    in_words,
    plain_text,
    problems,
)

SOURCES = Sources(
    questions={
        "2.2.3": Tally(11, 21),
        "2.2.3.d": Tally(8, 17),
        "2.2.1": Tally(18, 21),
        "R.f": Tally(1, 1),
        "2.9.9": Tally(0, 0),
        "2.2.3.c": Tally(10, 16),
    },
    ratings={"2.2": "Requires improvement", "2.3": "", "2.6": ""},
    evidence={
        "staff_survey.learning_promoted": Tally(14, 17),
        "pop_survey.safe": Tally(percent=86),
        "interviews.held": Tally(relevant=19),
        "interviews.workload_not_manageable": Tally(percent=4),
    },
    facts={
        "reoffending": Fact("28.7", "Source: Ministry of Justice. *Proven reoffending*."),
        "caseload": Fact("918", "Confirmed by the PDU."),
        "offices": Fact("two"),
    },
    notes={"pf": "The framework is designed to assist regions.", "band": "A rating band."},
    unrecorded_evidence=frozenset({"pop_survey.private"}),
    unrated=frozenset({"2.6"}),
)
KNOWN = SOURCES.known()
FORMS = "one of percent, no_percent, yes, no, relevant, count, no_count"


def text_of(source: str, sources: Sources = SOURCES) -> str:
    return plain_text(Renderer(sources).runs(source))


@pytest.mark.parametrize(
    ("number", "words"), [(0, "zero"), (1, "one"), (9, "nine"), (10, "10"), (24167, "24,167")]
)
def test_house_style_numbers(number, words):
    assert in_words(number) == words


@pytest.mark.parametrize(
    ("source", "rendered"),
    [
        ("only {2.2.3} of cases", "only 52 per cent of cases"),
        ("only {2.2.3:percent} of cases", "only 52 per cent of cases"),
        ("in {2.2.3.d:no_percent}", "in 53 per cent"),
        # Each rounded from its own count: 10 of 16 is 63 per cent, the six others 38.
        ("{2.2.3.c} and {2.2.3.c:no_percent}", "63 per cent and 38 per cent"),
        ("in {2.2.3.d:yes} and {2.2.3.d:no}", "in eight and nine"),
        ("of {2.2.3.d:relevant}", "of 17"),
        ("in {2.2.3.d:count} inspected", "in eight out of 17 relevant cases inspected"),
        (
            "did not take place in {2.2.3.d:no_count}.",
            "did not take place in nine out of 17 relevant cases.",
        ),
        ("in {R.f:count}", "in one out of one relevant case"),
        ("rated {2.2:rating} and {2.2}", "rated Requires improvement and Requires improvement"),
        ("planning is {2.3:rating}", "planning is not yet rated"),
        ("{evidence:staff_survey.learning_promoted:count}", "14 out of 17 relevant cases"),
        ("a {evidence:pop_survey.safe} share", "a 86 per cent share"),
        ("of {evidence:interviews.held:relevant} interviewed", "of 19 interviewed"),
        ("only {evidence:interviews.workload_not_manageable}", "only four per cent"),
        ("none: {2.9.9}", "none: [no figure]"),
        ("not yet: {evidence:pop_survey.private}", "not yet: [no figure]"),
    ],
)
def test_citation_forms(source, rendered):
    assert text_of(source) == rendered


@pytest.mark.parametrize(
    ("source", "rendered"),
    [
        ("{2.2.3.d:no_count} failed.", "Nine out of 17 relevant cases failed."),
        ("It failed. {2.2.3.d:no} were missed.", "It failed. Nine were missed."),
        ("Why? “{2.2.3.d:no} of them", "Why? “Nine of them"),
        ("It was {2.2.3.d:no}.", "It was nine."),
        ("{evidence:interviews.workload_not_manageable} said so", "Four per cent said so"),
        ("{2.2.3} of cases", "52 per cent of cases"),
        # Markup, closing quotes, brackets and footnote marks may sit between the sentences.
        ("*It was done.* {2.2.3.d:no} were not.", "It was done. Nine were not."),
        ("He said “done.” {2.2.3.d:no} were not.", "He said “done.” Nine were not."),
        ("Seen.{note:pf} {2.2.3.d:no} were not.", "Seen.[1] Nine were not."),
        ("(Seen.) {2.2.3.d:no} were not.", "(Seen.) Nine were not."),
        # An abbreviation ends no sentence.
        ("See e.g. {2.2.3.d:no} cases.", "See e.g. nine cases."),
    ],
)
def test_a_citation_starting_a_sentence_takes_a_capital(source, rendered):
    assert text_of(source) == rendered


def test_emphasis_and_links():
    runs = Renderer(SOURCES).runs(
        "See *the {2.2.3.d:count}* and [the glossary (gov.uk)](https://example.org/g) "
        "or [a script](javascript:alert(1)) [escaped \\(x\\)](https://e.org)."
    )
    assert Run("the eight out of 17 relevant cases", emphasis=True) in runs
    assert Run("the glossary (gov.uk)", href="https://example.org/g") in runs
    assert Run("escaped (x)", href="https://e.org") in runs
    # Only http and https make a link: anything else stays words.
    assert not any(run.href.startswith("javascript") for run in runs)


def test_unsafe_link_is_plain_text():
    runs = Renderer(SOURCES).runs("[click](javascript:x) and [web](#)")
    assert all(not run.href for run in runs)
    assert plain_text(runs) == "click and web"


def test_footnotes_numbered_across_the_report_in_order_of_first_citation():
    renderer = Renderer(SOURCES)
    first = renderer.runs("The rate is {fact:reoffending} per cent{note:pf}.")
    second = renderer.runs("The caseload was {fact:caseload}{note:band}; as before{note:pf}.")
    third = renderer.runs("There were {fact:offices} offices.")
    assert plain_text(first) == "The rate is 28.7[1] per cent[2]."
    assert plain_text(second) == "The caseload was 918[3][4]; as before[2]."
    # A fact without a source is printed with no footnote.
    assert plain_text(third) == "There were two offices."
    # The first citation of a footnote is the one its back link returns to.
    assert [r.first for r in first + second if r.footnote] == [True, True, True, True, False]
    notes = renderer.notes()
    assert [n.number for n in notes] == [1, 2, 3, 4]
    assert plain_text(notes[0].runs) == "Source: Ministry of Justice. Proven reoffending."
    assert Run("Proven reoffending", emphasis=True) in notes[0].runs
    assert plain_text(notes[3].runs) == "A rating band."


def test_a_clean_text_has_no_problems():
    text = (
        "In {2.2.3.d:no_count}, {2.2.3} and {2.2:rating}; {fact:reoffending}{note:pf} "
        "{evidence:pop_survey.safe}, {evidence:staff_survey.learning_promoted:no_count}, "
        "{evidence:interviews.held:relevant}, {evidence:pop_survey.private:count}, *so* "
        "[there](https://example.org)."
    )
    assert problems(text, KNOWN) == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "in {2.2.99} cases",
            "{2.2.99}: there is no standard, key question, prompt or item "
            "'2.2.99' in the framework",
        ),
        ("in {2.2.3:counts} cases", f"{{2.2.3:counts}}: unknown form 'counts' ({FORMS})"),
        ("{2.2.3:rating}", "{2.2.3:rating}: only a standard has a rating; '2.2.3' is a question"),
        ("{2.2:percent}", "{2.2:percent}: a standard is cited only as its rating ({2.2:rating})"),
        (
            "{evidence:pop_survey.safe:count}",
            "{evidence:pop_survey.safe:count}: 'pop_survey.safe'"
            " is known only as a percentage, so only {evidence:pop_survey.safe} can be cited, not"
            " the form 'count'",
        ),
        (
            "{evidence:interviews.held}",
            "{evidence:interviews.held}: 'interviews.held' is only a "
            "number: cite {evidence:interviews.held:relevant}",
        ),
        ("{evidence:nope}", "{evidence:nope}: there is no evidence question 'nope'"),
        (
            "{evidence:pop_survey.safe:cnt}",
            f"{{evidence:pop_survey.safe:cnt}}: unknown form 'cnt' ({FORMS})",
        ),
        ("{fact:nope}", "{fact:nope}: there is no context fact 'nope'"),
        ("{note:nope}", "{note:nope}: there is no footnote 'nope'"),
        ("{}", "{}: nothing is cited (write a code, e.g. {2.2.3})"),
        (
            "{quote:x}",
            "{quote:x}: unknown kind of citation 'quote' (fact, note, evidence or a code)",
        ),
        (
            "in {2.2.3 cases",
            "unbalanced brace: the '{' at character 4 (“in {2.2.3 cases”) has no closing '}'",
        ),
        (
            "in 2.2.3} cases",
            "unbalanced brace: the '}' at character 9 (“in 2.2.3} cases”) closes no '{'",
        ),
    ],
)
def test_each_problem_names_the_citation(text, message):
    assert problems(text, KNOWN) == [message]


def test_every_problem_is_listed():
    found = problems("{2.2.99} and {fact:x} and {note:y} {", KNOWN)
    assert len(found) == 4
    assert found[0].startswith("unbalanced brace")


def test_an_unrecorded_evidence_tally_accepts_any_form_when_checked():
    assert problems("{evidence:pop_survey.private:no_count}", KNOWN) == []
    assert problems("{evidence:pop_survey.private:x}", Known(evidence={"pop_survey.private": None}))


def test_an_unknown_citation_renders_as_written():
    assert text_of("in {2.2.99} and {fact:x}") == "in {2.2.99} and {fact:x}"


def test_a_standard_the_framework_does_not_rate_is_refused_when_saved():
    """It can never have a rating; a standard not rated yet can (checked at publication)."""
    message = "{2.6}: the framework does not rate standard 2.6: there is no rating to cite"
    assert problems("{2.6}", KNOWN) == [message]
    assert problems("{2.6:rating}", KNOWN) == [message.replace("{2.6}", "{2.6:rating}")]
    assert problems("{2.3:rating}", KNOWN) == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{2.3:rating}", "{2.3:rating}: standard 2.3 is not rated yet"),
        ("{2.3}", "{2.3}: standard 2.3 is not rated yet"),
        ("{2.9.9}", "{2.9.9}: no case is relevant to 2.9.9, so there is no percentage"),
        (
            "{2.9.9:no_percent}",
            "{2.9.9:no_percent}: no case is relevant to 2.9.9, so there is no percentage",
        ),
        (
            "{evidence:pop_survey.private}",
            "{evidence:pop_survey.private}: no tally is recorded for the evidence question "
            "'pop_survey.private'",
        ),
    ],
)
def test_a_citation_with_no_figure_is_named_when_figures_are_given(text, message):
    """What renders as [no figure] or "not yet rated" is a problem once the figures are given
    (publishing gives them); the same text checked for its codes alone is fine."""
    assert problems(text, KNOWN) == []
    assert problems(text, KNOWN, SOURCES) == [message]
    assert text_of(text) in ("[no figure]", "not yet rated")


def test_a_tally_recorded_in_a_shape_that_cannot_give_the_form_is_named():
    """A count cited, then the tally recorded as a percentage only (the code check allowed any
    form while nothing was recorded)."""
    sources = Sources(evidence={"pop_survey.safe": Tally(percent=86)})
    known = Known(evidence={"pop_survey.safe": None})
    assert problems("{evidence:pop_survey.safe:count}", known, sources) == [
        "{evidence:pop_survey.safe:count}: the tally of 'pop_survey.safe' as recorded has no "
        "figure for the form 'count'"
    ]
    counted_none = Sources(evidence={"x": Tally(0, 0)})
    assert problems("{evidence:x}", Known(evidence={"x": None}), counted_none) == [
        "{evidence:x}: the tally of 'x' counts no one (relevant is 0), so there is no percentage"
    ]


def test_every_citation_with_a_figure_passes_the_figure_check():
    text = (
        "{2.2.3} {2.2.3.d:no_count} {2.2:rating} {9.9.9.x:yes} {evidence:pop_survey.safe} "
        "{evidence:interviews.held:relevant} {fact:reoffending} {note:pf} {2.9.9:count}"
    )
    found = problems(text, KNOWN, SOURCES)
    # Only the unknown code is named: a count of no relevant cases still reads "zero out of zero".
    assert found == [
        "{9.9.9.x:yes}: there is no standard, key question, prompt or item '9.9.9.x' in the "
        "framework"
    ]
