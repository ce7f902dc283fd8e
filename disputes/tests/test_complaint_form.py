"""The complaint form as a new user meets it (issue 25, items 4, 5 and part of 13): an invalid complaint is shown
again with its errors and saves nothing; only "Save as draft" makes a draft; finding commitments checks and saves
nothing; choosing no Compact is an error; drafts are listed by when they were started and can be deleted; nobody is
offered their own organisation to complain about."""

import datetime
import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from commitments.tests.conftest import recording  # noqa: F401 the fixture
from commitments.tests.factories import CommitmentFactory
from compacts.exceptions import Refused
from disputes import services
from disputes.models import Attachment, Complaint
from disputes.tests.factories import raise_complaint
from disputes.tests.test_services import PDF, draft


def new_url(world):
    return f"/complaints/new/?compact={world.compact.slug}"


def text(response):
    return html.unescape(response.content.decode())


def error_summary(page):
    found = re.search(r'<div class="govuk-error-summary".*?</ul>', page, re.S)
    return re.findall(r"<a [^>]*>([^<]*)</a>", found.group(0)) if found else []


def test_an_empty_submit_shows_the_form_again_with_its_errors_and_saves_nothing(client, world):
    client.force_login(world.people.vcs_member)
    response = client.post(new_url(world), {"complainant": world.charity.pk, "summary": "Grant cut", "submit": "1"})
    assert response.status_code == 400
    page = text(response)
    assert "<title>Error: Raise a complaint" in page
    assert error_summary(page) == [
        "Choose the organisation the complaint is about",
        "Choose at least one commitment that was broken",
        "Describe what happened",
        "Say what outcome you want",
    ]
    assert page.count("Describe what happened") == 2  # in the summary and by its field
    assert 'value="Grant cut"' in page  # nothing typed is lost
    assert f'action="{new_url(world)}"' in page  # sent again, it goes to the same address
    assert not Complaint.objects.exists()


def test_a_complaint_that_cannot_be_read_is_not_sent_and_not_saved(client, world):
    client.force_login(world.people.vcs_member)
    response = client.post(
        new_url(world),
        {
            "complainant": world.charity.pk,
            "respondent": world.council.pk,
            "summary": "Grant cut",
            "commitments": [world.commitments[0].pk],
            "what_happened": "Cut.",
            "happened_on_0": "31",
            "happened_on_1": "2",
            "happened_on_2": "2026",
            "submit": "1",
        },
    )
    assert response.status_code == 400
    page = text(response)
    assert "Say what outcome you want" in error_summary(page)  # every missing answer is named, with the bad date
    assert len(error_summary(page)) == 2
    assert not Complaint.objects.exists()


def test_a_whole_complaint_is_submitted_at_once(client, world):
    client.force_login(world.people.vcs_member)
    response = client.post(
        new_url(world),
        {
            "complainant": world.charity.pk,
            "respondent": world.council.pk,
            "summary": "Grant cut",
            "commitments": [world.commitments[0].pk],
            "what_happened": "Cut.",
            "outcome_wanted": "Restore it.",
            "files": [SimpleUploadedFile("minutes.pdf", PDF, content_type="application/pdf")],
            "submit": "1",
        },
    )
    complaint = Complaint.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/complaints/{complaint.pk}/submitted/"
    assert complaint.status == "open" and [a.original_name for a in complaint.attachments.all()] == ["minutes.pdf"]


def test_only_save_as_draft_makes_a_draft(client, world):
    client.force_login(world.people.vcs_member)
    response = client.post(new_url(world), {"complainant": world.charity.pk, "summary": "Grant cut", "save": "1"})
    complaint = Complaint.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/complaints/{complaint.pk}/edit/"
    assert (complaint.status, complaint.summary) == ("draft", "Grant cut")


def test_an_invalid_submit_of_a_draft_leaves_the_draft_as_it_was(client, world):
    complaint = draft(world, summary="As saved", outcome_wanted="")
    client.force_login(world.people.vcs_member)
    response = client.post(
        f"/complaints/{complaint.pk}/edit/",
        {
            "complainant": world.charity.pk,
            "respondent": world.council.pk,
            "summary": "Changed, not saved",
            "commitments": [world.commitments[0].pk],
            "what_happened": "Cut.",
            "files": [SimpleUploadedFile("more.pdf", PDF, content_type="application/pdf")],
            "submit": "1",
        },
    )
    assert response.status_code == 400
    page = text(response)
    assert error_summary(page) == ["Say what outcome you want"]
    assert 'value="Changed, not saved"' in page
    assert "Choose your files again: more.pdf." in page  # a file cannot be kept in a form shown again
    complaint.refresh_from_db()
    assert (complaint.status, complaint.summary) == ("draft", "As saved")
    assert [a.original_name for a in complaint.attachments.all()] == ["evidence.pdf"]


def test_finding_commitments_checks_nothing_and_saves_nothing(client, world):
    CommitmentFactory(section=world.commitments[0].section, ref="3.1", number="3.1", text="Fund multi-year work.")
    client.force_login(world.people.vcs_member)
    response = client.post(
        new_url(world),
        {
            "complainant": world.charity.pk,
            "summary": "Grant cut",
            "commitments": [world.commitments[0].pk],
            "happened_on_0": "31",
            "happened_on_1": "2",
            "happened_on_2": "2026",
            "find": "multi-year",
            "search_commitments": "1",
        },
    )
    assert response.status_code == 200
    page = text(response)
    assert "There is a problem" not in page and "govuk-error-message" not in page
    assert 'value="Grant cut"' in page and 'value="31"' in page
    assert "1 commitment contains “multi-year”." in page
    labels = re.findall(r'<label class="govuk-label govuk-checkboxes__label" for="id_commitments_\d+">([^<]*)', page)
    assert labels == ["3.1 – Fund multi-year work.", "1.1 – Promise 1."]  # the one found, and the one chosen
    assert not Complaint.objects.exists()


def test_the_find_button_comes_right_after_its_box_and_before_the_list(client, world):
    client.force_login(world.people.vcs_member)
    page = client.get(new_url(world)).content.decode()
    markers = [
        'name="find"',
        'name="search_commitments"',
        'id="commitments-found"',
        'name="commitments"',
        'name="submit"',
    ]
    box, button, found, commitments, submit = (page.index(marker) for marker in markers)
    assert box < button < found < commitments < submit
    assert f'formaction="{new_url(world)}#commitments-found"' in page  # back at the list, without JavaScript
    assert re.search(r'<p [^>]*id="commitments-found" role="status">', page)  # the live region JavaScript fills


def test_choosing_no_compact_is_an_error_by_the_radios_and_in_the_summary(client, world):
    client.force_login(world.people.vcs_member)
    first = client.get("/complaints/new/")
    assert first.status_code == 200 and "There is a problem" not in first.content.decode()
    response = client.get("/complaints/new/", {"choosing": "1"})
    assert response.status_code == 400
    page = text(response)
    assert "<title>Error: Which Compact was broken?" in page
    assert error_summary(page) == ["Select the Compact that was broken"]
    assert '<p id="compact-error" class="govuk-error-message">' in page
    assert 'aria-describedby="compact-error"' in page
    assert client.get("/complaints/new/", {"compact": "nowhere"}).status_code == 400


def respondent_options(page):
    select = re.search(r'<select name="respondent".*?</select>', page, re.S).group(0)
    return re.findall(r"<option[^>]*>([^<]*)</option>", select)


def test_the_complainants_own_organisation_is_not_offered_to_complain_about(client, world):
    client.force_login(world.people.vcs_member)
    options = respondent_options(text(client.get(new_url(world))))
    assert "Testshire Council" in options and "Other Charity" in options
    assert "Testshire Helpers" not in options
    complaint = draft(world)
    assert "Testshire Helpers" not in respondent_options(text(client.get(f"/complaints/{complaint.pk}/edit/")))


def test_a_complaint_from_a_record_does_not_offer_the_complainants_own_organisation(client, recording):  # noqa: F811
    from commitments import services as record_services

    record = record_services.record_create(
        compact=recording.compact,
        by=recording.people.vcs,
        recorded_for=recording.group,
        kind="consultation",
        commitments=[recording.consult],
        facts={
            "about": recording.council,
            "title": "Library opening hours",
            "starts_on": datetime.date(2026, 6, 1),
            "ends_on": datetime.date(2026, 8, 10),
        },
    )
    client.force_login(recording.people.vcs)
    options = respondent_options(text(client.get(f"/complaints/new/?compact=testshire&record={record.pk}")))
    assert "Testshire Council" in options and "Testshire Voluntary Action" not in options


def test_the_service_refuses_a_complaint_about_the_complainant_itself(world):
    with pytest.raises(Refused) as refused:
        draft(world, respondent=world.charity)
    assert refused.value.errors == {
        "respondent": "Choose an organisation other than Testshire Helpers: it cannot complain about itself"
    }
    assert not Complaint.objects.exists()


def test_a_complaint_about_its_own_organisation_sent_anyway_is_refused_by_the_field(client, world):
    client.force_login(world.people.vcs_member)
    response = client.post(
        new_url(world), {"complainant": world.charity.pk, "respondent": world.charity.pk, "save": "1"}
    )
    assert response.status_code == 400
    assert error_summary(text(response)) == ["Choose an organisation from the list"]
    assert not Complaint.objects.exists()


def test_sending_a_complaint_is_all_or_nothing(world):
    details = {
        "by": world.people.vcs_member,
        "compact": world.compact,
        "complainant": world.charity,
        "commitments": world.commitments,
    }
    with pytest.raises(Refused) as missing:
        services.complaint_send(fields={"summary": "Cut", "respondent": world.council}, files=[], **details)
    assert set(missing.value.errors) == {"what_happened", "outcome_wanted"}
    whole = {"summary": "Cut", "respondent": world.council, "what_happened": "Cut.", "outcome_wanted": "Undo."}
    with pytest.raises(Refused) as refused:
        services.complaint_send(fields=whole, files=[SimpleUploadedFile("blank.pdf", b"")], **details)
    assert refused.value.errors == {"files": "blank.pdf: The file is empty."}
    assert not Complaint.objects.exists() and not Attachment.objects.exists()
    event = services.complaint_send(fields=whole, files=[], **details)
    assert event.complaint.status == "open" and event.complaint.reference


def test_a_draft_with_no_summary_is_listed_by_when_it_was_started(client, world):
    untitled = draft(world, summary="")
    draft(world, summary="Grant cut")
    client.force_login(world.people.vcs_member)
    page = text(client.get("/complaints/"))
    started = timezone.localdate(untitled.created_at)
    day = f"{started.day} {started:%B} {started.year}"
    assert f'<a class="govuk-link" href="/complaints/{untitled.pk}/edit/">Draft started {day}</a>' in page
    assert "About the Testshire Compact: no summary yet" in page
    assert "Grant cut" in page
    assert "(no summary yet)" not in page
    assert f'href="/complaints/{untitled.pk}/delete/">Delete<span class="govuk-visually-hidden"> the draft' in page


def test_a_draft_is_deleted_once_confirmed(client, world, django_capture_on_commit_callbacks):
    complaint = draft(world, summary="Not wanted")
    stored = complaint.attachments.get().file.name
    storage = complaint.attachments.get().file.storage
    client.force_login(world.people.vcs_member)
    edit = text(client.get(f"/complaints/{complaint.pk}/edit/"))
    assert f'<a class="govuk-link" href="/complaints/{complaint.pk}/delete/">Delete this draft</a>' in edit
    confirm = client.get(f"/complaints/{complaint.pk}/delete/")
    assert confirm.status_code == 200
    page = text(confirm)
    assert "Delete this draft complaint?" in page and "Not wanted" in page and "evidence.pdf" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/complaints/{complaint.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == "/complaints/"
    assert not Complaint.objects.exists() and not Attachment.objects.exists()
    assert not storage.exists(stored)
    assert "Your draft complaint has been deleted." in text(client.get("/complaints/"))


def test_a_submitted_complaint_cannot_be_deleted(client, world):
    complaint = raise_complaint(world)
    client.force_login(world.people.vcs_member)
    response = client.post(f"/complaints/{complaint.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == complaint.get_absolute_url()
    with pytest.raises(services.AlreadySubmitted):
        services.complaint_delete_draft(complaint=complaint, by=world.people.vcs_member)
    assert Complaint.objects.filter(pk=complaint.pk).exists()


def test_only_the_complaining_side_may_delete_a_draft(client, world):
    complaint = draft(world)
    client.force_login(world.people.bystander)
    assert client.get(f"/complaints/{complaint.pk}/delete/").status_code == 404
    assert client.post(f"/complaints/{complaint.pk}/delete/").status_code == 404
    client.force_login(world.people.vcs_member)
    assert client.put(f"/complaints/{complaint.pk}/delete/").status_code == 405
    assert Complaint.objects.filter(pk=complaint.pk).exists()
