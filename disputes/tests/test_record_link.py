"""A complaint raised from a record of Compact working has the record's address in what happened (issue 25,
item 10): the complaint's page makes it a link to the record; other addresses stay words."""

from django.conf import settings
from django.template import Context, Template
from django.test import override_settings

from compacts.tests.document_check import page_text
from disputes.tests.factories import raise_complaint

RECORD = "/compacts/testshire/records/7/"


def linked(text):
    return Template("{% load portal %}{{ text|linebreaks_linked }}").render(Context({"text": text}))


def test_the_address_of_the_record_a_complaint_was_raised_from_is_a_link(client, world):
    what_happened = f"A consultation by Testshire Council.\n\nThe record: {settings.SITE_URL}{RECORD}"
    complaint = raise_complaint(world, what_happened=what_happened)
    client.force_login(world.people.vcs_member)
    page = client.get(complaint.get_absolute_url()).content.decode()
    assert f'<a class="govuk-link" href="{RECORD}">{settings.SITE_URL}{RECORD}</a>' in page
    assert "The record: " in page_text(page.encode())


@override_settings(SITE_URL="https://compacts.example")
def test_only_the_portals_own_addresses_are_linked_and_the_rest_is_escaped():
    assert linked("See https://compacts.example/compacts/dorset/records/5/.") == (
        '<p>See <a class="govuk-link" href="/compacts/dorset/records/5/">'
        "https://compacts.example/compacts/dorset/records/5/</a>.</p>"
    )
    assert linked("See https://elsewhere.example/compacts/dorset/records/5/") == (
        "<p>See https://elsewhere.example/compacts/dorset/records/5/</p>"
    )
    assert linked('<b>"/compacts/x/"</b>\nnext') == (
        '<p>&lt;b&gt;&quot;<a class="govuk-link" href="/compacts/x/">/compacts/x/</a>&quot;&lt;/b&gt;<br>next</p>'
    )
    assert linked("Line one\n\nLine two") == "<p>Line one</p>\n\n<p>Line two</p>"
