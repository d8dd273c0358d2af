"""Links in the workspace: status, dates that make sense, copying the address, bands of
waiting responses, and the test link that never counts."""

from __future__ import annotations

import re
from datetime import date, timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from feedback.storage import releases
from feedback.storage.db import db
from feedback.storage.models import Answer, Draft, Link, SurveyRecord, SurveyResponse, Tally
from tests.conftest import add_link, load_definition
from tests.feedback.test_dashboard import sign_in
from tests.respondent import Respondent

SLUG = "sample-young-people"
TODAY = date.today()
QUICK_ANSWERS = {"places": {"places_visited": ["park"]}, "safety": {"feel_safe": "4"}}


def designer(app: Flask) -> FlaskClient:
    client = app.test_client()
    sign_in(app, client, "designer")
    return client


def csrf(client: FlaskClient, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def answer(app: Flask, code: str, times: int = 1) -> list[str]:
    """Walk the respondent pages `times` times; returns every page's HTML."""
    pages = []
    for _ in range(times):
        person = Respondent(app.test_client(), code)
        pages.append(person.get(f"/s/{code}").get_data(as_text=True))
        started = person.post(f"/s/{code}/start")
        while started.status_code == 303 and "/q/" not in started.location:
            started = person.get(started.location)
            pages.append(started.get_data(as_text=True))
        for page_id, answers in QUICK_ANSWERS.items():
            pages.append(person.get(f"/s/{code}/q/{page_id}").get_data(as_text=True))
            assert person.answer(page_id, answers).status_code == 303
        pages.append(person.get(f"/s/{code}/check").get_data(as_text=True))
        submitted = person.submit()
        assert submitted.status_code == 303, submitted.get_data(as_text=True)
        pages.append(person.get(submitted.location).get_data(as_text=True))
    return pages


def new_link(client: FlaskClient, **fields: str):  # noqa: ANN201
    data = {"channel": "School - class link", "audience": "young_people", "language": ""}
    data.update(fields)
    data["csrf_token"] = csrf(client, f"/workspace/surveys/{SLUG}")
    return client.post(f"/workspace/surveys/{SLUG}/links", data=data)


def stored_counts(app: Flask) -> dict[str, int]:
    with app.app_context():
        return {
            table.__name__: db.session.scalar(select(func.count()).select_from(table))
            for table in (SurveyResponse, Answer, Tally, Draft)
        }


def test_each_status_shows_on_the_links_list_and_the_link_page(app: Flask) -> None:
    record = load_definition(app)
    codes = {
        "Open": add_link(app, record, channel="Open one"),
        "Open (until": add_link(app, record, channel="Dated", closes_on=TODAY),
        "Not yet open (opens on": add_link(
            app, record, channel="Later", opens_on=TODAY + timedelta(days=3)
        ),
        "Expired (closed after": add_link(
            app, record, channel="Past", closes_on=TODAY - timedelta(days=1)
        ),
        "Closed (switched off)": add_link(app, record, channel="Off", is_active=False),
    }
    client = designer(app)
    listing = client.get(f"/workspace/surveys/{SLUG}").get_data(as_text=True)
    overview = client.get("/workspace").get_data(as_text=True)
    for status, code in codes.items():
        assert status in listing and status in overview
        page = client.get(f"/workspace/links/{code}")
        assert page.status_code == 200
        assert status in page.get_data(as_text=True)
    assert "Expired (closed after " + (TODAY - timedelta(days=1)).isoformat() in listing


def test_closing_the_survey_shows_on_its_links(app: Flask, sample_link: str) -> None:
    with app.app_context():
        db.session.scalar(select(SurveyRecord)).is_open = False
        db.session.commit()
    page = designer(app).get(f"/workspace/links/{sample_link}").get_data(as_text=True)
    assert "Closed (the survey is closed)" in page


def test_an_expired_link_tells_respondents_it_has_closed(app: Flask) -> None:
    code = add_link(app, load_definition(app), closes_on=TODAY - timedelta(days=1))
    response = app.test_client().get(f"/s/{code}")
    assert response.status_code == 410
    assert "This survey has closed" in response.get_data(as_text=True)


def test_a_closing_date_in_the_past_is_refused_when_a_link_is_made(app: Flask) -> None:
    load_definition(app)
    client = designer(app)
    yesterday = (TODAY - timedelta(days=1)).isoformat()
    response = new_link(client, closes_on=yesterday)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The closing date must be today" in page and "or later" in page
    assert 'href="#closes_on"' in page and f'value="{yesterday}"' in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Link)) == 0
    assert new_link(client, closes_on=TODAY.isoformat()).status_code == 200


def test_a_closing_date_before_the_opening_date_is_refused(app: Flask) -> None:
    load_definition(app)
    response = new_link(
        designer(app),
        opens_on=(TODAY + timedelta(days=5)).isoformat(),
        closes_on=(TODAY + timedelta(days=2)).isoformat(),
    )
    assert response.status_code == 400
    assert "on or after the opening date" in response.get_data(as_text=True)


def test_a_closing_date_in_the_past_is_refused_when_a_link_is_changed(
    app: Flask, sample_link: str
) -> None:
    client = designer(app)
    path = f"/workspace/links/{sample_link}"
    refused = client.post(
        path,
        data={
            "opens_on": "",
            "closes_on": (TODAY - timedelta(days=3)).isoformat(),
            "csrf_token": csrf(client, path),
        },
    )
    assert refused.status_code == 400
    assert "The closing date must be today" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Link.closes_on)) is None
    later = (TODAY + timedelta(days=30)).isoformat()
    saved = client.post(
        path, data={"opens_on": "", "closes_on": later, "csrf_token": csrf(client, path)}
    )
    assert saved.status_code == 303
    assert f"Open (until {later})" in client.get(saved.location).get_data(as_text=True)


def test_an_expired_link_keeps_its_own_date_when_switched_off_and_on(app: Flask) -> None:
    past = TODAY - timedelta(days=2)
    code = add_link(app, load_definition(app), closes_on=past)
    client = designer(app)
    path = f"/workspace/links/{code}"
    kept = client.post(
        path, data={"opens_on": "", "closes_on": past.isoformat(), "csrf_token": csrf(client, path)}
    )
    assert kept.status_code == 303
    off = client.post(f"{path}/state", data={"active": "no", "csrf_token": csrf(client, path)})
    assert off.status_code == 303
    assert "Closed (switched off)" in client.get(path).get_data(as_text=True)


def test_switching_a_link_off_closes_it_for_respondents(app: Flask, sample_link: str) -> None:
    client = designer(app)
    path = f"/workspace/links/{sample_link}"
    client.post(f"{path}/state", data={"active": "no", "csrf_token": csrf(client, path)})
    assert app.test_client().get(f"/s/{sample_link}").status_code == 410
    client.post(f"{path}/state", data={"active": "yes", "csrf_token": csrf(client, path)})
    assert app.test_client().get(f"/s/{sample_link}").status_code == 200


def test_the_address_can_be_selected_without_javascript_and_copied_with_it(
    app: Flask, sample_link: str
) -> None:
    client = designer(app)
    for path in (f"/workspace/surveys/{SLUG}", f"/workspace/links/{sample_link}"):
        page = client.get(path).get_data(as_text=True)
        field = re.search(rf'<input[^>]*id="address-{sample_link}"[^>]*>', page).group(0)
        assert "readonly" in field and f"/s/{sample_link}" in field
        assert f'<label class="visually-hidden" for="address-{sample_link}">' in page
        button = re.search(rf'<button[^>]*data-copy-for="address-{sample_link}"[^>]*>', page)
        assert button and " hidden" in button.group(0) and 'data-copied="Copied"' in button.group(0)
        assert f'id="copied-{sample_link}"' in page and 'aria-live="polite"' in page
        assert "/static/workspace.js" in page


def test_bands_say_how_many_responses_wait_without_showing_a_small_link(app: Flask) -> None:
    record = load_definition(app)
    busy = add_link(app, record, channel="Busy")
    quiet = add_link(app, record, channel="Quiet")
    client = designer(app)
    path = f"/workspace/surveys/{SLUG}"

    def shown() -> tuple[str, dict[str, str]]:
        page = client.get(path).get_data(as_text=True)
        total = re.search(r'id="waiting">[^<]*</h2>\s*<p><strong>([^<]+)<', page).group(1)
        rows = dict(re.findall(r">(Busy|Quiet)</a></td>\s*<td>[^<]*</td>\s*<td>([^<]+)</td>", page))
        return total, rows

    assert shown() == ("fewer than 10", {"Busy": "fewer than 10", "Quiet": "fewer than 10"})
    answer(app, busy, 10)
    assert shown() == ("10 to 19", {"Busy": "10 to 19", "Quiet": "fewer than 10"})
    answer(app, quiet, 1)
    # The quiet link's one response changes nothing anyone can see.
    assert shown() == ("10 to 19", {"Busy": "10 to 19", "Quiet": "fewer than 10"})
    assert "fewer than 10" in client.get(f"/workspace/links/{quiet}").get_data(as_text=True)
    assert "10 to 19" in client.get(f"/workspace/links/{busy}").get_data(as_text=True)


def test_bands_count_from_the_last_release(app: Flask, sample_link: str) -> None:
    answer(app, sample_link, 10)
    with app.app_context():
        survey_id = db.session.scalar(select(SurveyRecord.id))
        assert releases.waiting_by_link(db.session, survey_id) == {
            db.session.scalar(select(Link.id)): 10
        }
        # A release whose boundary is next Monday has taken this week's responses.
        next_monday = TODAY + timedelta(days=7 - TODAY.weekday())
        assert releases.cut(db.session, survey_id, next_monday, 10) is not None
        assert releases.waiting_by_link(db.session, survey_id) == {}
        db.session.commit()
    page = designer(app).get(f"/workspace/surveys/{SLUG}").get_data(as_text=True)
    assert re.search(r'id="waiting">[^<]*</h2>\s*<p><strong>fewer than 10<', page)


def make_test_link(app: Flask, client: FlaskClient) -> str:
    path = f"/workspace/surveys/{SLUG}"
    made = client.post(f"{path}/test-link", data={"csrf_token": csrf(client, path)})
    assert made.status_code == 303 and made.location.endswith("#test-link")
    with app.app_context():
        return db.session.scalar(select(Link.code).where(Link.is_test.is_(True)))


def test_a_test_link_walks_the_real_pages_marked_test_and_stores_nothing(
    app: Flask, sample_link: str
) -> None:
    client = designer(app)
    code = make_test_link(app, client)
    assert make_test_link(app, client) == code  # one per survey
    answer(app, sample_link, 10)
    with app.app_context():
        survey_id = db.session.scalar(select(SurveyRecord.id))
        waiting = releases.waiting_by_link(db.session, survey_id)
    before = stored_counts(app)
    page_before = without_tokens(client.get(f"/workspace/surveys/{SLUG}").get_data(as_text=True))

    pages = answer(app, code, 3)

    assert len(pages) >= 3 * 5
    for page in pages:
        assert "<strong>Test:</strong>" in page
        assert "Nothing you answer here is stored or counted." in page
    assert stored_counts(app) == before  # no response, answer, tally or draft left
    with app.app_context():
        assert releases.waiting_by_link(db.session, survey_id) == waiting
        assert releases.cut_due(db.session, survey_id, TODAY + timedelta(days=7), 11) is False
    page_after = client.get(f"/workspace/surveys/{SLUG}").get_data(as_text=True)
    assert without_tokens(page_after) == page_before  # no band moved


def without_tokens(page: str) -> str:
    return re.sub(r'name="csrf_token" value="[^"]+"', "", page)


def test_a_test_link_works_while_the_survey_is_closed_and_is_not_a_channel(
    app: Flask, sample_link: str
) -> None:
    client = designer(app)
    code = make_test_link(app, client)
    with app.app_context():
        db.session.scalar(select(SurveyRecord)).is_open = False
        db.session.commit()
    assert app.test_client().get(f"/s/{sample_link}").status_code == 410
    assert app.test_client().get(f"/s/{code}").status_code == 200
    overview = client.get("/workspace").get_data(as_text=True)
    assert f"/s/{sample_link}" in overview and f"/s/{code}" not in overview
    survey_page = client.get(f"/workspace/surveys/{SLUG}").get_data(as_text=True)
    links_table = survey_page.split('id="links"')[1].split('id="test-link"')[0]
    assert f"/s/{code}" not in links_table
    assert f'id="address-{code}"' in survey_page


def test_a_shared_link_is_not_marked_test(app: Flask, sample_link: str) -> None:
    page = app.test_client().get(f"/s/{sample_link}").get_data(as_text=True)
    assert "<strong>Test:</strong>" not in page


def test_the_test_mark_speaks_the_page_language(app: Flask, sample_link: str) -> None:
    code = make_test_link(app, designer(app))
    page = app.test_client().get(f"/s/{code}?lang=cy").get_data(as_text=True)
    assert "<strong>Prawf:</strong>" in page and "Dolen brawf yw hon." in page
