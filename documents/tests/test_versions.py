"""Reviews and versions: version 1 is the document as loaded, word for word; a review drafts changes, previews and
publishes the next version; every version stays readable, and "what changed" shows exactly the change."""

import datetime
import html
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commitments.models import Commitment, Figure
from compacts.models import ChangeRecord, Compact, CompactVersion, ReviewChange
from compacts.permissions import Refused
from compacts.tests.factories import CompactFactory, UserFactory, compact_role
from conftest import kept_for_the_module
from documents import services, versions

pytestmark = pytest.mark.django_db
OLD = "Has realistic timescales, particularly 12 weeks for a standard written consultation"
NEW = "Has realistic timescales, particularly 10 weeks for a standard written consultation"
OLD_QUOTE = "particularly 12 weeks for a standard written consultation"
NEW_QUOTE = "particularly 10 weeks for a standard written consultation"

FIGURE_NAMED = (
    "The figure for the standard consultation period (the fifth commitment under “Consultation and engagement”)"
)


def load_dorset():
    call_command("loaddata", "themes", "dorset", verbosity=0)
    administrator = UserFactory(username="dora@dorset.example", first_name="Dora", last_name="Marsh")
    compact_role(administrator, Compact.objects.get(slug="dorset"), "administrator")


@pytest.fixture(scope="module")
def _dorset(django_db_setup, django_db_blocker):
    yield from kept_for_the_module(django_db_blocker, load_dorset)


@pytest.fixture
def dorset(_dorset, db):
    """Dorset's Compact, loaded once for the module, and its administrator."""
    return Compact.objects.get(slug="dorset"), get_user_model().objects.get(username="dora@dorset.example")


def text_of(response):
    return html.unescape(response.content.decode())


def change_and_publish(compact, administrator):
    review = services.review_open(compact=compact, by=administrator)
    commitment = Commitment.objects.get(compact=compact, ref="consultation-5")
    services.review_change(
        review=review,
        by=administrator,
        kind="commitment",
        ref="consultation-5",
        value=commitment.text.replace("12 weeks", "10 weeks"),
    )
    services.review_change(
        review=review,
        by=administrator,
        kind="figure",
        ref="consultation_standard:main",
        value="10",
        quote=NEW_QUOTE,
    )
    return services.review_publish(
        review=review, by=administrator, published_on=datetime.date(2027, 4, 1), note="Shorter consultations."
    )


def test_version_1_is_the_document_as_loaded(dorset):
    compact, administrator = dorset
    before = versions.content_of(compact)
    services.review_open(compact=compact, by=administrator)
    first = CompactVersion.objects.get(compact=compact)
    assert first.number == 1 and first.content == before
    assert any(item["text"].startswith(OLD) for item in first.content["items"])


def test_publishing_changes_the_text_keeps_the_old_version_and_shows_exactly_the_change(client, dorset):
    compact, administrator = dorset
    version = change_and_publish(compact, administrator)
    assert version.number == 2 and version.published_on == datetime.date(2027, 4, 1)
    commitment = Commitment.objects.get(compact=compact, ref="consultation-5")
    assert commitment.text.startswith(NEW)
    assert Figure.objects.get(compact=compact, kind="consultation_standard").value == 10
    assert ChangeRecord.objects.filter(action="Version 2 published").exists()

    one = text_of(client.get("/compacts/dorset/versions/1/"))
    assert OLD in one and NEW not in one
    two = text_of(client.get("/compacts/dorset/versions/2/"))
    assert NEW in two and "Shorter consultations." in two

    changes = client.get("/compacts/dorset/versions/1/to/2/")
    sections = changes.context["sections"]
    assert [(c.label, c.what) for s in sections for c in s.changes] == [
        ("The fifth commitment under “Consultation and engagement”", "changed"),
        ("Standard consultation period (the fifth commitment under “Consultation and engagement”)", "changed"),
    ]
    diff = str(sections[0].changes[0].diff)
    assert "[taken out: </span>12<" in diff and "[put in: </span>10<" in diff
    assert diff.count("<del") == 1 and diff.count("<ins") == 1  # one word, nothing else


def test_the_search_finds_the_new_wording(dorset):
    compact, administrator = dorset
    change_and_publish(compact, administrator)
    from commitments.search import keyword_search, parse

    found = keyword_search(Commitment.objects.all(), parse('"10 weeks for a standard"'))
    assert [c.ref for c in found] == ["consultation-5"]


def test_one_review_at_a_time_and_only_by_its_administrators(dorset):
    compact, administrator = dorset
    with pytest.raises(Refused, match="Only the administrators"):
        services.review_open(compact=compact, by=UserFactory())
    review = services.review_open(compact=compact, by=administrator)
    with pytest.raises(Refused, match="A review is already open: Dora Marsh opened it"):
        services.review_open(compact=compact, by=administrator)
    with pytest.raises(Refused, match="Nothing has been changed"):
        services.review_publish(review=review, by=administrator, published_on=datetime.date.today(), note="")


def test_a_draft_is_checked_and_the_published_wording_takes_it_back_out(dorset):
    compact, administrator = dorset
    review = services.review_open(compact=compact, by=administrator)
    with pytest.raises(Refused, match="whole number"):
        services.review_change(
            review=review, by=administrator, kind="figure", ref="consultation_standard:main", value="ten"
        )
    with pytest.raises(Refused, match="cannot leave an item empty"):
        services.review_change(review=review, by=administrator, kind="commitment", ref="consultation-5", value=" ")
    with pytest.raises(Refused, match="no such item"):
        services.review_change(review=review, by=administrator, kind="commitment", ref="nope", value="x")
    why = "The commitment is reworded at the next review."
    figure = {"review": review, "by": administrator, "kind": "figure", "ref": "consultation_standard:main"}
    services.review_change(**figure, value="10", quote=OLD_QUOTE, reason=why)
    assert ReviewChange.objects.count() == 1
    services.review_change(**figure, value="12", quote=OLD_QUOTE)
    assert ReviewChange.objects.count() == 0
    records = ChangeRecord.objects.filter(subject=FIGURE_NAMED).order_by("id")
    assert [(r.action, r.before, r.after) for r in records] == [
        (
            "Review draft changed",
            {"figure": "12", "quote": OLD_QUOTE},
            {"figure": "10", "quote": OLD_QUOTE, "why not": why},
        ),
        (
            "Review draft taken back out",
            {"figure": "10", "quote": OLD_QUOTE, "why not": why},
            {"figure": "12", "quote": OLD_QUOTE},
        ),
    ]


def test_a_published_review_takes_no_more_changes(dorset):
    compact, administrator = dorset
    version = change_and_publish(compact, administrator)
    with pytest.raises(Refused, match="has been published"):
        services.review_change(
            review=version.review, by=administrator, kind="figure", ref="consultation_standard:main", value="8"
        )


def test_the_review_pages_open_draft_preview_and_publish(client, dorset):
    _, administrator = dorset
    client.force_login(administrator)
    assert client.post("/manage/dorset/review/").status_code == 302
    page = text_of(client.get("/manage/dorset/review/"))
    assert "Due 2013" in page and "As its document prints it" in page
    response = client.post("/manage/dorset/review/figure/consultation_standard:main/", {"value": "0"})
    assert response.status_code == 400 and "govuk-error-summary" in text_of(response)
    commitment = Commitment.objects.get(compact__slug="dorset", ref="consultation-5")
    wording = {"value": commitment.text.replace("12 weeks", "10 weeks")}
    assert client.post("/manage/dorset/review/commitment/consultation-5/", wording).status_code == 302
    figure = {"value": "10", "quote": NEW_QUOTE}
    assert client.post("/manage/dorset/review/figure/consultation_standard:main/", figure).status_code == 302
    preview = text_of(client.get("/manage/dorset/review/preview/"))
    assert "Preview" in preview and NEW in preview
    check = client.get("/manage/dorset/review/publish/")
    assert check.status_code == 200 and "Check your changes before publishing version 2" in text_of(check)
    response = client.post(
        "/manage/dorset/review/publish/",
        {
            "published_on_0": "1",
            "published_on_1": "4",
            "published_on_2": "2027",
            "note": "",
            "checked": check.context["form"]["checked"].value(),
        },
    )
    assert response.status_code == 302 and response["Location"] == "/manage/dorset/review/published/2/"
    confirmation = text_of(client.get(response["Location"]))
    assert "Version 2 is published" in confirmation and "What happens next" in confirmation


@pytest.mark.parametrize("who", ["another_compacts_administrator", "stranger", "visitor"])
def test_nobody_else_reviews(client, dorset, who):
    compact, administrator = dorset
    services.review_open(compact=compact, by=administrator)
    if who == "another_compacts_administrator":
        other = UserFactory()
        compact_role(other, CompactFactory(), "administrator")
        client.force_login(other)
    elif who == "stranger":
        client.force_login(UserFactory())
    for url in [
        "/manage/dorset/review/",
        "/manage/dorset/review/preview/",
        "/manage/dorset/review/commitment/consultation-5/",
    ]:
        response = client.get(url)
        assert response.status_code == (302 if who == "visitor" else 403), url
    for url in [
        "/manage/dorset/review/",
        "/manage/dorset/review/publish/",
        "/manage/dorset/review/figure/consultation_standard:main/",
    ]:
        response = client.post(url, {"value": "5"})
        assert response.status_code == (302 if who == "visitor" else 403), url
    assert not ReviewChange.objects.exists() and CompactVersion.objects.filter(compact=compact).count() == 1


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url", ["/compacts/dorset/versions/", "/compacts/dorset/versions/1/", "/compacts/dorset/versions/1/to/2/"]
)
def test_version_pages_run_a_fixed_number_of_queries(client, dorset, url):
    compact, administrator = dorset
    change_and_publish(compact, administrator)
    small = count(client, url)
    for n in range(3):
        review = services.review_open(compact=compact, by=administrator)
        services.review_change(
            review=review,
            by=administrator,
            kind="figure",
            ref="consultation_standard:main",
            value=str(20 + n),
            quote=NEW_QUOTE,
            reason="Kept apart for this test.",
        )
        services.review_publish(review=review, by=administrator, published_on=datetime.date.today(), note="")
    assert count(client, url) == small


def test_the_versions_page_quotes_the_review_cycle_once(client, dorset):
    text = client.get("/compacts/dorset/versions/").content.decode()
    assert "Its review cycle: “Amendments to the Compact agreement" in text and "““" not in text


# Checking the changes before publishing, and the pages of a review (issue 25) ------------------------------------

COMMITMENT_NAME = "The fifth commitment under “Consultation and engagement”"  # printed with no number
FIGURE_NAME = "Standard consultation period (the fifth commitment under “Consultation and engagement”)"


def draft_both(compact, administrator):
    """An open review with the commitment's wording and its figure drafted, as change_and_publish drafts them."""
    review = services.review_open(compact=compact, by=administrator)
    commitment = Commitment.objects.get(compact=compact, ref="consultation-5")
    services.review_change(
        review=review,
        by=administrator,
        kind="commitment",
        ref="consultation-5",
        value=commitment.text.replace("12", "10"),
    )
    services.review_change(
        review=review, by=administrator, kind="figure", ref="consultation_standard:main", value="10", quote=NEW_QUOTE
    )
    return review


def publish_data(checked, day="1", month="4", year="2027", note=""):
    return {
        "published_on_0": day,
        "published_on_1": month,
        "published_on_2": year,
        "note": note,
        "checked": checked,
    }


def test_publishing_is_refused_when_the_drafts_changed_since_they_were_checked(dorset):
    compact, administrator = dorset
    review = draft_both(compact, administrator)
    checked = versions.signature(list(review.changes.all()))
    services.review_change(
        review=review,
        by=administrator,
        kind="section",
        ref="introduction",
        value="New words.",
    )
    with pytest.raises(Refused, match="changed since you checked them"):
        services.review_publish(
            review=review, by=administrator, published_on=datetime.date(2027, 4, 1), note="", checked=checked
        )
    assert CompactVersion.objects.filter(compact=compact).count() == 1
    version = services.review_publish(
        review=review,
        by=administrator,
        published_on=datetime.date(2027, 4, 1),
        note="",
        checked=versions.signature(list(review.changes.all())),
    )
    assert version.number == 2


def test_the_check_page_shows_each_change_its_words_before_and_after_and_asks_for_the_date(client, dorset):
    compact, administrator = dorset
    draft_both(compact, administrator)
    client.force_login(administrator)
    response = client.get("/manage/dorset/review/publish/")
    body = text_of(response)
    assert response.status_code == 200
    assert "Check your changes before publishing version 2" in body and "2 changes to the text" in body
    assert COMMITMENT_NAME in body and FIGURE_NAME in body
    assert "Figure: 12 weeks now, 10 weeks after" in body
    assert "[taken out: </span>12<" in body and "[put in: </span>10<" in body
    assert 'href="/manage/dorset/review/commitment/consultation-5/?from=check"' in body
    assert 'href="/manage/dorset/review/figure/consultation_standard:main/?from=check"' in body
    assert "Date version 2 takes effect" in body and "Publish version 2" in body
    # The date is the administrator's to choose: nothing is filled in for them.
    assert re.search(r'name="published_on_0"[^>]*value="\d', body) is None
    assert re.search(r'value="\d+"[^>]*name="published_on_0"', body) is None


def test_a_change_made_from_the_check_page_comes_back_to_it(client, dorset):
    compact, administrator = dorset
    draft_both(compact, administrator)
    client.force_login(administrator)
    url = "/manage/dorset/review/figure/consultation_standard:main/?from=check"
    assert "Back to checking your changes" in text_of(client.get(url))
    response = client.post(url, {"value": "11", "quote": NEW_QUOTE, "reason": "Eleven, as agreed."})
    assert response.status_code == 302 and response["Location"] == "/manage/dorset/review/publish/"


def test_publishing_without_a_date_says_what_to_enter_and_keeps_the_note(client, dorset):
    compact, administrator = dorset
    review = draft_both(compact, administrator)
    client.force_login(administrator)
    checked = versions.signature(list(review.changes.all()))
    response = client.post("/manage/dorset/review/publish/", publish_data(checked, "", "", "", "Ten weeks."))
    body = text_of(response)
    assert response.status_code == 400
    assert body.count("Enter the date version 2 takes effect") == 2  # in the summary, and by the field
    assert 'href="#id_published_on_0"' in body or 'href="#id_published_on"' in body
    assert "Ten weeks." in body
    response = client.post("/manage/dorset/review/publish/", publish_data(checked, "31", "2", "2027"))
    assert response.status_code == 400 and "February 2027 has 28 days" in text_of(response)
    assert CompactVersion.objects.filter(compact=compact).count() == 1


def test_drafts_changed_since_the_check_are_refused_and_the_new_summary_shown(client, dorset):
    compact, administrator = dorset
    review = draft_both(compact, administrator)
    client.force_login(administrator)
    checked = client.get("/manage/dorset/review/publish/").context["form"]["checked"].value()
    services.review_change(review=review, by=administrator, kind="section", ref="introduction", value="New words.")
    response = client.post("/manage/dorset/review/publish/", publish_data(checked, note="Ten weeks."))
    body = text_of(response)
    assert response.status_code == 409
    assert "changed since you checked them" in body and "Nothing was published" in body
    assert "3 changes to the text" in body and "The text of “Working together for Dorset”" in body
    assert "Ten weeks." in body and 'value="2027"' in body  # what was typed is kept
    assert CompactVersion.objects.filter(compact=compact).count() == 1
    # Publishing what is now shown works.
    again = response.context["form"]["checked"].value()
    assert again != checked
    response = client.post("/manage/dorset/review/publish/", publish_data(again))
    assert response.status_code == 302 and CompactVersion.objects.filter(compact=compact).count() == 2


def test_with_nothing_drafted_the_check_page_says_so_and_publishing_is_refused(client, dorset):
    compact, administrator = dorset
    services.review_open(compact=compact, by=administrator)
    client.force_login(administrator)
    body = text_of(client.get("/manage/dorset/review/publish/"))
    assert "there is nothing to publish" in body and "Publish version 2" not in body
    response = client.post("/manage/dorset/review/publish/", publish_data(versions.signature([])))
    assert response.status_code == 409 and "Nothing has been changed in this review" in text_of(response)


def test_the_confirmation_page_is_for_the_compacts_administrators(client, dorset):
    compact, administrator = dorset
    change_and_publish(compact, administrator)
    assert client.get("/manage/dorset/review/published/2/").status_code == 302  # a visitor signs in first
    client.force_login(UserFactory())
    assert client.get("/manage/dorset/review/published/2/").status_code == 403
    client.force_login(administrator)
    body = text_of(client.get("/manage/dorset/review/published/2/"))
    assert "Version 2 is published" in body and "taking effect on 1 April 2027" in body
    assert client.get("/manage/dorset/review/published/3/").status_code == 404


def test_the_review_page_lists_each_part_by_section_with_its_first_words_and_whether_it_is_changed(client, dorset):
    compact, administrator = dorset
    draft_both(compact, administrator)
    client.force_login(administrator)
    body = text_of(client.get("/manage/dorset/review/"))
    assert "| Ref. No." not in body and "Ref. No. PE/CP/1" in body  # table markup is not shown as words
    assert "2 changes drafted" in body
    assert body.count('<strong class="govuk-tag govuk-tag--yellow">Drafted change</strong>') == 2
    assert "No change" in body
    sections = re.findall(r'<details class="govuk-details app-review-section"( open)?>', body)
    assert len(sections) > 10 and sections.count(" open") == 2  # the two holding the changes are open
    assert "consultation-5" not in re.sub(r'href="[^"]*"', "", body)  # items are named by their words, not codes
    assert 'href="/manage/dorset/review/publish/"' in body  # check and publish, on a page of its own
    assert "published_on" not in body


def test_the_figure_page_names_the_figure_shows_its_unit_and_says_what_to_enter(client, dorset):
    compact, administrator = dorset
    services.review_open(compact=compact, by=administrator)
    client.force_login(administrator)
    url = "/manage/dorset/review/figure/consultation_standard:main/"
    body = text_of(client.get(url))
    assert f'<h1 class="govuk-heading-l">Change {FIGURE_NAME[0].lower()}{FIGURE_NAME[1:]}</h1>' in body
    assert "consultation_standard" not in re.sub(r'(href|action)="[^"]*"', "", body)
    assert "<strong>12 weeks</strong>" in body
    assert re.search(r'class="govuk-input govuk-input--width-4"[^>]*name="value"[^>]*value="12"', body)
    assert '<div class="govuk-input__suffix" aria-hidden="true">weeks</div>' in body
    response = client.post(url, {"value": "0", "quote": OLD_QUOTE})
    body = text_of(response)
    assert response.status_code == 400
    what = "Enter the new figure as a whole number of weeks, from 1 to 999, like 12"
    assert body.count(what) == 2 and "govuk-input--error" in body


def test_the_item_page_shows_the_published_text_as_the_compact_page_does(client, dorset):
    compact, administrator = dorset
    services.review_open(compact=compact, by=administrator)
    client.force_login(administrator)
    body = text_of(client.get("/manage/dorset/review/section/policy-record/"))
    published = body[body.index("As published now") : body.index('<form method="post" novalidate>')]
    assert '<table class="govuk-table">' in published and "| Ref. No." not in published


@pytest.mark.parametrize("url", ["/manage/dorset/review/", "/manage/dorset/review/publish/"])
def test_the_review_pages_run_a_fixed_number_of_queries(client, dorset, url):
    compact, administrator = dorset
    review = draft_both(compact, administrator)
    client.force_login(administrator)
    small = count(client, url)
    for item in [i for i in versions.content_of(compact)["items"] if i["kind"] == "principle"][:3]:
        services.review_change(review=review, by=administrator, kind="principle", ref=item["ref"], value="New.")
    assert count(client, url) == small


def test_the_compact_page_says_which_version_it_shows_and_links_to_every_version(client, dorset):
    compact, administrator = dorset
    body = text_of(client.get("/compacts/dorset/"))
    assert "This page shows version 1, the document as printed." in body
    assert '<a class="govuk-link" href="#app-versions">Versions of the text</a>' in body
    assert body.count('href="/compacts/dorset/versions/"') >= 3  # near the top, in the overview, and its section
    change_and_publish(compact, administrator)
    body = text_of(client.get("/compacts/dorset/"))
    top = body[: body.index('id="app-contents"')]
    assert "This page shows version 2, taking effect on 1 April 2027." in top
    assert 'href="/compacts/dorset/versions/">See all versions and what changed' in top
    overview = body[body.index('id="app-version"') : body.index("Next review", body.index('id="app-version"'))]
    assert "Version 2, taking effect on 1 April 2027" in overview and "See all versions and what changed" in overview


def test_a_version_in_effect_says_so(client, dorset):
    compact, administrator = dorset
    review = draft_both(compact, administrator)
    services.review_publish(review=review, by=administrator, published_on=datetime.date(2026, 5, 1), note="")
    body = text_of(client.get("/compacts/dorset/"))
    assert "This page shows version 2, in effect from 1 May 2026." in body


def test_first_words_and_names_are_plain_words():
    assert versions.first_words("| Ref. No. | PE/CP/1 |\n| People | Yes |", 4) == "Ref. No. PE/CP/1 People…"
    assert versions.first_words("- one\n- two") == "one two"
    content = {
        "sections": [{"ref": "s", "number": "4", "title": "Funding", "body": "", "body_after": ""}],
        "items": [
            {
                "kind": "commitment",
                "ref": "funding-1",
                "section": "s",
                "label": "funding-1",
                "number": "",
                "text": "We pay on time, always and everywhere.",
            },
            {
                "kind": "commitment",
                "ref": "funding-2",
                "section": "s",
                "label": "4.2",
                "number": "4.2",
                "text": "We pay.",
            },
        ],
        "figures": [
            {
                "ref": "notice:main",
                "label": "Notice",
                "value": 3,
                "unit": "months",
                "quote": "3 months",
                "of": "funding-2",
                "source": "commitment:funding-2",
            }
        ],
    }
    # With no printed number, by its place under its printed heading, as every page names it.
    assert versions.name(content, "commitment", "funding-1") == "The first commitment under “4 Funding”"
    assert versions.name(content, "commitment", "funding-2") == "Commitment 4.2"
    assert versions.name(content, "section", "s") == "The text of “4 Funding”"
    assert versions.name(content, "figure", "notice:main") == "Notice (commitment 4.2)"


def test_the_versions_page_marks_the_version_the_compact_page_shows(client, dorset):
    compact, administrator = dorset
    rows = re.findall(r'<tr class="govuk-table__row"><td.*?</tr>', text_of(client.get("/compacts/dorset/versions/")))
    assert len(rows) == 1 and "On the Compact page" in rows[0]
    change_and_publish(compact, administrator)
    rows = re.findall(r'<tr class="govuk-table__row"><td.*?</tr>', text_of(client.get("/compacts/dorset/versions/")))
    assert ["On the Compact page" in row for row in rows] == [False, True]
