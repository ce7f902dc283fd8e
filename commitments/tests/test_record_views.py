"""The pages for records of Compact working: recording, answering, correcting, the checker and its drill-down,
and raising a record as a complaint."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commitments import services
from commitments.models import Record, RecordStatus
from compacts.models import OrganisationKind
from compacts.tests.document_check import page_text
from compacts.tests.factories import OrganisationFactory, SignatoryFactory, UserFactory, member

D = datetime.date


def date_fields(name, day):
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def consultation_post(world, **changes):
    data = {
        "recorded_for": str(world.group.pk),
        "about": str(world.council.pk),
        "title": "Library opening hours",
        "link": "https://testshire.example/consultations/libraries",
        **date_fields("starts_on", D(2026, 6, 1)),
        **date_fields("ends_on", D(2026, 8, 10)),
        "commitments": [str(world.consult.pk), str(world.minimum.pk)],
    }
    data.update(changes)
    return data


def made(world, **facts):
    return services.record_create(
        compact=world.compact,
        by=world.people.vcs,
        recorded_for=world.group,
        kind="consultation",
        commitments=[world.consult],
        facts={
            "about": world.council,
            "title": "Library opening hours",
            "starts_on": D(2026, 6, 1),
            "ends_on": D(2026, 8, 10),
            **facts,
        },
    )


def test_recording_starts_with_what_is_recorded(client, recording):
    assert client.get("/compacts/testshire/records/new/").status_code == 302  # sign in first
    client.force_login(recording.people.bystander)
    assert client.get("/compacts/testshire/records/new/").status_code == 403
    client.force_login(recording.people.vcs)
    page = client.get("/compacts/testshire/records/new/")
    assert page.status_code == 200 and "What are you recording?" in page_text(page.content)
    assert client.get("/compacts/testshire/records/new/?kind=").status_code == 400
    assert "Choose what you are recording" in page_text(client.get("/compacts/testshire/records/new/?asked=1").content)
    assert (
        client.get("/compacts/testshire/records/new/?kind=funding")["Location"]
        == "/compacts/testshire/records/new/funding/"
    )


def test_only_kinds_the_compacts_figures_can_check_are_offered(client, recording):
    """Testshire prints consultation and notice periods but no payment term: a payment is not offered, and asking
    for one says why (a form with nothing to choose could never be sent)."""
    client.force_login(recording.people.vcs)
    page = page_text(client.get("/compacts/testshire/records/new/").content)
    assert "A consultation" in page and "A funding decision or grant" in page
    assert "Why is something not listed?" in page and "no figure that these can be checked against: a payment." in page
    assert 'value="payment"' not in client.get("/compacts/testshire/records/new/").content.decode()
    refused = client.get("/compacts/testshire/records/new/?kind=payment")
    assert refused.status_code == 400
    assert "The Testshire Compact prints no figure that a payment can be checked against" in page_text(refused.content)
    assert client.get("/compacts/testshire/records/new/payment/")["Location"] == (
        "/compacts/testshire/records/new/?kind=payment"
    )


def test_a_member_records_a_consultation_and_sees_the_working(client, recording):
    client.force_login(recording.people.vcs)
    form = client.get("/compacts/testshire/records/new/consultation/")
    text = page_text(form.content)
    assert "Who ran the consultation?" in text and "20 working days" in text
    assert "1.1 –" not in text  # a commitment with no figure is not offered
    response = client.post("/compacts/testshire/records/new/consultation/", consultation_post(recording))
    record = Record.objects.get()
    assert response["Location"] == f"/compacts/testshire/records/{record.pk}/"
    page = page_text(client.get(response["Location"]).content)
    assert "10 weeks, against 12 weeks: missed" in page and "10 weeks, against 8 weeks: met" in page
    assert "Not confirmed yet" in page


def test_bad_input_is_shown_by_its_field_and_nothing_is_lost(client, recording):
    client.force_login(recording.people.vcs)
    response = client.post(
        "/compacts/testshire/records/new/consultation/",
        consultation_post(recording, **date_fields("ends_on", D(2026, 5, 1)), commitments=[]),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "This date must be on or after the first one." in page_text(html) or "Choose" in page_text(html)
    assert (
        'value="Library opening hours"' in html and 'value="https://testshire.example/consultations/libraries"' in html
    )
    assert not Record.objects.exists()
    response = client.post(
        "/compacts/testshire/records/new/consultation/",
        consultation_post(recording, **date_fields("ends_on", D(2026, 5, 1))),
    )
    assert response.status_code == 400
    assert 'href="#id_ends_on_0">This date must be on or after the first one.' in response.content.decode()


def test_before_it_is_public_only_the_sides_see_a_record(client, recording):
    record = made(recording)
    url = f"/compacts/testshire/records/{record.pk}/"
    assert client.get(url).status_code == 404
    client.force_login(recording.people.bystander)
    assert client.get(url).status_code == 404
    client.force_login(recording.people.champion)
    page = client.get(url)
    assert page.status_code == 200 and "Confirm or dispute this record" in page_text(page.content)


def test_the_champion_disputes_with_a_comment(client, recording):
    record = made(recording)
    client.force_login(recording.people.champion)
    url = f"/compacts/testshire/records/{record.pk}/answer/"
    response = client.post(url, {"version": "1", "verdict": "dispute", "comment": ""})
    assert response.status_code == 400
    assert "Say what is wrong with the record" in page_text(response.content)
    response = client.post(url, {"version": "1", "verdict": "dispute", "comment": "It opened on 18 May."})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == RecordStatus.DISPUTED
    page = page_text(client.get(record.get_absolute_url()).content)
    assert "Your organisation, Testshire Council, disputed version 1" in page and "It opened on 18 May." in page
    client.force_login(recording.people.vcs)
    assert client.post(url, {"version": "1", "verdict": "confirm"}).status_code == 400  # not theirs to answer


def test_correcting_keeps_every_version(client, recording):
    record = made(recording)
    client.force_login(recording.people.vcs)
    url = f"/compacts/testshire/records/{record.pk}/correct/consultation/"
    form = client.get(url).content.decode()
    assert 'value="Library opening hours"' in form and 'name="note"' in form
    data = consultation_post(recording, **date_fields("starts_on", D(2026, 5, 18)), version="1", note="")
    assert client.post(url, data).status_code == 400
    data["note"] = "It opened on 18 May."
    assert client.post(url, data).status_code == 302
    page = page_text(client.get(record.get_absolute_url()).content)
    assert "Version 2" in page and "Version 1" in page and "Corrected: It opened on 18 May." in page
    assert "From 18 May 2026" in page and "From 1 June 2026" in page and "2026-06-01" not in page  # dates in words
    client.force_login(recording.people.champion)
    assert client.get(url).status_code == 403


def test_the_checker_counts_public_records_and_drills_down(client, recording):
    record = made(recording)
    checker = page_text(client.get("/compacts/testshire/checker/").content)
    assert "Was the Compact followed?" in checker and "3.6" in checker and "13.2" in checker
    services.record_respond(record=record, by=recording.people.champion, version=1, verdict="confirm")
    checker = client.get("/compacts/testshire/checker/").content.decode()
    assert "/compacts/testshire/checker/3.6/" in checker
    assert "0 (0%)" in page_text(checker) and "1 (100%)" in page_text(checker)
    drill = page_text(client.get("/compacts/testshire/checker/3.6/").content)
    assert "Library opening hours" in drill and "10 weeks, against 12 weeks: missed" in drill
    assert "Testshire Council" in drill and "Recorded for Testshire Voluntary Action" in drill
    outside = client.get("/compacts/testshire/checker/", {**date_fields("start", D(2026, 9, 1))})
    assert "/compacts/testshire/checker/3.6/" not in outside.content.decode()
    bad = client.get(
        "/compacts/testshire/checker/", {**date_fields("start", D(2026, 9, 1)), **date_fields("end", D(2026, 1, 1))}
    )
    assert bad.status_code == 400 and "The end of the period must be on or after its start" in page_text(bad.content)


@pytest.mark.parametrize("records", [1, 12])
def test_the_checker_runs_a_fixed_number_of_queries(client, recording, records):
    for n in range(records):
        record = made(recording, title=f"Consultation {n}")
        services.record_respond(record=record, by=recording.people.champion, version=1, verdict="confirm")
    with CaptureQueriesContext(connection) as checker_queries:
        assert client.get("/compacts/testshire/checker/").status_code == 200
    with CaptureQueriesContext(connection) as drill_queries:
        assert client.get("/compacts/testshire/checker/3.6/").status_code == 200
    with CaptureQueriesContext(connection) as record_queries:
        assert client.get(record.get_absolute_url()).status_code == 200
    assert len(checker_queries) <= 4 and len(drill_queries) <= 4 and len(record_queries) <= 8


def test_a_record_opens_as_a_filled_in_complaint(client, recording):
    record = made(recording)
    client.force_login(recording.people.vcs)
    page = client.get(record.get_absolute_url())
    assert f"/complaints/new/?compact=testshire&amp;record={record.pk}" in page.content.decode()
    form = client.get(f"/complaints/new/?compact=testshire&record={record.pk}").content.decode()
    assert 'value="A consultation: Library opening hours"' in form
    assert f'<option value="{recording.council.pk}" selected>' in form
    assert f'value="{recording.consult.pk}" checked' in form
    assert "Commitment 3.6: 10 weeks, against 12 weeks: missed" in form
    client.force_login(recording.people.outsider)
    other = client.get(f"/complaints/new/?compact=testshire&record={record.pk}").content.decode()
    assert "Library opening hours" not in other  # not theirs to see yet


def test_the_sides_see_their_records_on_the_checker_before_they_are_public(client, recording):
    made(recording)
    assert "/compacts/testshire/checker/3.6/" not in client.get("/compacts/testshire/checker/").content.decode()
    for who in ("vcs", "champion", "administrator"):
        client.force_login(getattr(recording.people, who))
        checker = client.get("/compacts/testshire/checker/").content.decode()
        assert "/compacts/testshire/checker/3.6/" in checker and "not public yet" in page_text(
            client.get("/compacts/testshire/checker/3.6/").content
        )
    for who in ("bystander", "other_administrator", "outsider"):
        client.force_login(getattr(recording.people, who))
        assert "/compacts/testshire/checker/3.6/" not in client.get("/compacts/testshire/checker/").content.decode()


def test_compare_shows_whether_each_figure_was_followed(client, recording):
    record = made(recording)
    services.record_respond(record=record, by=recording.people.champion, version=1, verdict="confirm")
    response = client.get("/compare/", {"compacts": ["testshire", "elsewhere"], "theme": "consultation"})
    text = page_text(response.content)
    assert "Was it followed? 1 record: 0% met, 100% missed" in text
    assert "Was it followed? 0 records" in text  # 4.8 has no record


# An organisation's record of its own doing, and its other side (issue 23) --------------------------------------------


def own_post(world, **changes):
    return consultation_post(world, recorded_for=str(world.council.pk), **changes)


def test_the_form_offers_the_signatories_as_consulted_with_the_infrastructure_body_chosen(client, recording):
    recording.group.kind = OrganisationKind.INFRASTRUCTURE
    recording.group.save()
    client.force_login(recording.people.officer)
    form = client.get("/compacts/testshire/records/new/consultation/").content.decode()
    assert "Which organisations were consulted?" in page_text(form)
    offered = re.findall(r'<input\s+type="checkbox"\s+name="others"[^>]*?value="(\d+)"\s*(checked="checked")?', form)
    assert offered == [(str(recording.council.pk), ""), (str(recording.group.pk), 'checked="checked"')]
    client.force_login(recording.people.vcs)  # its own organisation is not chosen for it
    form = client.get("/compacts/testshire/records/new/consultation/").content.decode()
    assert 'checked="checked"' not in re.search(r'name="others".*?</fieldset>', form, re.S).group(0)


def test_a_council_records_its_own_consultation_and_the_page_says_who_was_asked(client, recording):
    client.force_login(recording.people.officer)
    response = client.post("/compacts/testshire/records/new/consultation/", own_post(recording))
    assert response.status_code == 400
    assert "Choose at least one organisation that was consulted" in page_text(response.content)
    response = client.post(
        "/compacts/testshire/records/new/consultation/", own_post(recording, others=[str(recording.group.pk)])
    )
    record = Record.objects.get()
    assert list(record.others.all()) == [recording.group]
    page = page_text(client.get(response["Location"]).content)
    assert "Recorded. Testshire Voluntary Action has been asked to confirm or dispute it." in page
    assert (
        "Asked to confirm or dispute it Testshire Voluntary Action: it has no Compact Champion; its contact in the "
        "portal can answer" in page
    )
    assert "Consulted Testshire Voluntary Action" in page
    assert "Raise this as a complaint" not in page  # it would be against the council, theirs
    assert "Correct this record" in page


def test_the_page_says_truthfully_when_nobody_can_answer_yet(client, recording):
    recording.people.vcs.memberships.all().delete()
    recording.people.unconfirmed.memberships.all().delete()
    client.force_login(recording.people.officer)
    response = client.post(
        "/compacts/testshire/records/new/consultation/", own_post(recording, others=[str(recording.group.pk)])
    )
    page = page_text(client.get(response["Location"]).content)
    assert (
        "Recorded. Nobody at Testshire Voluntary Action can answer in the portal yet, so the Compact's "
        "administrators have been told." in page
    )
    assert "Testshire Voluntary Action: nobody there can answer in the portal yet" in page
    assert "has been asked" not in page


def test_the_other_side_answers_an_own_record_and_raises_it_as_a_complaint(client, recording):
    record = services.record_create(
        compact=recording.compact,
        by=recording.people.officer,
        recorded_for=recording.council,
        kind="consultation",
        commitments=[recording.consult],
        facts={
            "about": recording.council,
            "others": [recording.group],
            "title": "Library opening hours",
            "starts_on": D(2026, 6, 1),
            "ends_on": D(2026, 8, 10),
        },
    )
    client.force_login(recording.people.vcs)
    page = page_text(client.get(record.get_absolute_url()).content)
    assert "You are answering for Testshire Voluntary Action." in page
    response = client.post(
        f"/compacts/testshire/records/{record.pk}/answer/",
        {"version": "1", "verdict": "dispute", "comment": "It ran for eight weeks, not ten."},
    )
    assert response.status_code == 302
    page = client.get(record.get_absolute_url()).content.decode()
    assert "Raise this as a complaint" in page
    form = client.get(f"/complaints/new/?compact=testshire&record={record.pk}").content.decode()
    assert f'<option value="{recording.group.pk}" selected>' in form  # complainant: the other side
    assert f'<option value="{recording.council.pk}" selected>' in form  # respondent: whose doing it was
    assert "Testshire Voluntary Action disputed version 1 of the record on" in form
    assert "It ran for eight weeks, not ten." in form
    assert f'<a class="govuk-link" href="/compacts/testshire/records/{record.pk}/">record {record.pk}' in form
    for who in ("officer", "champion"):  # the council's own people are not offered a complaint against it
        client.force_login(getattr(recording.people, who))
        assert "Raise this as a complaint" not in client.get(record.get_absolute_url()).content.decode()
        form = client.get(f"/complaints/new/?compact=testshire&record={record.pk}").content.decode()
        assert "Library opening hours" not in form


def test_nobody_is_offered_a_complaint_against_their_own_organisation(client, recording):
    record = made(recording)  # the group's record of the council's consultation
    client.force_login(recording.people.champion)
    assert "Raise this as a complaint" not in client.get(record.get_absolute_url()).content.decode()
    client.force_login(recording.people.vcs)
    assert "Raise this as a complaint" in client.get(record.get_absolute_url()).content.decode()


@pytest.mark.parametrize("who", [None, "vcs", "officer"])
def test_the_record_page_reads_the_same_whatever_the_other_side_names(client, recording, who):
    """The other organisations, who answers for them and who is asking: a fixed number of queries."""
    counts = []
    for named in (1, 4):
        others = [recording.group]
        for n in range(named - 1):
            other = OrganisationFactory(name=f"Group {n}", sector="vcs", kind="charity")
            SignatoryFactory(compact=recording.compact, organisation=other, section=recording.consult.section)
            member(UserFactory(username=f"member{n}@group.example"), other)
            others.append(other)
        record = services.record_create(
            compact=recording.compact,
            by=recording.people.officer,
            recorded_for=recording.council,
            kind="consultation",
            commitments=[recording.consult],
            facts={
                "about": recording.council,
                "others": others,
                "title": f"Consultation {named}",
                "starts_on": D(2026, 6, 1),
                "ends_on": D(2026, 8, 10),
            },
        )
        if who:
            client.force_login(getattr(recording.people, who))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(record.get_absolute_url()).status_code == (200 if who else 404)
        counts.append(len(queries))
    assert counts[0] == counts[1]
