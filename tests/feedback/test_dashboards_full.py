"""Dashboards end to end: tallies, releases on closed weeks, perturbed counts, groups
merged into Other, filters and complements, free text review, waves and periods,
"You said, we did", exports.

Expected figures are worked out here from the responses' record keys (see `published`).
"""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select

from feedback.storage import releases, tallies
from feedback.storage.db import db
from feedback.storage.models import Link, SurveyRecord, Tally, Wave
from tests.conftest import add_link, age_responses, load_definition
from tests.feedback.test_dashboard import percent, published, releases_cut, sign_in
from tests.respondent import Respondent

SLUG = "sample-young-people"
HIDDEN_SMALL = "Hidden: a small number"
HIDDEN_REST = "Hidden: the rest of the responses are too few"
NO_RELEASE = "There are no results to show yet"
MONDAY = tallies.week_start(date.today())


def submit(app: Flask, code: str, n: int, answers: dict, language: str | None = None) -> None:
    for _ in range(n):
        person = Respondent(app.test_client(), code)
        if language:
            person.get(f"/s/{code}?lang={language}")
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


def link_ids(app: Flask) -> dict[str, int]:
    with app.app_context():
        return dict(db.session.execute(select(Link.channel, Link.id)).all())


def page_of(client: FlaskClient, url: str) -> tuple[int, str]:
    response = client.get(url)
    return response.status_code, response.get_data(as_text=True)


def stat(page: str) -> str:
    """The number of responses as the page shows it (a number, or why it is hidden)."""
    return re.search(r'class="stat-value[^"]*">([^<]*)<', page).group(1).strip()


def cell(page: str, label: str, after: str = "") -> str:
    """The first figure in the row headed `label` (after the heading `after`, if given)."""
    if after:
        page = page.split(after, 1)[1]
    found = re.search(rf"<th scope=\"row\">{re.escape(label)}</th>\s*<td[^>]*>([^<]*)</td>", page)
    assert found is not None, f"no row {label!r}"
    return found.group(1).strip()


def answers_to(page: str, item_key: str) -> str:
    """The section of the page with the answers to one question (not the completion table)."""
    return page.split(f'aria-labelledby="t-{item_key}"', 1)[1].split("</section>", 1)[0]


def shown_or_hidden(count: int) -> str:
    """How a published count of a group that may be shown appears in a table."""
    return str(count) if count >= 10 else HIDDEN_SMALL


def cut_release_weeks_ago(app: Flask, weeks: int) -> None:
    """Cut a release as if the dashboard had been opened `weeks` weeks ago."""
    with app.app_context():
        survey_id = db.session.scalar(select(SurveyRecord.id).where(SurveyRecord.slug == SLUG))
        assert releases.cut(db.session, survey_id, date.today() - timedelta(weeks=weeks), 10)
        db.session.commit()


def test_tallies_kept_on_submit_match_a_rebuild_from_raw_answers(
    app: Flask, sample_link: str
) -> None:
    submit(app, sample_link, 3, park())
    submit(
        app,
        sample_link,
        2,
        {"places": {"places_visited": ["park", "shops"]}, "safer": {"makes_safer": ["friends"]}},
    )
    with app.app_context():

        def snapshot() -> list:
            return sorted(
                db.session.execute(
                    select(
                        Tally.item_key,
                        Tally.choice,
                        Tally.week_start,
                        Tally.link_id,
                        Tally.language,
                        Tally.count,
                        Tally.key_sum,
                    )
                ).all()
            )

        kept = snapshot()
        record_id = db.session.scalar(select(Link.survey_id))
        tallies.rebuild(db.session, record_id)
        assert snapshot() == kept
    assert ("", "", tallies.week_start(date.today())) in {row[:3] for row in kept}
    assert ("places_visited", "park") in {row[:2] for row in kept}
    # Key sums are kept beside counts, so a published count never needs the responses.
    total = next(row for row in kept if row[:2] == ("", ""))
    assert total[5] == 5 and 0 <= total[6] <= 5 * 255


def test_this_weeks_responses_appear_only_once_the_week_has_closed(
    app: Flask, client: FlaskClient, sample_link: str
) -> None:
    submit(app, sample_link, 12, park())
    sign_in(app, client)
    _status, page = page_of(client, f"/dashboards/{SLUG}")
    assert NO_RELEASE in page and releases_cut(app) == 0
    age_responses(app)
    _status, page = page_of(client, f"/dashboards/{SLUG}")
    assert stat(page) == str(published(app)) and published(app) in (10, 15)
    assert "These figures are release 1" in page
    # Responses sent since the release are in no figure until a later release.
    submit(app, sample_link, 10, park("1"))
    _status, later = page_of(client, f"/dashboards/{SLUG}")
    assert stat(later) == stat(page) and releases_cut(app) == 1
    assert cell(later, "Very unhappy") == HIDDEN_SMALL  # 0 in the release, not 10


def test_a_release_is_cut_only_once_enough_new_responses_arrived(
    app: Flask, client: FlaskClient, sample_link: str
) -> None:
    submit(app, sample_link, 12, park("4"))
    age_responses(app, 21)
    cut_release_weeks_ago(app, 2)  # release 1: the 12, in weeks before the Monday 2 weeks ago
    first_boundary = MONDAY - timedelta(weeks=2)
    submit(app, sample_link, 6, park("2"))
    age_responses(app)
    sign_in(app, client)
    _s, page = page_of(client, f"/dashboards/{SLUG}")
    # Only 6 since release 1: no new release, so the 6 are in no figure yet.
    assert releases_cut(app) == 1 and "These figures are release 1" in page
    assert stat(page) == str(published(app, before=first_boundary))
    assert cell(page, "Unhappy") == HIDDEN_SMALL
    assert "Responses by period" not in page
    submit(app, sample_link, 4, park("2"))
    age_responses(app)  # the 6 and the 4 now in the two closed weeks after release 1
    _s, page = page_of(client, f"/dashboards/{SLUG}")
    assert releases_cut(app) == 2 and "These figures are release 2" in page
    assert stat(page) == str(published(app))
    assert cell(page, "Unhappy") == str(published(app, item="feel_safe", choice="2"))
    # Each period is the responses one release added, published on its own.
    periods = page.split("Responses by period", 1)[1].split("</table>", 1)[0]
    first, second = (published(app, before=first_boundary), published(app, starts=first_boundary))
    assert re.findall(r"<td[^>]*>(\d+)</td>", periods) == [str(first), str(second)]
    _s, period_two = page_of(client, f"/dashboards/{SLUG}?f=period:2")
    assert stat(period_two) == str(second) and cell(period_two, "Unhappy") == "10"
    assert cell(period_two, "Happy") == HIDDEN_SMALL  # the 12 of period 1 are not in it
    assert client.get(f"/dashboards/{SLUG}?f=period:3").status_code == 400


def test_bad_filters_get_a_clear_400(app: Flask, client: FlaskClient) -> None:
    a, b, a_id, b_id = two_links(app)
    submit(app, a, 10, park())
    submit(app, b, 10, park())
    age_responses(app)
    sign_in(app, client)
    status, page = page_of(client, f"/dashboards/{SLUG}?f=channel:{a_id}")
    assert status == 200 and stat(page) == str(published(app, links={a_id}))
    for query, message in [
        (f"f=channel:{a_id}&f=period:1&f=language:en", "At most 2 filters"),
        ("f=postcode:AB1", "There is no filter called"),
        (f"f=channel:{a_id}&f=channel:{b_id}", "Each kind of filter can be used once"),
        ("f=channel:99999", "is not one of this survey"),
        ("f=channel:other", "is not one of this survey"),  # nothing was merged
        ("f=period:week:2001-01-01", "is not one of this survey"),
        ("f=period:1", "is not one of this survey"),  # one period: the whole release
        ("f=language:en", "is not one of this survey"),  # one language: no such filter
        ("f=audience:young_people", "is not one of this survey"),
        ("f=wave:1", "is not one of this survey"),
    ]:
        status, page = page_of(client, f"/dashboards/{SLUG}?{query}")
        assert status == 400, query
        assert message in page, query
        assert page_of(client, f"/dashboards/{SLUG}/export.csv?{query}")[0] == 400, query


def test_a_link_too_small_for_a_group_of_its_own_is_merged_into_other(
    app: Flask, client: FlaskClient
) -> None:
    record = load_definition(app)
    codes = {
        name: add_link(app, record, channel=name)
        for name in ("Youth club", "School", "Just for Sam", "Library")
    }
    for name, n in [("Youth club", 20), ("School", 12), ("Just for Sam", 3), ("Library", 8)]:
        submit(app, codes[name], n, park())
    age_responses(app)
    ids = link_ids(app)
    sign_in(app, client)
    _s, page = page_of(client, f"/dashboards/{SLUG}")
    by_channel = "Responses by channel"
    assert cell(page, "Youth club", by_channel) == str(published(app, links={ids["Youth club"]}))
    assert cell(page, "School", by_channel) == str(published(app, links={ids["School"]}))
    other = published(app, links={ids["Just for Sam"], ids["Library"]})
    assert cell(page, "Other links (grouped to protect privacy)", by_channel) == shown_or_hidden(
        other
    )
    # Sam's link is never named, never offered as a filter, and cannot be asked for.
    assert "Just for Sam" not in page and "Library" not in page
    assert 'value="channel:other"' in page
    assert f'value="channel:{ids["Just for Sam"]}"' not in page
    assert client.get(f"/dashboards/{SLUG}?f=channel:{ids['Just for Sam']}").status_code == 400
    _s, merged = page_of(client, f"/dashboards/{SLUG}?f=channel:other")
    assert stat(merged) == str(other)
    assert "Other links (grouped to protect privacy)" in merged and "Just for Sam" not in merged
    csv_text = client.get(f"/dashboards/{SLUG}/export.csv").get_data(as_text=True)
    assert "Youth club," in csv_text and "Other links (grouped to protect privacy)," in csv_text
    assert "Just for Sam" not in csv_text and "Library" not in csv_text


def test_audiences_and_age_bands_are_groups_with_their_names(
    app: Flask, client: FlaskClient
) -> None:
    record = load_definition(app)
    young = add_link(app, record, channel="Youth club", age_band="11-13")
    parents = add_link(app, record, channel="Parents' evening", audience="parents")
    submit(app, young, 12, park())
    submit(app, parents, 10, park())
    age_responses(app)
    ids = link_ids(app)
    sign_in(app, client)
    _s, page = page_of(client, f"/dashboards/{SLUG}")
    assert cell(page, "Young people", "Responses by audience") == str(
        published(app, links={ids["Youth club"]})
    )
    assert cell(page, "Parents and carers", "Responses by audience") == "10"
    assert cell(page, "11-13", "Responses by age band") == str(
        published(app, links={ids["Youth club"]})
    )
    assert cell(page, "Age band not set", "Responses by age band") == "10"
    for value in ("audience:parents", "age_band:", "age_band:11-13"):
        assert f'value="{value}"' in page
    status, unset = page_of(client, f"/dashboards/{SLUG}?f=age_band:")
    assert status == 200 and stat(unset) == "10"
    assert "Age band not set" in unset
    status, parents_only = page_of(client, f"/dashboards/{SLUG}?f=audience:parents")
    assert status == 200 and stat(parents_only) == "10"
    assert client.get(f"/dashboards/{SLUG}?f=audience:other").status_code == 400


def test_a_link_whose_rest_is_small_cannot_be_a_group(app: Flask, client: FlaskClient) -> None:
    a, b, a_id, b_id = two_links(app)
    submit(app, a, 20, park())
    submit(app, b, 6, park())
    age_responses(app)
    sign_in(app, client)
    # The whole survey shows; the youth club alone would let 26 - 20 = 6 be worked out,
    # and the school is too small: the 6 go into Other, which then has to take the club
    # in, leaving one group: there is no channel filter or breakdown at all.
    _s, everything = page_of(client, f"/dashboards/{SLUG}")
    assert stat(everything) == str(published(app))
    assert "Responses by channel" not in everything and 'value="channel:' not in everything
    assert ">School</" not in everything and ">Youth club</option>" not in everything
    for value in (a_id, b_id, "other"):
        assert client.get(f"/dashboards/{SLUG}?f=channel:{value}").status_code == 400


def test_a_view_whose_rest_in_a_wider_view_is_small_is_hidden(
    app: Flask, client: FlaskClient
) -> None:
    a, b, a_id, b_id = two_links(app)
    submit(app, a, 20, park())
    submit(app, a, 12, park(), language="cy")
    submit(app, b, 15, park())
    submit(app, b, 3, park(), language="cy")
    age_responses(app)
    sign_in(app, client)
    _s, page = page_of(client, f"/dashboards/{SLUG}?f=channel:{a_id}")
    assert stat(page) == str(published(app, links={a_id}))
    # Welsh at the youth club is 12, but Welsh in all is 15: shown, it would leave the
    # 3 Welsh speakers at the school.
    assert cell(page, "Welsh (Cymraeg)", "Responses by language") == HIDDEN_REST
    _s, both = page_of(client, f"/dashboards/{SLUG}?f=channel:{a_id}&f=language:cy")
    assert stat(both) == HIDDEN_REST
    assert "Park or open space</th>" not in both
    exported = page_of(client, f"/dashboards/{SLUG}/export.csv?f=channel:{a_id}&f=language:cy")
    assert exported[1].startswith("\ufeffResponses\r\nResponses\r\nhidden to protect privacy\r\n")
    assert cell(page, "English", "Responses by language") == str(
        published(app, links={a_id}, language="en")
    )
    # Welsh in all (15 of 50) is a group that may be shown.
    _s, welsh = page_of(client, f"/dashboards/{SLUG}?f=language:cy")
    assert stat(welsh) == str(published(app, language="cy"))
    # English at the school is 15 of the school's 18: it would leave the 3 Welsh.
    _s, school = page_of(client, f"/dashboards/{SLUG}?f=channel:{b_id}&f=language:en")
    assert stat(school) == HIDDEN_REST


def test_subtracting_a_filtered_view_cannot_reveal_a_small_count(
    app: Flask, client: FlaskClient
) -> None:
    a, b, a_id, _b_id = two_links(app)
    workers = {"workers": {"workers_with_group": "yes"}}
    submit(app, a, 15, {**park("4"), **workers})
    submit(app, b, 12, park("4"))
    submit(app, b, 2, {**park("1"), "workers": {"workers_with_group": "no"}})
    submit(app, a, 8, {**park("1"), **workers})
    age_responses(app)
    sign_in(app, client)
    _s, everything = page_of(client, f"/dashboards/{SLUG}")
    _s, club = page_of(client, f"/dashboards/{SLUG}?f=channel:{a_id}")
    all_unhappy = published(app, item="feel_safe", choice="1")
    club_unhappy = published(app, links={a_id}, item="feel_safe", choice="1")
    # All: 10 chose it. The club alone has 8: published as 5 (hidden) or 10, so the
    # difference is 0 or hidden, never the 2 at the school.
    assert cell(answers_to(everything, "feel_safe"), "Very unhappy") == str(all_unhappy) == "10"
    assert cell(answers_to(club, "feel_safe"), "Very unhappy") == shown_or_hidden(club_unhappy)
    assert club_unhappy in (5, 10) and all_unhappy - club_unhappy not in range(1, 5)
    # 25 answered about workers, 23 of them at the club: the club's table would leave
    # the 2 at the school, so the whole table is hidden in that view.
    whole_table = answers_to(everything, "workers_with_group")
    club_table = answers_to(club, "workers_with_group")
    assert cell(whole_table, "Yes") == shown_or_hidden(
        published(app, item="workers_with_group", choice="yes")
    )
    assert cell(whole_table, "No") == HIDDEN_SMALL
    assert HIDDEN_REST in club_table and "<td" not in club_table


def test_exports_match_the_screen_and_neutralise_formulas(app: Flask, client: FlaskClient) -> None:
    record = load_definition(app)
    code = add_link(app, record, channel='=HYPERLINK("http://x")')
    library = add_link(app, record, channel="Library")
    submit(app, code, 11, park())
    submit(app, code, 2, {"places": {"places_visited": ["shops"]}})
    submit(app, library, 10, park())
    age_responses(app)
    sign_in(app, client)
    _s, page = page_of(client, f"/dashboards/{SLUG}")
    csv_text = client.get(f"/dashboards/{SLUG}/export.csv").get_data(as_text=True)
    # The channel breakdown names the link; its formula is neutralised.
    assert "'=HYPERLINK" in csv_text and "\n=HYPERLINK" not in csv_text
    assert "Shops or shopping centre,hidden to protect privacy" in csv_text
    # The same published figures as the screen: the total, and the park with its percent.
    assert f"Responses\r\n{stat(page)}\r\n" in csv_text
    park_count = published(app, item="places_visited", choice="park")
    base = published(app, item="places_visited")
    assert cell(page, "Park or open space") == str(park_count)
    assert f"Park or open space,{park_count},{percent(park_count, base)}" in csv_text
    workbook = load_workbook(io.BytesIO(client.get(f"/dashboards/{SLUG}/export.xlsx").data))
    values = [c.value for ws in workbook for row in ws.iter_rows() for c in row if c.value]
    assert '\'=HYPERLINK("http://x")' in values and park_count in values
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
    ids = re.findall(r'name="comment" value="(\d+)"', page)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert (
        reviewer.post(f"{url}/{ids[0]}", data={"decision": "show", "csrf_token": token}).status_code
        == 303
    )
    assert (
        reviewer.post(f"{url}/{ids[1]}", data={"decision": "hide", "csrf_token": token}).status_code
        == 303
    )
    assert page_of(viewer, url)[1].count("More lights in the park please") == 1
    viewer_token = re.search(
        r'name="csrf_token" value="([^"]+)"', page_of(viewer, f"/dashboards/{SLUG}")[1]
    ).group(1)
    refused = viewer.post(f"{url}/{ids[2]}", data={"decision": "show", "csrf_token": viewer_token})
    assert refused.status_code == 403, refused.get_data(as_text=True)[-600:]
    themes = page_of(reviewer, url)[1]
    assert re.search(r"Lighting and layout</th>\s*<td[^>]*>10<", themes)


def test_comments_for_a_small_group_are_not_shown(app: Flask, client: FlaskClient) -> None:
    record = load_definition(app)
    code = add_link(app, record)
    submit(app, code, 6, {**park(), "one_change": {"change_one_thing": "Secret words"}})
    submit(app, code, 9, park())
    age_responses(app)
    sign_in(app, client, "reviewer")
    url = f"/dashboards/{SLUG}/comments/change_one_thing"
    page = page_of(client, url)[1]
    # 15 responses are a release, but only 6 answered the question: no comment is listed.
    assert releases_cut(app) == 1
    assert "Secret words" not in page and "only when at least 10 people answered" in page
    assert "Themes" not in page


def test_comments_before_a_release_are_not_listed(app: Flask, client: FlaskClient) -> None:
    record = load_definition(app)
    code = add_link(app, record)
    submit(app, code, 10, {**park(), "one_change": {"change_one_thing": "Old words"}})
    sign_in(app, client, "reviewer")
    url = f"/dashboards/{SLUG}/comments/change_one_thing"
    assert "Old words" not in page_of(client, url)[1]  # this week: no release yet
    age_responses(app)
    submit(app, code, 12, {**park(), "one_change": {"change_one_thing": "Fresh words"}})
    page = page_of(client, url)[1]
    # The release holds the first 10; the 12 sent since are in no figure and no list.
    assert page.count("Old words") == 10 and "Fresh words" not in page


def test_comments_are_listed_for_the_whole_release_only(app: Flask, client: FlaskClient) -> None:
    a, b, a_id, b_id = two_links(app)
    submit(app, a, 15, {**park(), "one_change": {"change_one_thing": "Club words"}})
    submit(app, b, 13, {**park(), "one_change": {"change_one_thing": "School words"}})
    age_responses(app)
    sign_in(app, client, "reviewer")
    url = f"/dashboards/{SLUG}/comments/change_one_thing"
    everything = page_of(client, url)[1]
    assert everything.count("Club words") == 15 and everything.count("School words") == 13
    # Both links are groups that may be shown, but a filtered list could be subtracted
    # from the whole list to leave the words of a few people: no filtered list at all.
    for value in (a_id, b_id):
        status, page = page_of(client, f"{url}?f=channel:{value}")
        assert status == 200
        assert "Club words" not in page and "School words" not in page
        assert "Comments are listed for all responses only" in page
    assert page_of(client, f"{url}?f=channel:other")[0] == 400


def test_waves_compare_before_and_after_with_an_interval(app: Flask, client: FlaskClient) -> None:
    record = load_definition(app)
    code = add_link(app, record)
    submit(app, code, 20, park("2"))
    submit(app, code, 10, park("5"))
    age_responses(app, 21)
    cut_release_weeks_ago(app, 2)  # period 1: the first 30
    submit(app, code, 10, park("2"))
    submit(app, code, 20, park("5"))
    age_responses(app, 7)  # period 2: the next 30, cut when the page is opened
    sign_in(app, client, "designer")
    overview = page_of(client, f"/dashboards/{SLUG}")[1]
    assert "These figures are release 2" in overview
    token = re.search(r'name="csrf_token" value="([^"]+)"', overview).group(1)

    def add_wave(name: str, first: str, last: str) -> tuple[int, str]:
        response = client.post(
            f"/dashboards/{SLUG}/waves",
            data={"name": name, "first": first, "last": last, "csrf_token": token},
        )
        return response.status_code, response.get_data(as_text=True)

    assert add_wave("Before", "1", "1")[0] == 303
    assert add_wave("After", "2", "2")[0] == 303
    status, page = add_wave("Everything", "1", "2")
    assert status == 400 and "Waves cannot overlap" in page
    status, page = add_wave("Backwards", "2", "1")
    assert status == 400 and "must not come before the first" in page
    assert add_wave("Unknown", "1", "3")[0] == 400
    with app.app_context():
        waves = {w.name: w for w in db.session.scalars(select(Wave))}
    assert set(waves) == {"Before", "After"}
    before_monday = MONDAY - timedelta(weeks=2)
    assert (waves["Before"].starts_on, waves["Before"].ends_on) == (
        None,
        before_monday - timedelta(days=1),
    )
    assert (waves["After"].starts_on, waves["After"].ends_on) == (
        before_monday,
        MONDAY - timedelta(days=1),
    )
    before, after = waves["Before"].id, waves["After"].id
    _s, first = page_of(client, f"/dashboards/{SLUG}?f=wave:{before}")
    assert stat(first) == str(published(app, before=before_monday)) == "30"
    status, compare = page_of(client, f"/dashboards/{SLUG}/compare?a={before}&b={after}")
    assert status == 200
    assert "(clear change)" in compare
    # 10 of 30 before, 20 of 30 after (published counts, all multiples of 5 here).
    assert re.search(r"Very happy</th>\s*<td[^>]*>33%</td>\s*<td[^>]*>67%</td>", compare)
    assert re.search(r"Unhappy</th>\s*<td[^>]*>67%</td>\s*<td[^>]*>33%</td>", compare)
    assert page_of(client, f"/dashboards/{SLUG}/compare?a={before}&b={before}")[0] == 400


def test_you_said_we_did_appears_on_the_start_page_escaped(
    app: Flask, client: FlaskClient, sample_link: str
) -> None:
    sign_in(app, client, "designer")
    page = page_of(client, f"/dashboards/{SLUG}")[1]
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert (
        client.post(
            f"/dashboards/{SLUG}/changes",
            data={
                "you_said": "The park is dark <script>alert(1)</script>",
                "we_did": "New lights by March",
                "csrf_token": token,
            },
        ).status_code
        == 303
    )
    start = app.test_client().get(f"/s/{sample_link}").get_data(as_text=True)
    assert "You said, we did" in start and "New lights by March" in start
    assert "<script>alert(1)</script>" not in start and "&lt;script&gt;" in start


def test_viewers_cannot_add_notes_or_waves(
    app: Flask, client: FlaskClient, sample_link: str
) -> None:
    sign_in(app, client, "viewer")
    token = re.search(
        r'name="csrf_token" value="([^"]+)"', page_of(client, f"/dashboards/{SLUG}")[1]
    ).group(1)
    for path in ("changes", "waves"):
        assert (
            client.post(f"/dashboards/{SLUG}/{path}", data={"csrf_token": token}).status_code == 403
        )


def test_a_survey_with_no_responses_and_hostile_labels_render_safely(
    app: Flask, client: FlaskClient, tmp_path
) -> None:
    survey = tmp_path / "hostile.yaml"
    survey.write_text(
        "id: hostile\ntitle: '</script><b>Bold</b>'\naudience: young_people\nquestions:\n"
        "  - id: pick\n    type: single_choice\n    text: '<img src=x onerror=alert(1)>'\n"
        "    options:\n      - {value: a, label: '</script><a href=javascript:x>link</a>'}\n"
        "      - {value: b, label: B}\n"
    )
    record = load_definition(app, survey)
    code = add_link(app, record)
    sign_in(app, client)
    status, page = page_of(client, "/dashboards/hostile")
    assert status == 200 and "<img src=x" not in page and "</script><b>" not in page
    submit(app, code, 12, {"pick": {"pick": "a"}})
    age_responses(app)
    page = page_of(client, "/dashboards/hostile")[1]
    json_island = re.search(
        r'<script type="application/json"[^>]*>(.*?)</script>', page, re.S
    ).group(1)
    assert "</" not in json_island and "\\u003c" in json_island


def test_a_question_removed_in_a_later_version_drops_out_quietly(
    app: Flask, client: FlaskClient, tmp_path
) -> None:
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
    assert status == 200 and stat(page) == str(published(app))
    assert "Would you want workers to work with your friendship group" not in page
    assert "How safe do those places usually feel?" in page
