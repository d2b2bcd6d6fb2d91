"""A realistic, seeded demo: experts from every UN region answering both questionnaires.

Answers are written through the same service functions as an expert's (start, save each
page, submit, edit), so the demo obeys every rule that real answers do.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from survey import countries
from survey.answering.raw import RawAnswers
from survey.answering.visibility import is_shown
from survey.models import Invitation, Participant, Questionnaire
from survey.models.columns import utcnow
from survey.questionnaires.model import Question
from survey.questionnaires.model import Questionnaire as Definition
from survey.services import answering, links

DEMO_DOMAIN = "demo.example.org"
# Experts per UN region, roughly as at a meeting of this kind.
REGION_SHARES = {"Africa": 0.24, "Americas": 0.2, "Asia": 0.26, "Europe": 0.25, "Oceania": 0.05}
GROUP_WEIGHTS = {
    "government": 62,
    "intergovernmental": 12,
    "ngo": 11,
    "private_sector": 10,
    "academia": 3,
    "other": 2,
}
LANGUAGE_BY_SUBREGION = {
    "Latin America and the Caribbean": "es",
    "Northern Africa": "ar",
    "Western Asia": "ar",
    "Eastern Asia": "zh",
    "Eastern Europe": "ru",
    "Central Asia": "ru",
    "Sub-Saharan Africa": "fr",
}
GIVEN = [
    "Amina",
    "Carlos",
    "Mei",
    "Olga",
    "Jean",
    "Fatima",
    "Kwame",
    "Sofia",
    "Ahmed",
    "Ana",
    "Hiroshi",
    "Priya",
    "Lucas",
    "Nadia",
    "Omar",
    "Elena",
    "Tomas",
    "Aisha",
    "Li",
    "Marta",
]
FAMILY = [
    "Diallo",
    "García",
    "Wang",
    "Ivanova",
    "Dupont",
    "Haddad",
    "Mensah",
    "Rossi",
    "Khan",
    "Silva",
    "Tanaka",
    "Sharma",
    "Müller",
    "Petrov",
    "Nasser",
    "Kowalski",
    "Okafor",
    "Chen",
]
WORDS = [
    "coordination",
    "customs",
    "online",
    "pharmacies",
    "training",
    "evidence",
    "seizures",
    "cooperation",
    "legislation",
    "laboratory",
    "courier",
    "parcels",
    "awareness",
    "data",
]


@dataclass
class DemoSummary:
    participants: int
    started: dict[str, int]
    submitted: dict[str, int]
    edited: dict[str, int]


def demo_exists(session: Session) -> bool:
    """Whether the demo's participants are already in the database."""
    return bool(
        session.scalar(
            select(func.count())
            .select_from(Participant)
            .where(Participant.email.like(f"%@{DEMO_DOMAIN}"))
        )
    )


def open_around_now(questionnaires: list[Questionnaire]) -> None:
    """Open each questionnaire from a week ago to a month ahead, so the demo can be answered."""
    now = utcnow().replace(second=0, microsecond=0)
    # In their order (pre before post), each opening a week after the one before it.
    for index, questionnaire in enumerate(questionnaires):
        questionnaire.opens_at = now - timedelta(days=7 * (len(questionnaires) - index))
        questionnaire.closes_at = now + timedelta(days=14 * (index + 1))
        questionnaire.closed_early_at = None


def make_participants(session: Session, rng: random.Random, count: int) -> list[Participant]:
    """Participants from every UN region and stakeholder group."""
    people = []
    for n, country in enumerate(_countries(rng, count)):
        subregion = country.subregion
        people.append(
            Participant(
                email=f"expert{n + 1:04d}@{DEMO_DOMAIN}",
                name=f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
                country_iso3=country.iso3,
                organisation=f"National authority of {country.name('en')}",
                stakeholder_group=rng.choices(list(GROUP_WEIGHTS), list(GROUP_WEIGHTS.values()))[0],
                language=LANGUAGE_BY_SUBREGION.get(subregion, "en"),
            )
        )
    session.add_all(people)
    session.flush()
    return people


def _countries(rng: random.Random, count: int) -> Iterator[countries.Country]:
    independent = [c for c in countries.all_countries() if c.independent]
    for region, share in REGION_SHARES.items():
        pool = [c for c in independent if c.region == region]
        chosen = rng.sample(pool, min(len(pool), max(2, round(count * share * 0.6))))
        for n in range(round(count * share)):
            yield chosen[n % len(chosen)]


def raw_answers(definition: Definition, rng: random.Random, country_iso3: str) -> RawAnswers:
    """Plausible answers to every question shown, as an expert's browser would send them."""
    raw: RawAnswers = {}
    shown: set[str] = set()
    for question in definition.questions():
        if not is_shown(question, raw, shown):
            continue
        shown.add(question.key)
        if question.required or rng.random() < 0.85:
            raw[question.key] = RAW_MAKERS[question.type](question, rng, country_iso3)
    return raw


def _choice_codes(q: Question) -> list[str]:
    return [o.code for o in q.options] + [p.code for p in q.scale]


def _single(q: Question, rng: random.Random, _country: str) -> dict[str, list[str]]:
    if q.other and rng.random() < 0.05:
        return {"": ["other"], "other": [f"Specialised {rng.choice(WORDS)} unit"]}
    return {"": [rng.choice(_choice_codes(q))]}


def _multiple(q: Question, rng: random.Random, _country: str) -> dict[str, list[str]]:
    codes = _choice_codes(q)
    k = rng.randint(1, min(len(codes), q.max_selections or len(codes), 4))
    return {"": rng.sample(codes, k)}


def _scale(q: Question, rng: random.Random, _country: str) -> dict[str, list[str]]:
    points = _choice_codes(q)
    if q.dont_know and rng.random() < 0.05:
        return {"": ["dont_know"]}
    # Lean towards the upper half, as evaluations and confidence ratings do.
    return {
        "": [points[min(len(points) - 1, int(rng.triangular(0, len(points), len(points) * 0.7)))]]
    }


def _grid(q: Question, rng: random.Random, _country: str) -> dict[str, list[str]]:
    return {s.key: _scale(q, rng, _country)[""] for s in q.statements}


def _number(q: Question, rng: random.Random, _country: str) -> dict[str, list[str]]:
    if q.not_available and rng.random() < 0.25:
        return {"na": ["1"]}
    low, high = q.min if q.min is not None else 0, q.max if q.max is not None else 1000
    value = min(high, max(low, int(rng.lognormvariate(2.5, 1.2))))
    return {"": [str(value)]}


def _text(q: Question, rng: random.Random, _country: str) -> dict[str, list[str]]:
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 12)))
    return {"": [words.capitalize()[: q.max_length or 200]]}


def _ranking(q: Question, rng: random.Random, _country: str) -> dict[str, list[str]]:
    codes = rng.sample([o.code for o in q.options], q.top or len(q.options))
    return {code: [str(rank)] for rank, code in enumerate(codes, 1)}


def _date(q: Question, rng: random.Random, _country: str) -> dict[str, list[str]]:
    low = q.min or utcnow().date() - timedelta(days=3650)
    high = q.max or utcnow().date()
    return {"": [(low + timedelta(days=rng.randint(0, (high - low).days))).isoformat()]}


RAW_MAKERS: dict[str, Callable[[Question, random.Random, str], dict[str, list[str]]]] = {
    "single_choice": _single,
    "multiple_choice": _multiple,
    "scale": _scale,
    "grid": _grid,
    "number": _number,
    "short_text": _text,
    "long_text": _text,
    "country": lambda q, rng, country: {"": [country]},
    "ranking": _ranking,
    "date": _date,
    "yes_no": lambda q, rng, _c: {"": [rng.choice(["yes", "yes", "no"])]},
}


def answer_as_expert(
    session: Session,
    questionnaire: Questionnaire,
    invitation: Invitation,
    rng: random.Random,
    secret: str,
    submit: bool,
    edit: bool,
) -> None:
    """Start, save page by page (stopping early for a draft), submit and maybe edit."""
    participant = invitation.participant
    definition = answering.definition_of(questionnaire)
    response = answering.start(session, invitation, questionnaire, secret, participant.language)
    raw = raw_answers(definition, rng, participant.country_iso3)
    pages = definition.sections if submit else definition.sections[: rng.randint(1, 3)]
    for section in pages:
        page = {q.key: raw[q.key] for q in section.questions if q.key in raw}
        response = answering.save(
            session, response, questionnaire, page, section.key, response.lock_version
        )
    if not submit:
        return
    answering.submit(session, invitation, response, questionnaire, response.lock_version)
    if edit:
        changed = raw_answers(definition, rng, participant.country_iso3)
        section = rng.choice(definition.sections)
        page = {q.key: changed[q.key] for q in section.questions if q.key in changed}
        response = answering.save(
            session, response, questionnaire, page, section.key, response.lock_version
        )
        answering.submit(session, invitation, response, questionnaire, response.lock_version)


# Shares of experts who start, submit and then edit each questionnaire (pre before post).
BEHAVIOUR = {0: (0.8, 0.68, 0.12), 1: (0.6, 0.5, 0.08)}


def run_demo(
    session: Session,
    questionnaires: list[Questionnaire],
    secret: str,
    count: int = 150,
    seed: int = 2013,
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> DemoSummary:
    """Fill the database with the demo's participants and their answers."""
    rng = random.Random(seed)  # noqa: S311  (a repeatable demo, not a secret)
    open_around_now(questionnaires)
    people = make_participants(session, rng, count)
    summary = DemoSummary(len(people), {}, {}, {})
    total = len(people) * len(questionnaires)
    # Keen experts answer both questionnaires: that is what pre/post pairing needs.
    keenness = {person.id: rng.random() for person in people}
    for index, questionnaire in enumerate(questionnaires):
        start, submit, edit = BEHAVIOUR.get(index, BEHAVIOUR[1])
        for n, person in enumerate(people):
            token = links.issue_link(session, questionnaire, person)
            draw = 0.85 * keenness[person.id] + 0.15 * rng.random()
            if draw < start:
                answer_as_expert(
                    session,
                    questionnaire,
                    links.find_invitation(session, token),
                    rng,
                    secret,
                    submit=draw < submit,
                    edit=draw < edit,
                )
                _count(summary, questionnaire.slug, draw, submit, edit)
            progress(index * len(people) + n + 1, total)
    return summary


def _count(summary: DemoSummary, slug: str, draw: float, submit: float, edit: float) -> None:
    summary.started[slug] = summary.started.get(slug, 0) + 1
    summary.submitted[slug] = summary.submitted.get(slug, 0) + (draw < submit)
    summary.edited[slug] = summary.edited.get(slug, 0) + (draw < edit)
