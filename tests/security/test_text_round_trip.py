"""Any text typed by an expert comes back identical, or is refused cleanly: never a 500."""

import csv
import html
import io
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.respondent.conftest import csrf_token, lock_version, start

# Letters of every script, marks, emoji, right-to-left and control characters, NUL included.
TEXTS = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=300
)


def _typed_back(page: str) -> str:
    field = re.search(r'<textarea id="f-comments"[^>]*>\n(.*?)</textarea>', page, re.S)
    return html.unescape(field.group(1))


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=TEXTS)
def test_any_text_comes_back_identical_or_is_refused(client, expert, text):
    page = client.get(expert.url + "/p/evaluation")
    if page.status_code == 302 or "csrf_token" not in page.text:
        page_html = start(client, expert)
        page_html = client.get(expert.url + "/p/evaluation").text
    else:
        page_html = page.text
    response = client.post(
        f"{expert.url}/p/evaluation",
        data={
            "csrf_token": csrf_token(page_html),
            "lock_version": lock_version(page_html),
            "action": "save",
            "comments": text,
        },
    )
    assert response.status_code < 500
    if response.status_code >= 400:
        return
    shown = _typed_back(client.get(expert.url + "/p/evaluation").text)
    expected = text.replace("\r\n", "\n")
    assert shown == expected or (not expected.strip() and shown == "")


def test_a_lone_surrogate_is_refused_as_undecodable(client, expert):
    page = start(client, expert)
    body = (
        f"csrf_token={csrf_token(page)}&lock_version={lock_version(page)}&action=save"
        "&comments=%ED%A0%80"
    ).encode()
    response = client.post(
        f"{expert.url}/p/evaluation", data=body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=TEXTS)
def test_any_submitted_text_comes_back_identical_in_the_export(app, client, expert, admin, text):
    """Identical but for surrounding white space, which no answer keeps (as in any form)."""
    from tests.organiser.helpers import sign_in

    page_html = client.get(expert.url + "/p/framework").text
    if "csrf_token" not in page_html:
        page_html = start(client, expert)
    client.post(
        f"{expert.url}/p/framework",
        data={
            "csrf_token": csrf_token(page_html),
            "lock_version": lock_version(page_html),
            "action": "save",
            "country": "FRA",
        },
    )
    page_html = client.get(expert.url + "/p/evaluation").text
    client.post(
        f"{expert.url}/p/evaluation",
        data={
            "csrf_token": csrf_token(page_html),
            "lock_version": lock_version(page_html),
            "action": "save",
            "comments": text,
        },
    )
    review = client.get(expert.url + "/review").text
    submitted = client.post(
        expert.url + "/submit",
        data={"csrf_token": csrf_token(review), "lock_version": lock_version(review)},
    )
    assert submitted.status_code < 500
    if submitted.status_code != 302:
        return  # refused, with the reason on the review page
    staff = app.test_client()
    sign_in(staff, admin.email, admin.password)
    export = staff.get("/staff/export/minimal/raw.csv").get_data(as_text=True)
    [row] = list(csv.DictReader(io.StringIO(export)))
    expected = text.replace("\r\n", "\n").strip()
    cell = row["comments"]
    if expected.startswith(("=", "+", "-", "@", "\t", "\r")):
        assert cell == "'" + expected  # neutralised for spreadsheets, otherwise the same
    else:
        assert cell == expected
