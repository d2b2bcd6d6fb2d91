"""Five experts answering tests/data/valid/minimal.yaml, small enough to count by hand."""

from __future__ import annotations

from tests.analysis.conftest import answer

# (country, stakeholder group, raw answers as a browser sends them)
EXPERTS = [
    (
        "FRA",
        "government",
        {
            "country": {"": ["FRA"]},
            "specific_offence": {"": ["yes"]},
            "offence_year": {"": ["2001-05-01"]},
            "lead_agency": {"": ["police"]},
            "agencies_involved": {"": ["police", "customs"]},
            "customs_cases": {"": ["10"]},
            "useful": {"": ["4"]},
            "topics": {"ports": ["4"], "internet": ["3"]},
            "priorities": {"police": ["1"], "customs": ["2"]},
            "comments": {"": ["Good <b>meeting</b>"]},
        },
    ),
    (
        "FRA",
        "ngo",
        {
            "country": {"": ["FRA"]},
            "specific_offence": {"": ["no"]},
            "lead_agency": {"": ["customs"]},
            "agencies_involved": {"": ["customs"]},
            "customs_cases": {"na": ["1"]},
            "useful": {"": ["2"]},
            "topics": {"ports": ["1"], "internet": ["2"]},
            "priorities": {"customs": ["1"], "regulator": ["2"]},
            "main_obstacle": {"": ["Money 100%_sure"]},
        },
    ),
    (
        "KEN",
        "government",
        {
            "country": {"": ["KEN"]},
            "specific_offence": {"": ["yes"]},
            "offence_year": {"": ["2010-01-01"]},
            "lead_agency": {"": ["other"], "other": ["Army"]},
            "agencies_involved": {"": ["police"]},
            "useful": {"": ["dont_know"]},
            "topics": {"ports": ["3"], "internet": ["3"]},
            "priorities": {"police": ["1"], "regulator": ["2"]},
        },
    ),
    (
        "BRA",
        "government",
        {
            "country": {"": ["BRA"]},
            "specific_offence": {"": ["dont_know"]},
            "lead_agency": {"": ["police"]},
            "agencies_involved": {"": ["dont_know"]},
            "useful": {"": ["4"]},
            "topics": {"ports": ["4"], "internet": ["4"]},
            "priorities": {"regulator": ["1"], "police": ["2"]},
        },
    ),
    (
        "DEU",
        "private_sector",
        {
            "country": {"": ["DEU"]},
            "specific_offence": {"": ["yes"]},
            "offence_year": {"": ["1999-12-31"]},
            "lead_agency": {"": ["regulator"]},
            "agencies_involved": {"": ["customs"]},
            "customs_cases": {"": ["30"]},
            "useful": {"": ["3"]},
            "topics": {"ports": ["2"], "internet": ["4"]},
            "priorities": {"police": ["1"], "customs": ["2"]},
            "comments": {"": ["Más tiempo, por favor"]},
        },
    ),
]


def answer_all(app, questionnaire_id: int) -> list[int]:
    """The five experts answer and submit; their responses' ids."""
    return [
        answer(app, questionnaire_id, raw, country=country, group=group)
        for country, group, raw in EXPERTS
    ]
