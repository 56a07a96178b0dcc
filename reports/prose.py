"""The written report's citations (docs/report-text.md), parsed, checked and rendered: pure.

A text is the lead's words with citations in braces ({2.2.3.d:no_count}, {fact:reoffending},
{note:prioritisation}, {evidence:pop_survey.safe}), `*emphasis*` and `[links](https://...)`.
`problems()` lists everything wrong with a text, each message naming the citation; a `Renderer`
turns texts into runs (text, emphasis, link, footnote mark) against an inspection's figures,
numbering footnotes across the whole report in the order they are first cited.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from inspection.framework.rating_engine import percent_half_up

# Forms a count (a key question, prompt, item or evidence tally) can be cited in; the first is
# what a citation without a form means.
COUNT_FORMS = ("percent", "no_percent", "yes", "no", "relevant", "count", "no_count")
RATING_FORM = "rating"
FACT, NOTE, EVIDENCE = "fact", "note", "evidence"

WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")

CITATION = re.compile(r"\{([^{}]*)\}")
EMPHASIS = re.compile(r"\*([^*\n]+)\*")
# Link text may hold escaped brackets or parentheses, as markdown writes them.
LINK = re.compile(r"\[((?:[^\]\\]|\\.)+)\]\(([^()\s]+)\)")
ESCAPED = re.compile(r"\\(.)")
# What may come between a sentence's end and a citation starting the next: spaces, quotes,
# brackets, emphasis marks and footnote marks ("Seen.{note:n} {x:yes}"); "e.g." and "i.e." end
# no sentence.
SENTENCE_END = re.compile(
    r"(^|(?<!e\.g)(?<!i\.e)[.!?])([\s\"'“”‘’()*]|\{note:[^{}]*\})*$", re.IGNORECASE
)


def in_words(number: int, *, capital: bool = False) -> str:
    """House style: zero to nine in words, 10 and over in figures."""
    text = WORDS[number] if 0 <= number < len(WORDS) else f"{number:,}"
    return text[:1].upper() + text[1:] if capital else text


@dataclass(frozen=True)
class Tally:
    """A figure a citation can render: yes of relevant, or only one of them, or a percentage
    alone (a survey result known only as a percentage)."""

    yes: int | None = None
    relevant: int | None = None
    percent: int | None = None

    @property
    def percentage(self) -> int | None:
        if self.percent is not None:
            return self.percent
        if self.yes is None or self.relevant is None:
            return None
        return percent_half_up(self.yes, self.relevant)

    @property
    def forms(self) -> frozenset[str]:
        """The forms this figure can be cited in."""
        forms = set()
        if self.percentage is not None or (self.yes is not None and self.relevant is not None):
            forms.add("percent")
        if self.yes is not None and self.relevant is not None:
            forms.update(COUNT_FORMS)
        elif self.relevant is not None:
            forms.add("relevant")
        return frozenset(forms)


@dataclass(frozen=True)
class Fact:
    value: str
    source: str = ""


@dataclass(frozen=True)
class Known:
    """What a text may cite, for checking it (before any figure exists)."""

    questions: frozenset[str] = frozenset()
    standards: frozenset[str] = frozenset()
    # Evidence key -> the forms it can be cited in; None when its tally is not recorded yet
    # (then any count form is accepted).
    evidence: Mapping[str, frozenset[str] | None] = field(default_factory=dict)
    facts: frozenset[str] = frozenset()
    notes: frozenset[str] = frozenset()
    # Standards the framework does not rate: never a rating to cite.
    unrated: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Sources:
    """An inspection's figures and the report's facts and notes, for rendering texts; what may
    be cited (`known()`) is what these hold, so the two can never disagree."""

    questions: Mapping[str, Tally] = field(default_factory=dict)
    # Standard code -> its rating's label ("" while unrated).
    ratings: Mapping[str, str] = field(default_factory=dict)
    evidence: Mapping[str, Tally] = field(default_factory=dict)
    facts: Mapping[str, Fact] = field(default_factory=dict)
    notes: Mapping[str, str] = field(default_factory=dict)
    # Evidence keys of the framework with no tally recorded: citable, rendered as missing.
    unrecorded_evidence: frozenset[str] = frozenset()
    # Standards the framework does not rate (their rating reads "" in `ratings`, for ever).
    unrated: frozenset[str] = frozenset()

    def known(self) -> Known:
        return Known(
            questions=frozenset(self.questions),
            standards=frozenset(self.ratings),
            evidence={
                **dict.fromkeys(self.unrecorded_evidence),
                **{key: tally.forms for key, tally in self.evidence.items()},
            },
            facts=frozenset(self.facts),
            notes=frozenset(self.notes),
            unrated=self.unrated,
        )


@dataclass(frozen=True)
class Citation:
    raw: str  # as written, braces included
    kind: str  # "question", "standard" (decided when checked), FACT, NOTE or EVIDENCE
    key: str
    form: str  # "" when none was written

    @classmethod
    def parse(cls, body: str) -> "Citation":
        raw = "{" + body + "}"
        head, _, rest = body.strip().partition(":")
        if head in (FACT, NOTE):
            return cls(raw, head, rest.strip(), "")
        if head == EVIDENCE:
            key, _, form = rest.partition(":")
            return cls(raw, EVIDENCE, key.strip(), form.strip())
        return cls(raw, "question", head.strip(), rest.strip())


def citations(text: str) -> list[Citation]:
    return [Citation.parse(m.group(1)) for m in CITATION.finditer(text)]


def _brace_problems(text: str) -> list[str]:
    problems = []
    rest = CITATION.sub(lambda m: " " * len(m.group(0)), text)
    for position, char in enumerate(rest):
        if char == "{":
            problems.append(
                f"unbalanced brace: the '{{' at character {position + 1} "
                f"({_around(text, position)}) has no closing '}}'"
            )
        elif char == "}":
            problems.append(
                f"unbalanced brace: the '}}' at character {position + 1} "
                f"({_around(text, position)}) closes no '{{'"
            )
    return problems


def _around(text: str, position: int) -> str:
    return "“" + text[max(0, position - 15) : position + 16].replace("\n", " ") + "”"


def citation_problem(citation: Citation, known: Known) -> str | None:
    raw, key, form = citation.raw, citation.key, citation.form
    if not key:
        return f"{raw}: nothing is cited (write a code, e.g. {{2.2.3}})"
    if citation.kind == FACT:
        return None if key in known.facts else f"{raw}: there is no context fact '{key}'"
    if citation.kind == NOTE:
        return None if key in known.notes else f"{raw}: there is no footnote '{key}'"
    if citation.kind == EVIDENCE:
        if key not in known.evidence:
            return f"{raw}: there is no evidence question '{key}'"
        if form and form not in COUNT_FORMS:
            return f"{raw}: unknown form '{form}' (one of {', '.join(COUNT_FORMS)})"
        forms = known.evidence[key]
        if forms is not None and (form or "percent") not in forms:
            if forms == {"percent"}:
                return (
                    f"{raw}: '{key}' is known only as a percentage, so only "
                    f"{{evidence:{key}}} can be cited, not the form '{form}'"
                )
            if forms == {"relevant"}:
                return f"{raw}: '{key}' is only a number: cite {{evidence:{key}:relevant}}"
            return f"{raw}: '{key}' has no figure for the form '{form or 'percent'}'"
        return None
    if key in known.standards:
        if form and form != RATING_FORM:
            return f"{raw}: a standard is cited only as its rating ({{{key}:rating}})"
        if key in known.unrated:
            return f"{raw}: the framework does not rate standard {key}: there is no rating to cite"
        return None
    if key in known.questions:
        if form == RATING_FORM:
            return f"{raw}: only a standard has a rating; '{key}' is a question"
        if form and form not in COUNT_FORMS:
            return f"{raw}: unknown form '{form}' (one of {', '.join(COUNT_FORMS)})"
        return None
    if form and not any(char.isdigit() for char in key):
        return f"{raw}: unknown kind of citation '{key}' (fact, note, evidence or a code)"
    return f"{raw}: there is no standard, key question, prompt or item '{key}' in the framework"


def problems(text: str, known: Known, sources: Sources | None = None) -> list[str]:
    """Every problem in a text, each naming the citation (an empty list when all is well). With
    `sources` (the inspection's figures) also each citation that renders no figure from them."""
    found = _brace_problems(text)
    for citation in citations(text):
        problem = citation_problem(citation, known)
        if problem is None and sources is not None:
            problem = figure_problem(citation, sources)
        if problem:
            found.append(problem)
    return found


# Why a count gives no figure in a form (tally_gap).
NOTHING_RECORDED, NO_SUCH_FORM, NONE_RELEVANT = "nothing recorded", "no such form", "none relevant"


def tally_gap(tally: Tally | None, form: str) -> str | None:
    """Why `tally` gives no figure in `form` ("" for a percentage), or None when it gives one:
    what render_tally prints as [no figure], and publishing refuses."""
    form = form or "percent"
    if tally is None:
        return NOTHING_RECORDED
    if form not in tally.forms:
        return NO_SUCH_FORM
    if (form == "percent" and tally.percentage is None) or (
        form == "no_percent" and not tally.relevant
    ):
        return NONE_RELEVANT
    return None


def figure_problem(citation: Citation, sources: Sources) -> str | None:
    """Why a citation of something citable renders no figure from these sources: a standard not
    rated, an evidence tally not recorded (or deleted) or recorded in a shape that cannot give
    the form, a percentage of no relevant cases. None when it renders a figure."""
    raw, key, form = citation.raw, citation.key, citation.form
    if citation.kind == EVIDENCE:
        gap = tally_gap(sources.evidence.get(key), form)
        return {
            None: None,
            NOTHING_RECORDED: f"{raw}: no tally is recorded for the evidence question '{key}'",
            NO_SUCH_FORM: f"{raw}: the tally of '{key}' as recorded has no figure for the "
            f"form '{form or 'percent'}'",
            NONE_RELEVANT: f"{raw}: the tally of '{key}' counts no one (relevant is 0), so "
            "there is no percentage",
        }[gap]
    if citation.kind in (FACT, NOTE):
        return None
    if key in sources.ratings and form in ("", RATING_FORM):
        if sources.ratings[key]:
            return None
        if key in sources.unrated:
            return f"{raw}: the framework does not rate standard {key}: there is no rating to cite"
        return f"{raw}: standard {key} is not rated yet"
    if tally_gap(sources.questions.get(key), form) == NONE_RELEVANT:
        return f"{raw}: no case is relevant to {key}, so there is no percentage"
    return None


@dataclass(frozen=True)
class Run:
    """A piece of rendered text: plain, emphasised, a link, or a footnote mark (text empty)."""

    text: str = ""
    emphasis: bool = False
    href: str = ""
    footnote: int | None = None
    # The footnote's first citation: its footnote links back here.
    first: bool = False


@dataclass(frozen=True)
class Note:
    number: int
    runs: tuple[Run, ...]


MISSING = "[no figure]"


def render_tally(tally: Tally | None, form: str, *, capital: bool) -> str:
    """A count in one of the citation forms, in house style."""
    form = form or "percent"
    if tally_gap(tally, form):
        return MISSING
    yes, relevant = tally.yes, tally.relevant
    if form == "percent":
        return f"{in_words(tally.percentage, capital=capital)} per cent"
    if form == "no_percent":
        # Rounded from the count itself: 6 of 16 is 38 per cent, though 10 of 16 is 63.
        return f"{in_words(percent_half_up(relevant - yes, relevant), capital=capital)} per cent"
    no = relevant - yes if relevant is not None and yes is not None else None
    if form == "relevant":
        return in_words(relevant, capital=capital)
    if form in ("yes", "no"):
        return in_words(yes if form == "yes" else no, capital=capital)
    number = yes if form == "count" else no
    cases = "case" if relevant == 1 else "cases"
    return f"{in_words(number, capital=capital)} out of {in_words(relevant)} relevant {cases}"


class Renderer:
    """Renders a report's texts in reading order; footnotes are numbered across all of them in
    order of first citation (context facts' sources and {note:} footnotes alike)."""

    def __init__(self, sources: Sources):
        self.sources = sources
        self._numbers: dict[str, int] = {}
        self._texts: list[str] = []

    def footnote(self, key: str, text: str) -> tuple[int, bool]:
        """The number of a footnote, numbered now if this is its first citation."""
        if key in self._numbers:
            return self._numbers[key], False
        self._texts.append(text)
        self._numbers[key] = len(self._texts)
        return self._numbers[key], True

    def notes(self) -> tuple[Note, ...]:
        """The footnotes cited so far, in number order (their own text rendered too)."""
        notes, done = [], 0
        # A footnote's own text may cite another footnote, numbered after it.
        while done < len(self._texts):
            text = self._texts[done]
            done += 1
            notes.append(Note(done, self.runs(text)))
        return tuple(notes)

    def runs(self, text: str) -> tuple[Run, ...]:
        out: list[Run] = []
        position = 0
        for match in _markup(text):
            self._plain(text[position : match.start()], text[:position], out)
            before = text[: match.start()]
            if match.re is LINK:
                label, href = ESCAPED.sub(r"\1", match.group(1)), match.group(2)
                safe = href.lower().startswith(("http://", "https://"))
                self._plain(label, before, out, href=href if safe else "")
            else:
                self._plain(match.group(1), before, out, emphasis=True)
            position = match.end()
        self._plain(text[position:], text[:position], out)
        return tuple(_merged(out))

    def _plain(self, text: str, before: str, out: list[Run], *, emphasis=False, href=""):
        """`text` with its citations rendered; `before` is what precedes it in its paragraph,
        to tell a citation that starts a sentence (and so takes a capital)."""
        position = 0
        for match in CITATION.finditer(text):
            if match.start() > position:
                out.append(Run(text[position : match.start()], emphasis, href))
            capital = bool(SENTENCE_END.search(before + text[: match.start()]))
            out.extend(self._cite(Citation.parse(match.group(1)), capital, emphasis, href))
            position = match.end()
        if len(text) > position:
            out.append(Run(text[position:], emphasis, href))

    def _cite(self, citation: Citation, capital: bool, emphasis: bool, href: str) -> list[Run]:
        sources, key = self.sources, citation.key
        if citation.kind == NOTE:
            if key not in sources.notes:
                return [Run(citation.raw, emphasis, href)]
            number, first = self.footnote("note:" + key, sources.notes[key])
            return [Run(footnote=number, first=first)]
        if citation.kind == FACT:
            fact = sources.facts.get(key)
            if fact is None:
                return [Run(citation.raw, emphasis, href)]
            # A value in words starts a sentence with a capital, as a count does ("Nine per cent").
            value = fact.value[:1].upper() + fact.value[1:] if capital else fact.value
            runs = [Run(value, emphasis, href)]
            if fact.source:
                number, first = self.footnote("fact:" + key, fact.source)
                runs.append(Run(footnote=number, first=first))
            return runs
        if citation.kind == EVIDENCE:
            tally = sources.evidence.get(key)
            return [Run(render_tally(tally, citation.form, capital=capital), emphasis, href)]
        if key in sources.ratings and citation.form in ("", RATING_FORM):
            return [Run(sources.ratings[key] or "not yet rated", emphasis, href)]
        if key in sources.questions:
            tally = sources.questions[key]
            return [Run(render_tally(tally, citation.form, capital=capital), emphasis, href)]
        return [Run(citation.raw, emphasis, href)]


def _markup(text: str):
    """Links and emphasis, in order, neither inside the other."""
    found = sorted(
        [*LINK.finditer(text), *EMPHASIS.finditer(text)], key=lambda m: (m.start(), -m.end())
    )
    end = 0
    for match in found:
        if match.start() >= end:
            yield match
            end = match.end()


def _merged(runs: list[Run]) -> list[Run]:
    merged: list[Run] = []
    for run in runs:
        if not run.text and run.footnote is None:
            continue
        last = merged[-1] if merged else None
        if (
            last is not None
            and run.footnote is None
            and last.footnote is None
            and (last.emphasis, last.href) == (run.emphasis, run.href)
        ):
            merged[-1] = Run(last.text + run.text, run.emphasis, run.href)
        else:
            merged.append(run)
    return merged


def plain_text(runs: tuple[Run, ...]) -> str:
    """The runs as plain text, footnote marks as their numbers in brackets."""
    return "".join(f"[{run.footnote}]" if run.footnote is not None else run.text for run in runs)
