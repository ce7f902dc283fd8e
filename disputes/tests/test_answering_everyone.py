"""Every organisation of the five Compacts, the documents' signatories and the demo's sign-ups alike: a complaint
against it is seen by someone who can act on it (its Champion, else its contact), or is listed for the Compact's
administrators to name someone."""

import datetime

import pytest
from django.core.management import call_command

from compacts.models import Compact, Signatory
from compacts.selectors import administrators_of, who_answers_for
from compacts.tests.factories import OrganisationFactory, UserFactory, member
from disputes import permissions, selectors, services

COMPACTS = ["dorset", "dacorum", "darlington", "derby-derbyshire", "county-durham"]


@pytest.fixture
def everyone(db, settings):
    call_command("loaddata", "themes", *COMPACTS, verbosity=0)
    settings.DEBUG = True  # seed_demo is for trying the portal out, and says so
    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_a_complaint_against_any_organisation_reaches_someone_who_can_act(everyone):
    group = OrganisationFactory(name="Walk Test Group", sector="vcs", kind="charity")
    author = UserFactory(username="author@walk.example")
    member(author, group)
    today = datetime.date.today()
    checked = {"answered": 0, "listed": 0}
    for compact in Compact.objects.order_by("slug"):
        Signatory.objects.create(
            compact=compact,
            organisation=group,
            section=compact.sections.order_by("order").first(),
            order=999,
            role="signed",
        )
        organisations = [
            s.organisation for s in Signatory.objects.filter(compact=compact).select_related("organisation")
        ]
        answerers = who_answers_for(compact.pk, [o.pk for o in organisations])
        administrators = administrators_of(compact.pk)
        commitment = compact.commitments.order_by("pk").first()
        for organisation in organisations:
            if organisation == group:
                continue
            complaint, _ = services.complaint_save_draft(
                by=author,
                compact=compact,
                complainant=group,
                fields={"summary": "Walk", "what_happened": "-", "outcome_wanted": "-", "respondent": organisation},
                commitments=[commitment],
                files=[],
            )
            services.complaint_submit(complaint=complaint, by=author, version=complaint.version)
            complaint.refresh_from_db()
            side = answerers[organisation.pk]
            if side.nobody:
                assert administrators, compact.slug
                for administrator in administrators:
                    listed = selectors.queue(administrator, compact=compact.slug, nobody_answers=True)
                    assert listed.filter(pk=complaint.pk).exists(), (compact.slug, organisation.name)
                checked["listed"] += 1
            else:
                for person in side.people:
                    view = selectors.view_for(permissions.person(person), complaint, today)
                    assert view.visible and view.actions, (compact.slug, organisation.name, person.email)
                checked["answered"] += 1
    # The demo names Champions and contacts for some, and leaves the document's other signatories to the
    # administrators: both paths were walked.
    assert checked["answered"] >= 8 and checked["listed"] >= 20, checked
