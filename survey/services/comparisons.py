"""The pre/post comparison and the per-session evaluation pages' results."""

from __future__ import annotations

from dataclasses import dataclass, replace

from flask_babel import gettext
from sqlalchemy.orm import Session

from dashboards.data import CountChart
from survey.analysis.aggregates import aggregate
from survey.analysis.comparison import Pair, pairs, transitions
from survey.analysis.filters import Selection
from survey.analysis.labels import Labels
from survey.analysis.results import Chart, QuestionResult, question_results
from survey.analysis.shifts import shift_chart, side_by_side
from survey.analysis.suppression import ALL
from survey.models import Questionnaire
from survey.questionnaires.model import Questionnaire as Definition
from survey.services.dashboards import Dashboard, dashboard, definition_for, find


@dataclass(frozen=True)
class PairResult:
    """A paired question: its answers before and after, and the change among matched experts."""

    pair: Pair
    side_by_side: Chart
    shift: Chart | None


@dataclass
class Comparison:
    before: Questionnaire
    after: Questionnaire
    labels: Labels
    before_title: str
    after_title: str
    results: list[PairResult]


def partner(session: Session, questionnaire: Questionnaire) -> Questionnaire | None:
    """The questionnaire paired with this one, if it is loaded."""
    return find(session, questionnaire.pairs_with) if questionnaire.pairs_with else None


def comparison(
    session: Session,
    questionnaire: Questionnaire,
    other: Questionnaire,
    selection: Selection,
    page_lang: str,
    threshold: int,
) -> Comparison:
    """Every paired question before (the earlier questionnaire) and after the meeting."""
    before, after = sorted((questionnaire, other), key=lambda q: (q.opens_at, q.id))
    filters = selection.filters.without_version()
    before_def = definition_for(session, before, None)
    after_def = definition_for(session, after, None)
    found = pairs(before_def, after_def)
    labels = Labels.for_definition(before_def, page_lang)
    after_labels = Labels.for_definition(after_def, page_lang)
    before_charts = _charts(session, before, before_def, filters, labels, threshold)
    after_charts = _charts(session, after, after_def, filters, after_labels, threshold)
    moved = transitions(session, before.id, after.id, found, filters)
    results = []
    for pair in found:
        merged = side_by_side(pair, before_charts[pair.before.key], after_charts[pair.after.key])
        if merged is not None:
            shift = shift_chart(pair, moved, labels, threshold)
            results.append(PairResult(pair, merged, shift))
    return Comparison(
        before,
        after,
        labels,
        labels.text(before_def.title),
        after_labels.text(after_def.title),
        results,
    )


def _charts(
    session: Session,
    questionnaire: Questionnaire,
    definition: Definition,
    filters,
    labels: Labels,
    threshold: int,
) -> dict[str, Chart]:
    agg = aggregate(session, questionnaire.id, definition, filters)
    return {r.question.key: r.chart for r in question_results(definition, agg, labels, threshold)}


@dataclass(frozen=True)
class SessionResults:
    """A session of the meeting and the results of the questions that evaluate it."""

    key: str
    title: str
    results: list[QuestionResult]


def session_results(page: Dashboard) -> list[SessionResults]:
    """The scale and grid results of the sections that evaluate each session, in order."""
    definition = page.definition
    of_section = {s.key: s.session for s in definition.sections if s.session}
    found = []
    for meeting_session in definition.meeting_sessions:
        results = [
            r
            for r in page.results
            if of_section.get(r.section) == meeting_session.key
            and r.question.type in {"scale", "grid"}
        ]
        if results:
            title = page.labels.text(meeting_session.title)
            found.append(SessionResults(meeting_session.key, title, results))
    return found


def sessions_overview(found: list[SessionResults], labels: Labels) -> CountChart | None:
    """Every session's grid side by side, statement by statement (rows of the same charts:
    what they hide stays hidden). None unless two sessions share a grid's statements."""
    grids = [(n, r) for n, s in enumerate(found, 1) for r in s.results if r.question.type == "grid"]
    if len(grids) < 2:
        return None
    first = grids[0][1]
    codes = [c.code for c in first.chart.rows[0].counts] if first.chart.rows else []
    rows = []
    for statement in first.question.statements:
        for n, result in grids:
            for row in result.chart.rows:
                same_scale = [c.code for c in row.counts] == codes
                if row.key in (statement.key, f"{statement.key}:{ALL}") and same_scale:
                    label = gettext("Session %(n)s", n=n)
                    rows.append(replace(row, label=label, parent=labels.text(statement.label)))
    title = gettext("All sessions compared")
    base = gettext("n: see each session below")
    return replace(first.chart, key="sessions", title=title, rows=tuple(rows), base_text=base)


def sessions(
    session: Session,
    questionnaire: Questionnaire,
    selection: Selection,
    page_lang: str,
    threshold: int,
) -> tuple[Dashboard, list[SessionResults], CountChart | None]:
    """The dashboard of the questionnaire, and its results session by session."""
    page = dashboard(session, questionnaire, selection, page_lang, threshold)
    found = session_results(page)
    return page, found, sessions_overview(found, page.labels)
