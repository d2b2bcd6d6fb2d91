"""Limits: oversized and malformed requests are refused quickly, with nothing stored."""

from tests.respondent.conftest import csrf_token, lock_version, start


def test_an_oversized_body_gets_413(client, expert):
    html = start(client, expert)
    response = client.post(
        f"{expert.url}/p/framework",
        data={
            "csrf_token": csrf_token(html),
            "lock_version": lock_version(html),
            "comments": "x" * (3 * 1024 * 1024),
        },
    )
    assert response.status_code == 413
    assert "too large" in response.text


def test_too_many_fields_get_413(client, expert):
    html = start(client, expert)
    fields = {f"f{n}": "1" for n in range(3000)}
    response = client.post(
        f"{expert.url}/p/framework",
        data={"csrf_token": csrf_token(html), "lock_version": lock_version(html), **fields},
    )
    assert response.status_code == 413


def test_a_malformed_lock_version_is_a_conflict_not_an_error(client, expert):
    html = start(client, expert)
    response = client.post(
        f"{expert.url}/p/framework",
        data={"csrf_token": csrf_token(html), "lock_version": "abc", "country": "FRA"},
    )
    assert response.status_code == 409
    assert '<option value="FRA" selected' in response.text
