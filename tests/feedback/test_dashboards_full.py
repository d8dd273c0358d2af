"""Dashboards end to end: tallies, closed weeks, filters, complement and subtraction,
free text review, waves, "You said, we did", exports."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select

from feedback.storage import tallies
from feedback.storage.db import db
from feedback.storage.models import Link, Tally
from tests.conftest import add_link, age_responses, load_definition
from tests.feedback.test_dashboard import sign_in
from tests.respondent import Respondent

SLUG = "sample-young-people"


def submit(app: Flask, code: str, n: int, answers: dict) -> None:
    for _ in range(n):
        person = Respondent(app.test_client(), code)
        person.start()
        person.answer_all(answers)
        assert person.submit().status_code == 303


def park(n_safe: str = "4") -> dict:
    return {"places": {"places_visited": ["park"]}, "safety": {"feel_safe": n_safe}}


def two_links(app: Flask) -> tuple[str, str, int, int]:
    record = load_definition(app)
    a, b = add_link(app, record, channel="Youth club"), add_link(app, record, channel="School")
    with app.app_context():
        ids = dict(db.session.execute(select(Link.code, Link.id)).all())
    return a, b, ids[a], ids[b]


def page_of(client: FlaskClient, url: str) -> tuple[int, str]:
    response = client.get(url)
    return response.status_code, response.get_data(as_text=True)


def test_tallies_kept_on_submit_match_a_rebuild_from_raw_answers(app: Flask,
                                                                 sample_link: str) -> None:
    submit(app, sample_link, 3, park())
    submit(app, sample_link, 2, {"places": {"places_visited": ["park", "shops"]},
                                 "safer": {"makes_safer": ["friends"]}})
    with app.app_context():
        def snapshot() -> list:
            return sorted(db.session.execute(select(
                Tally.item_key, Tally.choice, Tally.week_start, Tally.link_id, Tally.language,
                Tally.count)).all())
        kept = snapshot()
        record_id = db.session.scalar(select(Link.survey_id))
        tallies.rebuild(db.session, record_id)
        assert snapshot() == kept
    assert ("", "", tallies.week_start(date.today())) in {row[:3] for row in kept}
    assert ("places_visited", "park") in {row[:2] for row in kept}


def test_this_weeks_responses_appear_only_once_the_week_has_closed(
        app: Flask, client: FlaskClient, sample_link: str) -> None:
    submit(app, sample_link, 12, park())
    sign_in(app, client)
    _status, page = page_of(client, f"/dashboards/{SLUG}")
    assert "Results are hidden to protect privacy" in page
    age_responses(app)
    _status, page = page_of(client, f"/dashboards/{SLUG}")
    assert re.search(r'class="stat-value">12<', page)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("f=language:en&f=channel:{a}&f=audience:young_people", "At most 2 filters"),
        ("f=postcode:AB1", "There is no filter called"),
        ("f=language:en&f=language:cy", "Each kind of filter can be used once"),
        ("f=channel:99999", "is not one of this survey"),
        ("f=period:week:2001-01-01", "is not one of this survey"),
    ],
)
def test_bad_filters_get_a_clear_400(app: Flask, client: FlaskClient, query: str,
                                     message: str) -> None:
    _a, _b, a_id, _b_id = two_links(app)
    sign_in(app, client)
    status, page = page_of(client, f"/dashboards/{SLUG}?{query.format(a=a_id)}")
    assert status == 400
    assert message in page


def test_a_group_whose_complement_is_small_is_hidden(app: Flask, client: FlaskClient) -> None:
    a, b, a_id, b_id = two_links(app)
    submit(app, a, 20, park())
    submit(app, b, 6, park())
    age_responses(app)
    sign_in(app, client)
    # The whole survey shows; the youth club alone would let 26 - 20 = 6 be worked out.
    _s, everything = page_of(client, f"/dashboards/{SLUG}")
    assert re.search(r'class="stat-value">26<', everything)
    _s, club = page_of(client, f"/dashboards/{SLUG}?f=channel:{a_id}")
    assert "too small to compare" in club.lower() or "rest of the responses" in club.lower()
    assert not re.search(r'class="stat-value">20<', club)
    _s, school = page_of(client, f"/dashboards/{SLUG}?f=channel:{b_id}")
    assert not re.search(r'class="stat-value">6<', school)


def test_subtracting_a_filtered_view_cannot_reveal_a_small_count(
        app: Flask, client: FlaskClient) -> None:
    a, b, a_id, _b_id = two_links(app)
    submit(app, a, 15, park("4"))
    submit(app, b, 12, park("4"))
    submit(app, b, 2, park("1"))  # two people at the school chose "Very unhappy"
    submit(app, a, 8, park("1"))
    age_responses(app)
    sign_in(app, client)
    _s, everything = page_of(client, f"/dashboards/{SLUG}")
    _s, club = page_of(client, f"/dashboards/{SLUG}?f=channel:{a_id}")

    def very_unhappy(page: str) -> str:
        section = page.split("How safe do those places usually feel?", 1)[1]
        return re.search(r"Very unhappy</th>\s*<td[^>]*>([^<]+)<", section).group(1)

    # All: 10 chose it, shown. Club alone would show 8, and 10 - 8 = 2 at the school.
    assert very_unhappy(everything).strip() == "10"
    assert very_unhappy(club).strip() != "8"
    assert "could be worked out" in very_unhappy(club) or "Hidden" in very_unhappy(club)


def test_exports_match_the_screen_and_neutralise_formulas(app: Flask,
                                                           client: FlaskClient) -> None:
    record = load_definition(app)
    code = add_link(app, record, channel="=HYPERLINK(\"http://x\")")
    submit(app, code, 11, park())
    submit(app, code, 2, {"places": {"places_visited": ["shops"]}})
    age_responses(app)
    sign_in(app, client)
    csv_text = client.get(f"/dashboards/{SLUG}/export.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in csv_text and "\n=HYPERLINK" not in csv_text
    assert "Shops or shopping centre,hidden to protect privacy" in csv_text
    assert "Park or open space,hidden to protect privacy" in csv_text  # secondary
    workbook = load_workbook(io.BytesIO(client.get(f"/dashboards/{SLUG}/export.xlsx").data))
    values = [c.value for ws in workbook for row in ws.iter_rows() for c in row if c.value]
    assert "'=HYPERLINK(\"http://x\")" in values
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)


def test_comments_wait_for_a_reviewer_and_hidden_ones_stay_hidden(app: Flask) -> None:
    record = load_definition(app)
    code = add_link(app, record)
    answers = {**park(), "one_change": {"change_one_thing": "More lights in the park please"}}
    submit(app, code, 10, answers)
    age_responses(app)
    reviewer, viewer = app.test_client(), app.test_client()
    sign_in(app, reviewer, "reviewer")
    sign_in(app, viewer, "viewer")
    url = f"/dashboards/{SLUG}/comments/change_one_thing"
    assert "More lights in the park" not in page_of(viewer, url)[1]
    page = page_of(reviewer, url)[1]
    assert page.count("More lights in the park please") == 10
    assert "Not reviewed yet" in page
    ids = re.findall(r"/comments/change_one_thing/(\d+)", page)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert reviewer.post(f"{url}/{ids[0]}", data={"decision": "show", "csrf_token": token}
                         ).status_code == 303
    assert reviewer.post(f"{url}/{ids[1]}", data={"decision": "hide", "csrf_token": token}
                         ).status_code == 303
    assert page_of(viewer, url)[1].count("More lights in the park please") == 1
    viewer_token = re.search(r'name="csrf_token" value="([^"]+)"',
                             page_of(viewer, f"/dashboards/{SLUG}")[1]).group(1)
    refused = viewer.post(f"{url}/{ids[2]}", data={"decision": "show",
                                                   "csrf_token": viewer_token})
    assert refused.status_code == 403, refused.get_data(as_text=True)[-600:]
    themes = page_of(reviewer, url)[1]
    assert re.search(r"Lighting and layout</th>\s*<td[^>]*>10<", themes)


def test_comments_for_a_small_group_are_not_shown(app: Flask, client: FlaskClient) -> None:
    record = load_definition(app)
    code = add_link(app, record)
    submit(app, code, 9, {**park(), "one_change": {"change_one_thing": "Secret words"}})
    age_responses(app)
    sign_in(app, client, "reviewer")
    page = page_of(client, f"/dashboards/{SLUG}/comments/change_one_thing")[1]
    assert "Secret words" not in page and "only for groups of at least 10" in page


def test_waves_compare_before_and_after_with_an_interval(app: Flask,
                                                         client: FlaskClient) -> None:
    record = load_definition(app)
    code = add_link(app, record)
    submit(app, code, 20, park("2"))
    age_responses(app, 21)
    submit(app, code, 20, park("5"))
    age_responses(app, 7)
    sign_in(app, client, "designer")
    overview = page_of(client, f"/dashboards/{SLUG}")[1]
    token = re.search(r'name="csrf_token" value="([^"]+)"', overview).group(1)
    today = date.today()
    for name, start, end in [("Before", today - timedelta(days=40), today - timedelta(days=21)),
                             ("After", today - timedelta(days=14), today)]:
        response = client.post(f"/dashboards/{SLUG}/waves", data={
            "name": name, "starts_on": start.isoformat(), "ends_on": end.isoformat(),
            "link": "", "csrf_token": token})
        assert response.status_code == 303, response.get_data(as_text=True)
    ids = re.findall(r'<option value="(\d+)"', page_of(client, f"/dashboards/{SLUG}")[1])
    status, compare = page_of(client, f"/dashboards/{SLUG}/compare?a={ids[0]}&b={ids[1]}")
    assert status == 200
    assert "(clear change)" in compare
    assert re.search(r"Very happy</th>\s*<td[^>]*>0%</td>\s*<td[^>]*>100%</td>", compare)


def test_you_said_we_did_appears_on_the_start_page_escaped(app: Flask, client: FlaskClient,
                                                           sample_link: str) -> None:
    sign_in(app, client, "designer")
    page = page_of(client, f"/dashboards/{SLUG}")[1]
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert client.post(f"/dashboards/{SLUG}/changes", data={
        "you_said": "The park is dark <script>alert(1)</script>",
        "we_did": "New lights by March", "csrf_token": token}).status_code == 303
    start = app.test_client().get(f"/s/{sample_link}").get_data(as_text=True)
    assert "You said, we did" in start and "New lights by March" in start
    assert "<script>alert(1)</script>" not in start and "&lt;script&gt;" in start


def test_viewers_cannot_add_notes_or_waves(app: Flask, client: FlaskClient,
                                           sample_link: str) -> None:
    sign_in(app, client, "viewer")
    token = re.search(r'name="csrf_token" value="([^"]+)"',
                      page_of(client, f"/dashboards/{SLUG}")[1]).group(1)
    for path in ("changes", "waves"):
        assert client.post(f"/dashboards/{SLUG}/{path}", data={"csrf_token": token}
                           ).status_code == 403


def test_a_survey_with_no_responses_and_hostile_labels_render_safely(
        app: Flask, client: FlaskClient, tmp_path) -> None:
    survey = tmp_path / "hostile.yaml"
    survey.write_text(
        "id: hostile\ntitle: '</script><b>Bold</b>'\naudience: young_people\nquestions:\n"
        "  - id: pick\n    type: single_choice\n    text: '<img src=x onerror=alert(1)>'\n"
        "    options:\n      - {value: a, label: '</script><a href=javascript:x>link</a>'}\n"
        "      - {value: b, label: B}\n")
    record = load_definition(app, survey)
    code = add_link(app, record)
    sign_in(app, client)
    status, page = page_of(client, "/dashboards/hostile")
    assert status == 200 and "<img src=x" not in page and "</script><b>" not in page
    submit(app, code, 12, {"pick": {"pick": "a"}})
    age_responses(app)
    page = page_of(client, "/dashboards/hostile")[1]
    json_island = re.search(r'<script type="application/json"[^>]*>(.*?)</script>', page,
                            re.S).group(1)
    assert "</" not in json_island and "\\u003c" in json_island


def test_a_question_removed_in_a_later_version_drops_out_quietly(app: Flask, client: FlaskClient,
                                                                 tmp_path) -> None:
    from surveys import BANK_DIR

    record = load_definition(app)
    code = add_link(app, record)
    submit(app, code, 12, {**park(), "workers": {"workers_with_group": "yes"}})
    age_responses(app)
    text = (BANK_DIR / "sample-young-people.yaml").read_text()
    start = text.index("  - id: workers\n")
    end = text.index("  - id: told_first\n")
    shorter = tmp_path / "shorter.yaml"
    shorter.write_text(text[:start] + text[end:])
    load_definition(app, shorter)
    sign_in(app, client)
    status, page = page_of(client, f"/dashboards/{SLUG}")
    assert status == 200 and re.search(r'class="stat-value">12<', page)
    assert "Would you want workers to work with your friendship group" not in page
    assert "How safe do those places usually feel?" in page
