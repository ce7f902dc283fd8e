"""Reviews keep a Compact consistent: a figure changed in a review must be read from words its commitment will say
after the review (a new value needs new words), or the reviewer says why not, which is kept with the change and
shown with the version; the preview marks every drafted change where it is, and lists them all at the top."""

import datetime
import html
import re

import pytest
from django.core.management import call_command

from commitments.models import Commitment, Figure
from compacts.models import ChangeRecord, Compact, CompactVersion, ReviewChange
from compacts.permissions import Refused
from compacts.tests.document_check import page_text
from compacts.tests.factories import UserFactory, compact_role
from documents import services

pytestmark = pytest.mark.django_db
FIGURE = "consultation_standard:main"
FIGURE_NAMED = (
    "The figure for the standard consultation period (the fifth commitment under “Consultation and engagement”)"
)
OLD_QUOTE = "particularly 12 weeks for a standard written consultation"
NEW_QUOTE = "particularly 10 weeks for a standard written consultation"
WHY = "The ten weeks apply from April; the commitment is reworded at the next review."


@pytest.fixture
def dorset(db):
    call_command("loaddata", "themes", "dorset", verbosity=0)
    compact = Compact.objects.get(slug="dorset")
    administrator = UserFactory(username="dora@dorset.example")
    compact_role(administrator, compact, "administrator")
    review = services.review_open(compact=compact, by=administrator)
    return compact, administrator, review


def draft(review, by, kind, ref, value, **more):
    return services.review_change(review=review, by=by, kind=kind, ref=ref, value=value, **more)


def ten_weeks_wording(compact):
    return Commitment.objects.get(compact=compact, ref="consultation-5").text.replace("12 weeks", "10 weeks")


def test_a_new_figure_with_the_old_quote_is_refused(dorset):
    _, administrator, review = dorset
    with pytest.raises(Refused, match="now 10 weeks, but its quote still reads “particularly 12 weeks") as refused:
        draft(review, administrator, "figure", FIGURE, "10", quote=OLD_QUOTE)
    assert refused.value.field == "quote"
    assert not ReviewChange.objects.exists()


def test_a_figure_whose_quote_the_wording_will_not_say_is_refused_until_the_wording_says_it(dorset):
    compact, administrator, review = dorset
    with pytest.raises(
        Refused, match="is not in the wording of the fifth commitment under “Consultation and engagement”"
    ) as refused:
        draft(review, administrator, "figure", FIGURE, "10", quote=NEW_QUOTE)
    assert refused.value.field == "quote" and not ReviewChange.objects.exists()

    draft(review, administrator, "commitment", "consultation-5", ten_weeks_wording(compact))
    draft(review, administrator, "figure", FIGURE, "10", quote=NEW_QUOTE)  # the drafted wording says it
    version = services.review_publish(review=review, by=administrator, published_on=datetime.date(2027, 4, 1), note="")
    figure = Figure.objects.get(compact=compact, kind="consultation_standard", ref="main")
    assert (figure.value, figure.quote) == (10, NEW_QUOTE)
    assert figure.quote in Commitment.objects.get(compact=compact, ref="consultation-5").text
    kept = next(f for f in version.content["figures"] if f["ref"] == FIGURE)
    assert (kept["value"], kept["quote"], "reason" in kept) == (10, NEW_QUOTE, False)


def test_a_reason_lets_a_figure_differ_and_is_kept_and_shown(client, dorset):
    _, administrator, review = dorset
    change = draft(review, administrator, "figure", FIGURE, "10", quote=OLD_QUOTE, reason=WHY)
    assert (change.value, change.quote, change.reason) == ("10", OLD_QUOTE, WHY)
    record = ChangeRecord.objects.filter(subject=FIGURE_NAMED).latest("id")
    assert record.after == {"figure": "10", "quote": OLD_QUOTE, "why not": WHY}

    client.force_login(administrator)
    preview = page_text(client.get("/manage/dorset/review/preview/").content)
    assert f"Why its figure and wording differ: {WHY}" in preview

    services.review_publish(review=review, by=administrator, published_on=datetime.date(2027, 4, 1), note="")
    kept = next(f for f in CompactVersion.objects.get(number=2).content["figures"] if f["ref"] == FIGURE)
    assert (kept["value"], kept["reason"]) == (10, WHY)
    client.logout()
    for url in ["/compacts/dorset/versions/2/", "/compacts/dorset/versions/1/to/2/"]:
        assert f"Why its figure and wording differ: {WHY}" in page_text(client.get(url).content), url
    assert "Why its figure" not in page_text(client.get("/compacts/dorset/versions/1/").content)


def test_new_wording_that_drops_a_figures_words_holds_up_publishing_until_the_figure_follows_or_a_reason_is_given(
    client, dorset
):
    compact, administrator, review = dorset
    draft(review, administrator, "commitment", "consultation-5", ten_weeks_wording(compact))
    client.force_login(administrator)
    page = page_text(client.get("/manage/dorset/review/").content)
    assert "these figures must say what their wording says" in page
    assert (
        "The new wording of the fifth commitment under “Consultation and engagement” no longer says "
        "“particularly 12 weeks" in page
    )
    with pytest.raises(Refused, match="Some figures would not say what their wording says"):
        services.review_publish(review=review, by=administrator, published_on=datetime.date(2027, 4, 1), note="")
    draft(review, administrator, "commitment", "consultation-5", ten_weeks_wording(compact), reason=WHY)
    assert (
        services.review_publish(review=review, by=administrator, published_on=datetime.date(2027, 4, 1), note="").number
        == 2
    )
    assert Figure.objects.get(compact=compact, kind="consultation_standard", ref="main").value == 12


def test_the_refusal_is_shown_beside_the_quote(client, dorset):
    _, administrator, _ = dorset
    client.force_login(administrator)
    url = f"/manage/dorset/review/figure/{FIGURE}/"
    form = page_text(client.get(url).content)
    assert f"12 weeks, read from “{OLD_QUOTE}”" in form
    response = client.post(url, {"value": "10", "quote": OLD_QUOTE})
    assert response.status_code == 400
    body = html.unescape(response.content.decode())
    assert 'href="#id_quote"' in body  # the error summary links to the field
    field = re.search(
        r'<div id="div_id_quote" class="govuk-form-group govuk-form-group--error">(.*?)<textarea', body, re.S
    )
    assert field and "its quote still reads" in field.group(1)  # the message is the quote's own
    assert not ReviewChange.objects.exists()


def test_the_preview_marks_every_drafted_change_and_lists_them(client, dorset):
    compact, administrator, review = dorset
    draft(review, administrator, "section", "introduction", "A new introduction to the Dorset Compact.")
    draft(review, administrator, "commitment", "consultation-5", ten_weeks_wording(compact))
    draft(review, administrator, "figure", FIGURE, "10", quote=NEW_QUOTE)
    client.force_login(administrator)
    body = client.get("/manage/dorset/review/preview/").content.decode()
    text = page_text(body)
    assert "3 changes drafted in this review" in text
    anchors = re.findall(r'href="#([^"]+)">See it in the text', body)
    assert anchors == ["section-introduction", "commitment-consultation-5", f"figure-{FIGURE}"]
    for anchor in anchors:
        start = body.index(f'id="{anchor}"')
        marked = body[start : start + 3000]
        assert "Changed in this review" in marked, anchor
        assert '<del class="app-del">' in marked and '<ins class="app-ins">' in marked, anchor
    assert body.count("Changed in this review") == 4  # the three, and the page's sentence about them
    assert "[taken out: </span>12<" in body and "[put in: </span>10<" in body
