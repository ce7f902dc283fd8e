"""Running a Compact: confirming addresses, sign-ups, memberships and Champions, each through its service, each
recorded for the Compact's administrators and emailed after it commits."""

import datetime

import pytest
from django.core import mail, signing
from django.forms import ValidationError

from compacts import services
from compacts.forms import clean_identifier
from compacts.models import (
    ChangeRecord,
    ConfirmedEmail,
    IdentifierScheme,
    Membership,
    Signatory,
    SignUp,
    SignUpStatus,
)
from compacts.permissions import Refused, email_confirmed
from compacts.tests.factories import UserFactory, member

pytestmark = pytest.mark.django_db


def ask(running, by=None, organisation=None, **changes):
    details = {
        "sector": "vcs",
        "kind": "charity",
        "identifier_scheme": IdentifierScheme.CHARITY,
        "identifier": "1123456",
        "signed_by_name": "Nia Okafor",
        "signed_by_role": "Chair",
        **changes,
    }
    return services.sign_up_request(
        by=by or running.people.newcomer,
        compact=running.compact,
        organisation=organisation or running.group,
        **details,
    )


def confirm_address(user):
    services.email_confirm(user=user, token=services.confirmation_token(user))


def confirm_newcomer(running):
    """The administrator decides the newcomer's request to join New Group: its own decision, before the sign-up."""
    services.membership_decide(membership=running.request, by=running.people.administrator, confirm=True)


# Confirming an address -------------------------------------------------------------------------------------------


def test_the_emailed_link_confirms_the_address(running, django_capture_on_commit_callbacks):
    newcomer = running.people.newcomer
    with django_capture_on_commit_callbacks(execute=True):
        services.email_confirmation_send(user=newcomer)
    assert mail.outbox[-1].to == [newcomer.email] and "/account/confirm-email/" in mail.outbox[-1].body
    assert not email_confirmed(newcomer)
    confirm_address(newcomer)
    assert email_confirmed(newcomer)


def test_a_link_for_someone_else_or_an_old_address_or_too_old_is_refused(running, monkeypatch):
    newcomer, bystander = running.people.newcomer, running.people.bystander
    with pytest.raises(Refused, match="another account or address"):
        services.email_confirm(user=newcomer, token=services.confirmation_token(bystander))
    token = services.confirmation_token(newcomer)
    newcomer.email = "changed@group.example"
    newcomer.save()
    with pytest.raises(Refused, match="another account or address"):
        services.email_confirm(user=newcomer, token=token)
    with pytest.raises(Refused, match="not right"):
        services.email_confirm(user=newcomer, token=token[:-3])
    token = services.confirmation_token(newcomer)
    later = signing.time.time() + 8 * 24 * 3600
    monkeypatch.setattr(signing.time, "time", lambda: later)
    with pytest.raises(Refused, match="expired"):
        services.email_confirm(user=newcomer, token=token)
    assert not ConfirmedEmail.objects.filter(user=newcomer).exists()


def test_a_changed_address_is_unconfirmed_until_its_own_link(running):
    officer = running.people.officer
    assert email_confirmed(officer)
    officer.email = "new.address@council.example"
    officer.save()
    assert not email_confirmed(officer)


# Identifiers -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scheme", "typed", "kept"),
    [
        (IdentifierScheme.CHARITY, "1123456", "1123456"),
        (IdentifierScheme.CHARITY, "sc012345", "SC012345"),
        (IdentifierScheme.CHARITY, "1123456-1", "1123456-1"),
        (IdentifierScheme.COMPANY, "1234567", "01234567"),
        (IdentifierScheme.COMPANY, "sc 123456", "SC123456"),
        (IdentifierScheme.PUBLIC_BODY, "e06000059", "E06000059"),
        (IdentifierScheme.PUBLIC_BODY, "RBD", "RBD"),
    ],
)
def test_identifiers_are_written_as_their_register_writes_them(scheme, typed, kept):
    assert clean_identifier(scheme, typed) == kept


@pytest.mark.parametrize(
    ("scheme", "typed"),
    [
        (IdentifierScheme.CHARITY, "12345"),
        (IdentifierScheme.CHARITY, "charity"),
        (IdentifierScheme.COMPANY, "123456789"),
        (IdentifierScheme.PUBLIC_BODY, "E0600005"),
        (IdentifierScheme.PUBLIC_BODY, "Dorset Council"),
    ],
)
def test_an_identifier_of_the_wrong_form_is_refused(scheme, typed):
    with pytest.raises(ValidationError):
        clean_identifier(scheme, typed)


# Signing up ------------------------------------------------------------------------------------------------------


def test_signing_up_needs_a_confirmed_address_and_a_person_of_the_organisation(running):
    with pytest.raises(Refused, match="Confirm your email address"):
        ask(running)
    with pytest.raises(Refused, match="Only confirmed members of New Group"):
        ask(running, by=running.people.bystander)
    assert not SignUp.objects.exists()


def test_waiting_to_join_an_organisation_that_exists_gives_no_say_over_it(running):
    """The attack: register naming an existing organisation (the request waits), confirm the address, then sign it
    up to another Compact, whose administrators would then have decided who belongs to it."""
    stranger = UserFactory(username="stranger@anywhere.example")
    waiting = Membership.objects.create(user=stranger, organisation=running.council)
    with pytest.raises(Refused, match="Only confirmed members of Testshire Council"):
        services.sign_up_request(
            by=stranger,
            compact=running.other,
            organisation=running.council,
            sector="public",
            kind="council",
            identifier_scheme=IdentifierScheme.COMPANY,
            identifier="01234567",
            signed_by_name="A Stranger",
            signed_by_role="Leader",
        )
    running.council.refresh_from_db()
    assert not SignUp.objects.exists() and running.council.identifier == ""
    # A sign-up asked for by one of its confirmed people still gives the other Compact no say over its members.
    services.sign_up_request(
        by=running.people.officer,
        compact=running.other,
        organisation=running.council,
        sector="public",
        kind="council",
        identifier_scheme=IdentifierScheme.COMPANY,
        identifier="",
        signed_by_name="An Officer",
        signed_by_role="Leader",
    )
    with pytest.raises(Refused, match="Only the administrators"):
        services.membership_decide(membership=waiting, by=running.people.other_administrator, confirm=True)
    waiting.refresh_from_db()
    assert waiting.status == "pending"


def test_a_sign_up_is_asked_for_with_the_pledge_and_the_administrators_are_told(
    running, django_capture_on_commit_callbacks
):
    confirm_address(running.people.newcomer)
    with django_capture_on_commit_callbacks(execute=True):
        sign_up = ask(running)
    assert sign_up.status == SignUpStatus.PENDING
    assert "I pledge that we will uphold the shared principles of the Testshire Compact" in sign_up.pledge
    assert sign_up.pledge_source.startswith("The portal's wording")
    running.group.refresh_from_db()
    assert (running.group.identifier, running.group.org_id) == ("1123456", "GB-CHC-1123456")
    assert [m.to for m in mail.outbox] == [["admin@testshire.example"]]
    assert "/manage/testshire/sign-ups/" in mail.outbox[0].body
    assert ChangeRecord.objects.get().action == "Sign-up asked for"
    with pytest.raises(Refused, match="already asked"):
        ask(running)


def test_the_portals_pledge_reads_the_compacts_title_without_a_second_the(running):
    running.compact.title = "The Testshire Compact"
    pledge, _ = services.pledge_for(running.compact, "New Group")
    assert "the shared principles of the Testshire Compact, keep" in pledge


def test_the_documents_own_pledge_is_used_where_it_prints_one(running):
    running.compact.pledge = "We will keep the Compact."
    running.compact.save()
    confirm_address(running.people.newcomer)
    sign_up = ask(running)
    assert (sign_up.pledge, sign_up.pledge_source) == (
        "We will keep the Compact.",
        "As printed in the Testshire Compact.",
    )


def test_a_sign_up_is_confirmed_only_once_its_person_is_a_confirmed_member(running):
    """Membership is decided on its own, never as a side effect of confirming the sign-up."""
    confirm_address(running.people.newcomer)
    sign_up = ask(running)
    with pytest.raises(Refused, match=r"is not a confirmed member of New Group\. Decide their request to join first"):
        services.sign_up_decide(sign_up=sign_up, by=running.people.administrator, confirm=True)
    running.request.refresh_from_db()
    running.group.refresh_from_db()
    sign_up.refresh_from_db()
    assert (running.request.status, running.group.confirmed, sign_up.status) == ("pending", False, "pending")
    assert not Signatory.objects.filter(organisation=running.group).exists()


def test_confirming_makes_it_a_signatory_and_its_confirmed_person_its_contact(
    running, django_capture_on_commit_callbacks
):
    confirm_address(running.people.newcomer)
    sign_up = ask(running)
    confirm_newcomer(running)
    with django_capture_on_commit_callbacks(execute=True):
        services.sign_up_decide(sign_up=sign_up, by=running.people.administrator, confirm=True)
    sign_up.refresh_from_db()
    signatory = sign_up.signatory
    assert (signatory.compact, signatory.organisation, signatory.section) == (running.compact, running.group, None)
    assert signatory.joined_on == datetime.date.today()
    running.group.refresh_from_db()
    running.request.refresh_from_db()
    assert running.group.confirmed and running.request.status == "confirmed" and running.request.is_contact
    assert running.request.decided_by == running.people.administrator
    assert "has signed the Testshire Compact" in mail.outbox[-1].subject
    record = ChangeRecord.objects.filter(action="Sign-up confirmed").get()
    assert (record.by, record.before, record.after) == (
        running.people.administrator,
        {"status": "Waiting for an administrator"},
        {"status": "Signed up"},
    )


def test_a_second_decision_is_told_who_decided_first(running):
    confirm_address(running.people.newcomer)
    sign_up = ask(running)
    confirm_newcomer(running)
    services.sign_up_decide(sign_up=sign_up, by=running.people.administrator, confirm=True)
    with pytest.raises(Refused, match="already signed up by Person"):
        services.sign_up_decide(sign_up=sign_up, by=running.people.site_admin, confirm=False, reason="No")
    assert Signatory.objects.filter(organisation=running.group).count() == 1


def test_declining_needs_a_reason_and_only_this_compacts_administrators_decide(running):
    confirm_address(running.people.newcomer)
    sign_up = ask(running)
    with pytest.raises(Refused, match="Only the administrators of the Testshire Compact"):
        services.sign_up_decide(sign_up=sign_up, by=running.people.other_administrator, confirm=True)
    with pytest.raises(Refused, match="Say why"):
        services.sign_up_decide(sign_up=sign_up, by=running.people.administrator, confirm=False, reason=" ")
    services.sign_up_decide(sign_up=sign_up, by=running.people.site_admin, confirm=False, reason="Not local")
    sign_up.refresh_from_db()
    assert (sign_up.status, sign_up.reason, sign_up.signatory) == ("declined", "Not local", None)


def test_withdrawing_ends_the_signature_and_its_champions_but_keeps_the_record(running):
    confirm_address(running.people.newcomer)
    sign_up = ask(running)
    confirm_newcomer(running)
    services.sign_up_decide(sign_up=sign_up, by=running.people.administrator, confirm=True)
    services.champion_appoint(
        compact=running.compact,
        organisation=running.group,
        user=running.people.newcomer,
        by=running.people.administrator,
    )
    with pytest.raises(Refused, match="Only people of New Group"):
        services.sign_up_withdraw(sign_up=sign_up, by=running.people.bystander)
    services.sign_up_withdraw(sign_up=sign_up, by=running.people.newcomer, reason="Merging")
    sign_up.refresh_from_db()
    assert sign_up.status == "withdrawn" and sign_up.withdrawn_at
    assert not Signatory.objects.filter(organisation=running.group).exists()
    assert not Membership.objects.filter(organisation=running.group, role="champion").exists()
    record = ChangeRecord.objects.get(action="Sign-up withdrawn")
    assert record.before["Champions"] == ["newcomer@group.example"] and record.after["reason"] == "Merging"
    with pytest.raises(Refused, match="nothing to withdraw"):
        services.sign_up_withdraw(sign_up=sign_up, by=running.people.newcomer)
    ask(running)  # it can sign up again


# Memberships -----------------------------------------------------------------------------------------------------


def test_a_request_is_decided_by_an_administrator_of_a_compact_the_organisation_signed_or_asked_to(running):
    with pytest.raises(Refused, match="Only the administrators"):
        services.membership_decide(membership=running.request, by=running.people.administrator, confirm=True)
    confirm_address(running.people.newcomer)
    ask(running)  # New Group asks to sign Testshire: its administrators now decide who belongs
    with pytest.raises(Refused, match="Only the administrators"):
        services.membership_decide(membership=running.request, by=running.people.other_administrator, confirm=True)
    services.membership_decide(membership=running.request, by=running.people.administrator, confirm=True)
    running.request.refresh_from_db()
    assert running.request.status == "confirmed" and running.request.decided_by == running.people.administrator
    assert ChangeRecord.objects.filter(compact=running.compact, action="Membership confirmed").exists()


def test_nobody_is_confirmed_before_their_address_is(running):
    with pytest.raises(Refused, match="Confirm your email address"):
        services.membership_decide(membership=running.request, by=running.people.site_admin, confirm=True)
    with pytest.raises(Refused, match="Say why"):
        services.membership_decide(membership=running.request, by=running.people.site_admin, confirm=False)
    services.membership_decide(membership=running.request, by=running.people.site_admin, confirm=False, reason="Who?")
    with pytest.raises(Refused, match="already refused"):
        services.membership_decide(membership=running.request, by=running.people.site_admin, confirm=False, reason="x")


# Champions -------------------------------------------------------------------------------------------------------


def test_a_champion_is_a_confirmed_member_of_a_signatory_and_replaces_the_last(
    running, django_capture_on_commit_callbacks
):
    administrator, officer = running.people.administrator, running.people.officer
    with pytest.raises(Refused, match="not a confirmed member"):
        services.champion_appoint(
            compact=running.compact, organisation=running.council, user=running.people.bystander, by=administrator
        )
    with pytest.raises(Refused, match="has not signed"):
        services.champion_appoint(compact=running.compact, organisation=running.group, user=officer, by=administrator)
    with pytest.raises(Refused, match="Only the administrators"):
        services.champion_appoint(
            compact=running.compact, organisation=running.council, user=officer, by=running.people.other_administrator
        )
    with django_capture_on_commit_callbacks(execute=True):
        champion = services.champion_appoint(
            compact=running.compact, organisation=running.council, user=officer, by=administrator, public_contact=True
        )
    assert list(Membership.objects.filter(role="champion", compact=running.compact)) == [champion]
    assert {m.to[0] for m in mail.outbox} == {"officer@council.example", "champion@council.example"}
    record = ChangeRecord.objects.get(action="Champion appointed")
    assert record.before == {"Champion": "champion@council.example"}
    assert record.after == {"Champion": "officer@council.example", "contact details shown": "yes"}
    with pytest.raises(Refused, match="already"):
        services.champion_appoint(
            compact=running.compact, organisation=running.council, user=officer, by=administrator, public_contact=True
        )
    services.champion_remove(champion=champion, by=administrator)
    assert not Membership.objects.filter(role="champion", compact=running.compact).exists()
    with pytest.raises(Refused, match="already been removed"):
        services.champion_remove(champion=champion, by=administrator)


def test_a_new_champion_needs_a_confirmed_address(running):
    unconfirmed = UserFactory(username="late@council.example", email_confirmed=False)
    member(unconfirmed, running.council)
    with pytest.raises(Refused, match="Confirm your email address"):
        services.champion_appoint(
            compact=running.compact, organisation=running.council, user=unconfirmed, by=running.people.administrator
        )
