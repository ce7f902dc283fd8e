"""Small things a new user notices on the complaint pages: whole commitment wording, no respondent chosen for them,
the list of Compacts where a trimmed address leads, a panel form offering only who may sit, a plain withdrawal."""

import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from commitments.tests.factories import CommitmentFactory
from compacts.models import CompactVersion
from compacts.tests.factories import CompactFactory, SectionFactory, SignatoryFactory
from disputes import services
from disputes.models import Complaint, EventKind
from disputes.tests.factories import ProcedureFactory, StageFactory, raise_complaint
from disputes.tests.test_rules import PDF
from disputes.tests.test_services import draft
from disputes.workflow import Action

LONG = (
    "Ensure that the views of voluntary and community organisations are taken into account when planning "
    "services, and give feedback on how those views were used, including where respondents' views have not been "
    "acted upon, with the reasons for resolving disagreements openly"
)


def new_form(client, world):
    client.force_login(world.people.vcs_member)
    return html.unescape(client.get(f"/complaints/new/?compact={world.compact.slug}").content.decode())


def test_a_long_commitment_is_cut_at_a_word_with_its_whole_wording_one_click_away(client, world):
    CommitmentFactory(section=world.commitments[0].section, ref="4.1", number="4.1", text=LONG)
    page = new_form(client, world)
    label = re.search(r'<label[^>]*for="id_commitments_\d+">(4\.1 – [^<]*)</label>', page).group(1)
    shown = label.removeprefix("4.1 – ")
    assert shown.endswith("…") and len(shown) <= 221
    prefix = shown.removesuffix("…")
    assert LONG.startswith(prefix) and LONG[len(prefix)] in " ,;:"  # cut between words, not inside one
    assert "The whole commitment" in page and LONG in page


def test_a_short_commitment_is_shown_whole(client, world):
    page = new_form(client, world)
    assert "1.1 – Promise 1.</label>" in page


def test_no_organisation_is_chosen_for_the_complainant_and_public_bodies_come_first(client, world):
    page = new_form(client, world)
    select = re.search(r'<select name="respondent".*?</select>', page, re.S).group(0)
    options = re.findall(r"<option[^>]*>([^<]*)</option>", select)
    assert options[0] == "Choose an organisation"
    assert re.search(r'<option value="" selected>Choose an organisation', select)
    assert options[1] == "Testshire Council"  # public bodies first, though "Other Charity" sorts before it
    groups = re.findall(r'<optgroup label="([^"]*)"', select)
    assert groups == ["Public bodies", "Voluntary and community sector"]


def test_the_list_of_compacts_is_where_a_trimmed_address_leads(client, db):
    response = client.get("/compacts/")
    assert response.status_code == 301 and response["Location"] == "/"


def at_panel(world):
    complaint = raise_complaint(world)
    for who, action in [
        ("vcs_member", Action.LODGE),
        ("respondent_champion", Action.RESPOND),
        ("vcs_member", Action.ESCALATE),
    ]:
        complaint.refresh_from_db()
        services.complaint_act(
            complaint=complaint, by=getattr(world.people, who), action=action, version=complaint.version, text="Yes."
        )
    complaint.refresh_from_db()
    return complaint


def test_the_panel_form_offers_only_who_may_sit_and_says_why_the_others_are_not_there(client, world):
    complaint = at_panel(world)
    client.force_login(world.people.chair)
    page = html.unescape(client.get(f"/complaints/{complaint.pk}/convene/").content.decode())
    members = re.search(r'name="members".*?</fieldset>', page, re.S).group(0)
    offered = set(re.findall(r"\(([^()\s]+@[^()\s]+)\)\s*</label>", members))
    assert "panel@cvs.example" in offered and "chair@cvs.example" in offered
    for party in ("staff@council.example", "champion@council.example", "member@helpers.example"):
        assert party not in offered
    assert "Who is not listed, and why" in page
    council_member = world.people.council_member.get_full_name()
    assert f"{council_member}: they belong to Testshire Council, a party to this complaint" in page


def test_withdrawing_says_what_it_does_and_who_will_be_told(client, world):
    complaint = at_panel(world)
    client.force_login(world.people.vcs_member)
    page = html.unescape(client.get(f"/complaints/{complaint.pk}/withdraw/").content.decode())
    assert "It cannot be reopened, by you or by anyone else." in page
    assert "you can raise a new complaint" in page
    told = re.search(r"We will email:</p>\s*<ul[^>]*>(.*?)</ul>", page, re.S).group(1)
    for person in ("complainant_champion", "respondent_champion"):
        assert getattr(world.people, person).get_full_name() in told
    assert world.people.vcs_member.get_full_name() not in told  # not the person withdrawing
    assert "Why you are withdrawing it (optional)" in page


def test_a_complaint_links_to_the_version_it_was_raised_under_and_to_todays_wording(client, world):
    before = raise_complaint(world)
    CompactVersion.objects.create(compact=world.compact, number=1, content={}, created_at=before.submitted_at)
    CompactVersion.objects.create(compact=world.compact, number=2, content={})
    after = raise_complaint(world)
    client.force_login(world.people.vcs_member)
    ref = world.commitments[0].ref
    for complaint, number in [(before, 1), (after, 2)]:
        text = client.get(f"/complaints/{complaint.pk}/").content.decode()
        assert f'href="/compacts/{world.compact.slug}/versions/{number}/#commitment-{ref}"' in text
        assert f"The Compact as it read then (version {number})" in text
        assert world.commitments[0].get_absolute_url() in text


def test_a_complaint_keeps_the_version_it_was_raised_under_when_a_new_one_is_published(client, world):
    CompactVersion.objects.create(compact=world.compact, number=1, content={})
    complaint = raise_complaint(world)
    assert complaint.cited_version == 1
    CompactVersion.objects.create(compact=world.compact, number=2, content={})
    client.force_login(world.people.vcs_member)
    text = client.get(f"/complaints/{complaint.pk}/").content.decode()
    assert f'href="/compacts/{world.compact.slug}/versions/1/#commitment-{world.commitments[0].ref}"' in text
    assert "versions/2/" not in text


@pytest.mark.usefixtures("evidence_storage")
def test_a_draft_cites_no_version_until_it_is_submitted(client, world):
    CompactVersion.objects.create(compact=world.compact, number=1, content={})
    complaint = draft(world)
    assert complaint.cited_version is None
    client.force_login(world.people.vcs_member)
    text = client.get(f"/complaints/{complaint.pk}/").content.decode()
    assert "The Compact as it read then" not in text
    assert world.commitments[0].get_absolute_url() in text  # today's wording, which is what a draft cites


@pytest.mark.usefixtures("evidence_storage")
def test_the_timeline_lists_each_event_s_files_under_that_event(client, world):
    complaint = raise_complaint(world, files=[SimpleUploadedFile("minutes.pdf", PDF, content_type="application/pdf")])
    submitted = complaint.events.get(kind=EventKind.SUBMITTED)
    attachment = complaint.attachments.get()
    assert attachment.event_id == submitted.pk
    client.force_login(world.people.vcs_member)
    page = client.get(f"/complaints/{complaint.pk}/").content.decode()
    block = page.split(f'id="event-{submitted.pk}"', 1)[1].split('class="app-timeline-event"', 1)[0]
    assert f'href="/complaints/{complaint.pk}/files/{attachment.pk}/">minutes.pdf</a>' in block
    assert page.count("minutes.pdf</a>") == 1


def test_a_good_file_sent_with_an_empty_one_is_kept_and_the_empty_one_named(client, world):
    client.force_login(world.people.vcs_member)
    response = client.post(
        f"/complaints/new/?compact={world.compact.slug}",
        {
            "complainant": world.charity.pk,
            "summary": "Cut",
            "files": [
                SimpleUploadedFile("minutes.pdf", PDF, content_type="application/pdf"),
                SimpleUploadedFile("blank.pdf", b"", content_type="application/pdf"),
            ],
        },
    )
    assert response.status_code == 400
    text = html.unescape(response.content.decode())
    assert "blank.pdf: The file is empty." in text
    (complaint,) = world.compact.complaints.all()
    assert [a.original_name for a in complaint.attachments.all()] == ["minutes.pdf"]


def test_the_stage_filter_names_each_stage_by_its_own_procedure_grouped_by_compact(client, world):
    """Stage 2 means something different in each Compact: the filter says which procedure's stage it is."""
    other = CompactFactory(slug="otherton", short_name="Otherton")
    SignatoryFactory(section=SectionFactory(compact=other), organisation=world.charity)
    StageFactory(procedure=ProcedureFactory(compact=other), order=1, label="Stage 1", name="Talk it through")
    raise_complaint(world, summary="First")
    second = raise_complaint(world, summary="Second")
    Complaint.objects.filter(pk=second.pk).update(current_stage=world.stages[1])
    client.force_login(world.people.vcs_member)
    page = html.unescape(client.get("/complaints/").content.decode())
    select = re.search(r'<select[^>]*name="stage".*?</select>', page, re.S).group()
    assert re.findall(r'<optgroup label="([^"]+)">', select) == ["Otherton", "Testshire"]
    assert "Stage 1: Talk it through" in select and ">Panel</option>" in select and ">Stage 2<" not in select
    panel = client.get("/complaints/", {"stage": world.stages[1].pk}).content.decode()
    assert "Second" in panel and "First" not in panel
    assert f'<option value="{world.stages[1].pk}" selected>Panel</option>' in panel


def test_with_one_compact_the_stage_filter_lists_its_stages_without_grouping(client, world):
    client.force_login(world.people.vcs_member)
    page = client.get("/complaints/").content.decode()
    select = re.search(r'<select[^>]*name="stage".*?</select>', page, re.S).group()
    assert "<optgroup" not in select and ">Panel</option>" in select and ">National</option>" in select
