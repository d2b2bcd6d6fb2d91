"""The organisers' result pages: who may open them, what they show, and that nothing from
questionnaires or answers is ever rendered as markup."""

from __future__ import annotations

import gzip
import json
import re

import plotly
import pytest

from dashboards.style import TEMPLATE
from tests.analysis.conftest import answer, load_pair
from tests.analysis.experts import answer_all
from tests.organiser.helpers import sign_in
from tests.respondent.conftest import VALID, load_questionnaire

HOSTILE = "<img src=x onerror=alert(1)>"
PAGES = ["/staff/q/", "/staff/q/minimal/dashboard", "/staff/q/minimal/sessions"]
FIGURE = re.compile(r'<script type="application/json" id="fig-([a-z0-9_-]+)">(.*?)</script>', re.S)


@pytest.fixture
def minimal_id(app):
    questionnaire_id = load_questionnaire(app, VALID / "minimal.yaml")
    answer_all(app, questionnaire_id)
    return questionnaire_id


def _signed_in(client, account):
    response = sign_in(client, account.email, account.password)
    assert response.status_code == 302
    return client


def _figures(html: str) -> dict[str, dict]:
    return {key: json.loads(text) for key, text in FIGURE.findall(html)}


@pytest.mark.parametrize("url", [*PAGES, "/staff/q/minimal/texts"])
def test_signed_out_visitors_are_sent_to_sign_in(client, minimal_id, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/staff/login?next=")


@pytest.mark.parametrize("role", ["admin", "analyst"])
def test_pages_render_for_admins_and_analysts(client, minimal_id, admin, analyst, role):
    _signed_in(client, admin if role == "admin" else analyst)
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
    index = client.get("/staff/q/").text
    assert "Minimal questionnaire" in index and ">5<" in index
    assert ("/staff/q/minimal/texts" in index) == (role == "admin")


def test_the_dashboard_has_a_chart_and_a_table_per_question(client, minimal_id, admin):
    html = _signed_in(client, admin).get("/staff/q/minimal/dashboard").text
    figures = _figures(html)
    charted = {"regions", "country", "specific_offence", "offence_year", "lead_agency",
               "agencies_involved", "customs_cases", "useful", "topics", "priorities"}  # fmt: skip
    assert set(figures) == charted
    for key in charted:
        assert f'<div class="chart" id="chart-{key}" data-figure="fig-{key}" dir="ltr">' in html
    assert html.count('<details class="chart-table">') == len(charted)
    assert html.count("<caption>") == len(charted)
    assert 'scope="col"' in html and 'scope="row"' in html
    # Free text: only how many answered, with the way to read them for admins.
    assert "Free text" in html and "/staff/q/minimal/texts" in html
    # Five respondents, threshold five: every small count reads "fewer than 5".
    assert "fewer than 5" in html
    assert figures["lead_agency"]["config"]["toImageButtonOptions"]["filename"] == "lead_agency"


@pytest.mark.parametrize("url", ["/staff/q/minimal/dashboard", "/staff/q/minimal/sessions"])
def test_the_charts_template_is_sent_once_a_page(client, minimal_id, admin, url):
    html = _signed_in(client, admin).get(url).text
    [template] = re.findall(
        r'<script type="application/json" id="chart-template">(.*?)</script>', html
    )
    assert json.loads(template) == TEMPLATE  # dashboards.js puts it in every figure
    figures = _figures(html)
    assert figures and not any("template" in f["figure"]["layout"] for f in figures.values())


def test_no_inline_script_and_plotly_from_the_app(client, minimal_id, admin):
    response = _signed_in(client, admin).get("/staff/q/minimal/dashboard")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    for tag in re.findall(r"<script[^>]*>", response.text):
        assert 'type="application/json"' in tag or "src=" in tag, tag
    srcs = re.findall(r'<script src="([^"]+)"', response.text)
    assert srcs[0] == f"/static-vendor/plotly-{plotly.__version__}.min.js"
    assert re.fullmatch(r"/static/dashboards\.js\?v=[0-9a-f]{12}", srcs[1]), srcs
    assert len(srcs) == 2


def test_plotly_js_is_served_gzipped_with_a_year_of_cache(client):
    url = f"/static-vendor/plotly-{plotly.__version__}.min.js"
    response = client.get(url, headers={"Accept-Encoding": "gzip, br"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.mimetype == "text/javascript"
    cache = response.headers["Cache-Control"]
    assert "max-age=31536000" in cache and "immutable" in cache and "public" in cache
    assert gzip.decompress(response.data).startswith(b"/**\n* plotly.js")
    plain = client.get(url)
    assert "Content-Encoding" not in plain.headers
    assert len(plain.data) > 1_000_000
    assert client.get("/static-vendor/plotly-0.0.1.min.js").status_code == 404


def test_filters_and_breakdown(client, minimal_id, admin):
    _signed_in(client, admin)
    europe = client.get("/staff/q/minimal/dashboard?region=150").text
    assert "Submitted responses counted: 3." in europe
    assert '<option value="150" selected>' in europe
    by_group = client.get("/staff/q/minimal/dashboard?by=stakeholder_group").text
    figure = _figures(by_group)["lead_agency"]["figure"]
    # Five experts in three groups: every group under five is hidden whole.
    assert [trace["name"] for trace in figure["data"]] == ["All respondents"]
    assert "Not shown (fewer than 5 respondents)" in by_group
    bad = client.get("/staff/q/minimal/dashboard?region=atlantis&by=mood").text
    assert "Some filters were not understood" in bad and "atlantis" in bad


def test_unknown_questionnaires_and_unpaired_comparisons_are_not_found(client, minimal_id, admin):
    _signed_in(client, admin)
    assert client.get("/staff/q/nothing/dashboard").status_code == 404
    assert client.get("/staff/q/minimal/compare").status_code == 404


def test_free_text_is_for_admins_only(app, client, minimal_id, admin, analyst):
    assert _signed_in(client, analyst).get("/staff/q/minimal/texts").status_code == 403
    page = _signed_in(app.test_client(), admin).get("/staff/q/minimal/texts?q=meeting")
    assert page.status_code == 200
    assert "Good &lt;b&gt;meeting&lt;/b&gt;" in page.text
    assert 'lang="en" dir="auto"' in page.text
    assert "France" in page.text  # not anonymous: the country


def test_hostile_labels_and_answers_never_become_markup(app, client, admin):
    pre_id, post_id = load_pair(app)
    for n in range(6):
        raw = {
            "confident": {"": [str(1 + n % 4)]},
            "topics": {"ports": ["3"], "internet": ["4"]},
            "tools": {"": ["mla"]},
            "advice": {"": [HOSTILE]},
        }
        email = f"hostile{n}@example.org"
        answer(app, pre_id, raw, email=email, country="KEN")
        after = {**raw, "confident_after": raw["confident"]}
        del after["confident"]
        answer(app, post_id, after, email=email, country="KEN")
    _signed_in(client, admin)
    for url in ["/staff/q/pre/dashboard", "/staff/q/pre/compare", "/staff/q/post/texts"]:
        html = client.get(url).text
        assert "<img src=x" not in html and "<script>alert" not in html, url
        for key, spec in _figures(html).items():
            assert "<img" not in json.dumps(spec), (url, key)
    dashboard = client.get("/staff/q/pre/dashboard").text
    assert "I am confident &lt;img src=x onerror=alert(1)&gt;" in dashboard  # table caption
    texts = client.get("/staff/q/post/texts").text
    assert "&lt;img src=x onerror=alert(1)&gt;" in texts
    assert "Kenya" not in texts and "Africa" in texts  # anonymous: the region at most
    compare = _figures(client.get("/staff/q/pre/compare").text)
    assert {
        "pair-confident",
        "shift-confident",
        "pair-topics",
        "shift-topics",
        "pair-tools",
    } == set(compare)


def test_the_page_language_reaches_the_charts(client, minimal_id, admin):
    html = _signed_in(client, admin).get("/staff/q/minimal/dashboard?lang=fr").text
    spec = _figures(html)["lead_agency"]
    assert "Quelle agence dirige ?" in spec["figure"]["layout"]["title"]["text"]
    assert 'lang="fr"' in html
