"""Pages are light and ask nobody but the app: one stylesheet, one small script, no framework,
no font or file from another host."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import assert_only_own_origin
from tests.browser.expert import invite_to, open_link, start

pytestmark = pytest.mark.browser


def test_a_questionnaire_page_loads_only_the_apps_stylesheet_and_script(app, browse):
    expert = invite_to(app, "tfm-pre", language="ar")
    page = browse.new_page()
    open_link(page, expert, "ar")
    start(page)
    browse.requests.clear()
    page.reload()
    page.wait_for_load_state("networkidle")
    paths = sorted(urlsplit(url).path for url in browse.requests)
    assert paths == [
        f"{expert.url}/p/profile",
        "/static/respondent.js",
        "/static/style.css",
    ]


def test_the_origin_check_names_any_other_host():
    origin = "http://127.0.0.1:5000"
    assert_only_own_origin([f"{origin}/r/x/", f"{origin}/static/style.css", "data:,"], origin)
    for elsewhere in [
        "https://fonts.googleapis.com/css2?family=Noto+Sans",
        "http://127.0.0.1:5001/static/style.css",
        "https://127.0.0.1:5000/",
    ]:
        with pytest.raises(AssertionError, match="other hosts"):
            assert_only_own_origin([f"{origin}/", elsewhere], origin)
