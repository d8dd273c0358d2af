"""/healthz tells a load balancer whether the database answers."""

from __future__ import annotations

from tests.conftest import make_app


def test_healthz_is_200_when_the_database_answers(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "rate_limits": "off"}
    assert "Set-Cookie" not in response.headers


def test_healthz_is_503_when_the_database_is_unreachable() -> None:
    app = make_app("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"


def test_a_respondent_page_says_try_again_when_the_database_is_down() -> None:
    app = make_app("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1")
    response = app.test_client().get("/s/abcd2345")
    assert response.status_code == 503
    assert "Please try again" in response.get_data(as_text=True)
