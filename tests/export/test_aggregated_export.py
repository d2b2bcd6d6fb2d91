"""The aggregated CSV holds the dashboard's numbers, suppression included."""

import io

import pandas as pd

from survey.analysis.filters import parse_selection
from survey.services import dashboards
from tests.export.test_raw_export import ANSWERS, _submit
from tests.organiser.helpers import sign_in
from tests.respondent.conftest import invite

# Six experts: four from France (Europe), two from Kenya (Africa).
EXPERTS = [
    ("FRA", "police"),
    ("FRA", "police"),
    ("FRA", "customs"),
    ("FRA", "police"),
    ("KEN", "customs"),
    ("KEN", "police"),
]


def _answer_all(app, questionnaire_id):
    for n, (country, agency) in enumerate(EXPERTS):
        expert = invite(app, questionnaire_id, email=f"e{n}@example.org", country=country)
        _submit(
            app,
            expert,
            {**ANSWERS, "agencies_involved": {"": [agency]}, "lead_agency": {"": [agency]}},
        )


def _csv(client, query=""):
    response = client.get(f"/staff/export/minimal/aggregated.csv?{query}")
    assert response.status_code == 200, response.text
    return pd.read_csv(io.BytesIO(response.get_data()), dtype=str, keep_default_na=False)


def _dashboard_counts(app, query: dict, threshold: int):
    with app.test_request_context(), app.extensions["survey.db"].read_sessions() as session:
        questionnaire = dashboards.find(session, "minimal")
        page = dashboards.dashboard(session, questionnaire, parse_selection(query), "en", threshold)
        return {
            (r.question.key, row.label, c.code): c.count
            for r in page.results
            if hasattr(r.chart, "rows") and r.question.type == "single_choice"
            for row in r.chart.rows
            for c in row.counts
        }


def test_counts_equal_a_hand_count_and_the_dashboard(app, client, admin, questionnaire_id):
    app.config["SMALL_CELL_THRESHOLD"] = 2
    _answer_all(app, questionnaire_id)
    sign_in(client, admin.email, admin.password)
    frame = _csv(client)
    lead = frame[(frame.question_key == "lead_agency")].set_index("option_code")
    assert lead.loc["police", "count"] == "4" and lead.loc["customs", "count"] == "2"
    assert lead.loc["police", "base_n"] == "6"
    assert lead.loc["police", "percent"] == "66.7"
    dashboard = _dashboard_counts(app, {}, 2)
    assert dashboard[("lead_agency", "All respondents", "police")] == 4


def test_filters_and_breakdowns_match_the_dashboard(app, client, admin, questionnaire_id):
    app.config["SMALL_CELL_THRESHOLD"] = 2
    _answer_all(app, questionnaire_id)
    sign_in(client, admin.email, admin.password)
    for query in (
        {"region": "150"},
        {"by": "region"},
        {"region": "002", "by": "stakeholder_group"},
    ):
        frame = _csv(client, "&".join(f"{k}={v}" for k, v in query.items()))
        exported = {
            (row.question_key, row.group, row.option_code): row["count"]
            for _, row in frame[frame.type == "single_choice"].iterrows()
        }
        for key, count in _dashboard_counts(app, query, 2).items():
            assert exported[key] == ("<2" if count is None else str(count)), (query, key)


def test_small_counts_are_hidden_with_their_complement(app, client, admin, questionnaire_id):
    _answer_all(app, questionnaire_id)  # threshold 5: Kenya's two experts must not show
    sign_in(client, admin.email, admin.password)
    frame = _csv(client, "by=region")
    lead = frame[frame.question_key == "lead_agency"]
    assert "2" not in set(lead["count"]) and "1" not in set(lead["count"])
    regions = frame[frame.question_key == "respondents"].set_index("group")
    assert regions.loc["Africa", "count"] == "<5"


def test_excel_variant_and_language(app, client, analyst, questionnaire_id):
    _answer_all(app, questionnaire_id)
    sign_in(client, analyst.email, analyst.password)
    response = client.get("/staff/export/minimal/aggregated.csv?excel=1&lang=fr")
    assert response.status_code == 200
    data = response.get_data()
    assert data.startswith("\ufeff".encode())
    assert "Quelle agence dirige ?" in data.decode("utf-8-sig")


def test_an_unknown_filter_value_is_refused(app, client, analyst, questionnaire_id):
    sign_in(client, analyst.email, analyst.password)
    response = client.get("/staff/export/minimal/aggregated.csv?region=xyz")
    assert response.status_code == 400


def test_command_line_aggregated_export_with_a_breakdown(app, runner, questionnaire_id, tmp_path):
    from survey.cli import cli

    app.config["SMALL_CELL_THRESHOLD"] = 2
    _answer_all(app, questionnaire_id)
    out = tmp_path / "agg.csv"
    result = runner.invoke(
        cli,
        [
            "export",
            "aggregated",
            "minimal",
            "--by",
            "region",
            "--filter",
            "version=1",
            "--lang",
            "fr",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    lead = frame[(frame.question_key == "lead_agency") & (frame.option_code == "police")]
    counts = dict(zip(lead.group, lead["count"], strict=True))
    # Africa's single answer is hidden, so Europe's (4 - 1) is hidden with it.
    assert counts == {"Ensemble des répondants": "4", "Europe": "<2", "Afrique": "<2"}
    bad = runner.invoke(
        cli,
        [
            "export",
            "aggregated",
            "minimal",
            "--filter",
            "region=mars",
            "--out",
            str(tmp_path / "x.csv"),
        ],
    )
    assert bad.exit_code != 0 and "unknown values" in bad.output
