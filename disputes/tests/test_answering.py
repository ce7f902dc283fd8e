"""Every complaint reaches someone who can answer it: the organisation complained about's Champions; where it has
none, its contacts named in the portal; where it has neither, the Compact's administrators, who name someone (a
member made its contact, or its contact invited by email). Who has been told is on the complaint's page."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from compacts import services as compact_services
from compacts.models import Email, Membership
from compacts.tests.document_check import page_text
from compacts.tests.factories import OrganisationFactory, SignatoryFactory, UserFactory, member
from disputes import permissions, reminders, selectors, services
from disputes.tests.factories import raise_complaint
from disputes.workflow import Action, Role


@pytest.fixture
def library(world):
    """A signatory with no Champion: the Testshire Library Service, and its people."""
    library = OrganisationFactory(name="Testshire Library Service", sector="public", kind="council")
    SignatoryFactory(compact=world.compact, section=world.stages[0].section, organisation=library)
    contact = UserFactory(username="contact@library.example", first_name="Lee", last_name="Brook")
    colleague = UserFactory(username="colleague@library.example")
    Membership.objects.create(user=contact, organisation=library, status="confirmed", is_contact=True)
    member(colleague, library)
    world.library, world.people.library_contact, world.people.library_colleague = library, contact, colleague
    return library


def against(world, organisation):
    return raise_complaint(world, respondent=organisation)


def roles(user, complaint):
    view = selectors.view_for(permissions.person(user), complaint, datetime.date.today())
    return view


def emailed(complaint):
    return set(Email.objects.filter(about=f"complaint:{complaint.pk}").values_list("to", "subject"))


def test_a_complaint_against_an_organisation_with_no_champion_reaches_its_contact(world, library):
    complaint = against(world, library)
    told = {to for to, _ in emailed(complaint)}
    assert "contact@library.example" in told and "colleague@library.example" not in told
    view = roles(world.people.library_contact, complaint)
    assert view.visible and Role.RESPONDENT_CONTACT in view.roles
    assert {Action.ACKNOWLEDGE, Action.OFFICERS} <= set(view.actions)
    # The contact answers at the first stage, as the Champion would.
    services.complaint_act(
        complaint=complaint,
        by=world.people.library_contact,
        action=Action.ACKNOWLEDGE,
        version=complaint.version,
        text="Received.",
    )
    complaint.refresh_from_db()
    assert complaint.events.filter(kind="acknowledged", by=world.people.library_contact).exists()


def test_a_member_who_is_not_the_contact_and_another_organisation_s_member_see_nothing(world, library):
    complaint = against(world, library)
    for user in (world.people.library_colleague, world.people.bystander):
        assert not roles(user, complaint).visible
        assert not permissions.visible_complaints(permissions.person(user)).filter(pk=complaint.pk).exists()
    assert permissions.visible_complaints(permissions.person(world.people.library_contact)).filter(pk=complaint.pk)


def test_where_it_has_a_champion_its_contact_sees_but_the_champion_answers(world, library):
    champion = UserFactory(username="champion@library.example")
    member(champion, library, champion_of=world.compact)
    complaint = against(world, library)
    contact = roles(world.people.library_contact, complaint)
    assert contact.visible and Role.RESPONDENT_CONTACT not in contact.roles and not contact.actions
    assert Role.RESPONDENT_CHAMPION in roles(champion, complaint).roles


def test_a_complaint_nobody_can_answer_goes_to_the_administrators_until_they_name_someone(world):
    museum = OrganisationFactory(name="Testshire Museum", sector="public", kind="council")
    SignatoryFactory(compact=world.compact, section=world.stages[0].section, organisation=museum)
    complaint = against(world, museum)
    told_admin = [subject for to, subject in emailed(complaint) if to == "admin@cvs.example"]
    assert told_admin == [f"Complaint {complaint.reference} about Testshire Museum: nobody can answer for it yet"]
    administrator = permissions.person(world.people.administrator)
    listed = selectors.queue(world.people.administrator, who=administrator, nobody_answers=True)
    assert list(listed) == [complaint]
    # Reminded daily, once a day.
    assert reminders.send_due(today=datetime.date.today()).unanswered == 1
    assert reminders.send_due(today=datetime.date.today()).unanswered == 0
    # The administrator confirms one of its people as its contact: they answer from then on.
    curator = UserFactory(username="curator@museum.example")
    membership = member(curator, museum)
    compact_services.contact_name(compact=world.compact, membership=membership, by=world.people.administrator)
    assert not selectors.queue(world.people.administrator, who=administrator, nobody_answers=True).exists()
    assert Role.RESPONDENT_CONTACT in roles(curator, complaint).roles


def test_an_invited_contact_registers_is_confirmed_and_answers(world, mailoutbox, django_capture_on_commit_callbacks):
    museum = OrganisationFactory(name="Testshire Museum", sector="public", kind="council")
    SignatoryFactory(compact=world.compact, section=world.stages[0].section, organisation=museum)
    complaint = against(world, museum)
    with django_capture_on_commit_callbacks(execute=True):
        compact_services.invitation_send(
            compact=world.compact,
            organisation=museum,
            email="Director@Museum.example",
            name="Morgan Day",
            by=world.people.administrator,
        )
    invitation_mail = next(m for m in mailoutbox if m.to == ["director@museum.example"])
    link = re.search(r"http\S+/invitations/\S+/", invitation_mail.body)[0]
    path = link.split("testserver", 1)[-1] if "testserver" in link else "/" + link.split("/", 3)[3]
    visitor = Client()
    assert visitor.get(f"/complaints/{complaint.pk}/").status_code == 302  # not signed in
    page = visitor.get(path)
    assert page.status_code == 200
    assert "Make your account" in page_text(page.content)
    refused = visitor.post(path, {"first_name": "Morgan", "last_name": "", "password1": "x", "password2": "y"})
    assert refused.status_code == 400
    assert "Enter your last name" in page_text(refused.content)
    accepted = visitor.post(
        path,
        {"first_name": "Morgan", "last_name": "Day", "password1": "a-long-pass-2026", "password2": "a-long-pass-2026"},
    )
    assert accepted.status_code == 302
    membership = Membership.objects.get(user__email="director@museum.example", organisation=museum)
    assert (membership.status, membership.is_contact, membership.decided_by) == (
        "confirmed",
        True,
        world.people.administrator,
    )
    response = visitor.get(f"/complaints/{complaint.pk}/")
    assert response.status_code == 200
    assert "Acknowledge" in page_text(response.content)
    # The link works once.
    assert Client().get(path).status_code == 400


def test_before_accepting_the_invited_person_sees_nothing_and_a_wrong_address_cannot_accept(world):
    museum = OrganisationFactory(name="Testshire Museum", sector="public", kind="council")
    SignatoryFactory(compact=world.compact, section=world.stages[0].section, organisation=museum)
    complaint = against(world, museum)
    invitation = compact_services.invitation_send(
        compact=world.compact, organisation=museum, email="director@museum.example", by=world.people.administrator
    )
    token = compact_services.invitation_token(invitation)
    director = UserFactory(username="director@museum.example")  # an account, not yet accepted
    assert not roles(director, complaint).visible
    with pytest.raises(compact_services.Refused):
        compact_services.invitation_accept(token=token, user=world.people.bystander)
    with pytest.raises(compact_services.Refused):
        compact_services.invitation_accept(token=token + "x", user=director)
    assert not Membership.objects.filter(user=director).exists()


def test_an_invited_person_s_new_account_is_made_only_with_the_invitation_accepted(world):
    """The account made from an invitation and its acceptance are one service's work: both or neither."""
    museum = OrganisationFactory(name="Testshire Museum", sector="public", kind="council")
    SignatoryFactory(compact=world.compact, section=world.stages[0].section, organisation=museum)
    invitation = compact_services.invitation_send(
        compact=world.compact, organisation=museum, email="director@museum.example", by=world.people.administrator
    )
    token = compact_services.invitation_token(invitation)
    user = compact_services.invitation_register(
        token=token, first_name="Morgan", last_name="Day", password="a-long-pass-2026"
    )
    assert (user.username, user.email, user.get_full_name()) == (
        "director@museum.example",
        "director@museum.example",
        "Morgan Day",
    )
    assert user.check_password("a-long-pass-2026")
    membership = Membership.objects.get(user=user, organisation=museum)
    assert (membership.status, membership.is_contact) == ("confirmed", True)
    with pytest.raises(compact_services.Refused):  # used: no second account, nothing changed
        compact_services.invitation_register(token=token, first_name="Other", last_name="Day", password="x-2026-pass")
    assert get_user_model().objects.filter(username__iexact="director@museum.example").count() == 1


def test_only_the_compact_s_administrators_name_or_invite_and_only_for_its_signatories(world, library):
    membership = Membership.objects.get(user=world.people.library_colleague)
    for by in (world.people.library_contact, world.people.chair, world.people.bystander):
        with pytest.raises(compact_services.Refused):
            compact_services.contact_name(compact=world.compact, membership=membership, by=by)
        with pytest.raises(compact_services.Refused):
            compact_services.invitation_send(
                compact=world.compact, organisation=world.library, email="x@example.org", by=by
            )
    stranger = OrganisationFactory(name="Elsewhere Trust")
    with pytest.raises(compact_services.Refused):
        compact_services.invitation_send(
            compact=world.compact, organisation=stranger, email="x@example.org", by=world.people.administrator
        )
    assert not Email.objects.filter(about__startswith="invitation:").exists()


def test_the_complaint_page_says_who_has_been_told_and_whether_anyone_can_answer(client, world):
    museum = OrganisationFactory(name="Testshire Museum", sector="public", kind="council")
    SignatoryFactory(compact=world.compact, section=world.stages[0].section, organisation=museum)
    complaint = against(world, museum)
    client.force_login(world.people.vcs_member)
    text = page_text(client.get(f"/complaints/{complaint.pk}/").content)
    assert "Who has been told Testshire Helpers" in text
    assert "Testshire Museum Nobody can answer yet" in text
    assert "The Compact's administrators" in text
    assert "Name who answers for" not in text  # for the administrators only
    client.force_login(world.people.administrator)
    text = page_text(client.get(f"/complaints/{complaint.pk}/").content)
    assert "Name who answers for Testshire Museum" in text


def test_after_submitting_the_complainant_is_told_what_happens_next(client, world):
    complaint = raise_complaint(world, submit=False)
    client.force_login(world.people.vcs_member)
    response = client.post(
        f"/complaints/{complaint.pk}/edit/",
        {
            "complainant": world.charity.pk,
            "summary": "Cut",
            "what_happened": "Cut.",
            "outcome_wanted": "Undo.",
            "respondent": world.council.pk,
            "commitments": [world.commitments[0].pk],
            "submit": "1",
        },
    )
    assert response.status_code == 302 and response["Location"] == f"/complaints/{complaint.pk}/submitted/"
    text = page_text(client.get(response["Location"]).content)
    complaint.refresh_from_db()
    assert f"Complaint submitted Your reference {complaint.reference}" in text
    assert "What happens next" in text and "Expect an answer by" in text
    assert "20 working days from" in text
    assert "Who has been told Testshire Helpers" in text


# The permission walk for an organisation with no Champion: its contact, its other member, someone invited but not
# yet accepted, another organisation's member, a visitor. Expectations are written out, not worked out.
NO_CHAMPION_ACTIONS = {  # a complaint just submitted, at the first stage, against the library
    "library_contact": {Action.ACKNOWLEDGE, Action.MEETING, Action.EXTEND, Action.OFFICERS},
    "vcs_member": {Action.LODGE, Action.REFER, Action.RESOLVE, Action.WITHDRAW},
    "administrator": {Action.REFER, Action.RESOLVE, Action.EXTEND},
}
NOT_SEEN = ["library_colleague", "invited", "bystander", "council_member"]
PAGES = [a for a in Action if a not in (Action.EDIT, Action.SUBMIT)]


@pytest.fixture
def walk(world, library):
    invited = UserFactory(username="invited@library.example")
    compact_services.invitation_send(
        compact=world.compact, organisation=library, email="invited@library.example", by=world.people.administrator
    )
    world.people.invited = invited
    return against(world, library)


@pytest.mark.parametrize("who", [*NO_CHAMPION_ACTIONS, *NOT_SEEN, "visitor"])
def test_the_walk_for_an_organisation_with_no_champion(client, world, walk, who):
    if who != "visitor":
        client.force_login(getattr(world.people, who))
    page = client.get(f"/complaints/{walk.pk}/")
    expected_page = 302 if who == "visitor" else 200 if who in NO_CHAMPION_ACTIONS else 404
    assert page.status_code == expected_page
    for action in PAGES:
        response = client.get(f"/complaints/{walk.pk}/{action}/")
        if who == "visitor":
            assert response.status_code == 302
        elif who in NOT_SEEN:
            assert response.status_code == 404, action
        else:
            assert response.status_code == (200 if action in NO_CHAMPION_ACTIONS[who] else 403), action
    if who != "visitor":
        person = permissions.person(getattr(world.people, who))
        listed = permissions.visible_complaints(person).filter(pk=walk.pk).exists()
        assert listed == (who in NO_CHAMPION_ACTIONS)  # the list's rule and the page's agree


def test_emails_name_the_complaint_by_who_it_is_about_and_its_stage_in_words(world, django_capture_on_commit_callbacks):
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        complaint = raise_complaint(world)
    raised = next(m for m in mail.outbox if m.subject.endswith(": raised"))
    assert raised.subject == f"Complaint {complaint.reference} about {complaint.respondent}: raised"
    stage = complaint.current_stage
    assert f"It is at stage {stage.order} of the {world.compact.short_name} procedure: “{stage.name}”." in raised.body
