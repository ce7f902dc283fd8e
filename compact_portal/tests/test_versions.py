"""Reviews and versions: version 1 is the document as loaded, word for word; a review drafts changes, previews and
publishes the next version; every version stays readable, and "what changed" shows exactly the change."""

import datetime
import html

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commitments.models import Commitment, Figure
from compact_portal import services, versions
from compacts.models import ChangeRecord, Compact, CompactVersion, ReviewChange
from compacts.permissions import Refused
from compacts.tests.factories import CompactFactory, UserFactory, compact_role

pytestmark = pytest.mark.django_db
OLD = "Has realistic timescales, particularly 12 weeks for a standard written consultation"
NEW = "Has realistic timescales, particularly 10 weeks for a standard written consultation"
OLD_QUOTE = "particularly 12 weeks for a standard written consultation"
NEW_QUOTE = "particularly 10 weeks for a standard written consultation"

FIGURE_NAMED = (
    "The figure for the standard consultation period (the fifth commitment under “Consultation and engagement”)"
)


@pytest.fixture
def dorset(db):
    call_command("loaddata", "themes", "dorset", verbosity=0)
    compact = Compact.objects.get(slug="dorset")
    administrator = UserFactory(username="dora@dorset.example", first_name="Dora", last_name="Marsh")
    compact_role(administrator, compact, "administrator")
    return compact, administrator


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
    response = client.post(
        "/manage/dorset/review/publish/",
        {"published_on_0": "1", "published_on_1": "4", "published_on_2": "2027", "note": ""},
    )
    assert response.status_code == 302 and response["Location"] == "/compacts/dorset/versions/2/"


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
