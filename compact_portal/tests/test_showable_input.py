"""Characters no page can show (control characters, HTML's noncharacters) are taken out of everything the portal
is sent, so that nothing it keeps or serves makes a page invalid HTML; tabs, line breaks and all real text stay."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from compacts.text import showable
from disputes.models import Complaint
from disputes.tests.conftest import world  # noqa: F401 the fixture
from disputes.tests.test_rules import PDF

pytestmark = pytest.mark.django_db


def test_only_what_no_page_can_show_is_taken_out():
    assert showable("a\x00b\x01c\x02d\x1fe\x7ff\x85g\ufdd0h\uffffi\U0010fffe") == "abcdefghi"
    kept = "Tab\there\r\nline two – £5, café, Cymraeg: ŵ, 😀, \u00a0space"
    assert showable(kept) == kept


def test_a_form_field_and_a_file_name_are_kept_without_them(client, world):  # noqa: F811 the fixture
    client.force_login(world.people.vcs_member)
    response = client.post(
        f"/complaints/new/?compact={world.compact.slug}",
        {
            "complainant": world.charity.pk,
            "summary": "Grant\x01 cut\x02",
            "what_happened": "Line one\x0b\r\nLine two\x00",
            "files": [SimpleUploadedFile("min\x01utes\x7f.pdf", PDF, content_type="application/pdf")],
        },
    )
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert (complaint.summary, complaint.what_happened) == ("Grant cut", "Line one\r\nLine two")
    assert [a.original_name for a in complaint.attachments.all()] == ["minutes.pdf"]
    page = client.get(response["Location"]).content.decode()
    assert "Grant cut" in page and "\x01" not in page and "\x02" not in page


def test_a_query_string_is_read_without_them(client, world):  # noqa: F811 the fixture
    page = client.get("/commitments/", {"q": "fund\x01ing\x02"}).content.decode()
    assert "\x01" not in page and "\x02" not in page and "funding" in page


BIG = "9223372036854775808"  # one more than the database's largest integer


def test_a_number_too_big_for_an_id_is_no_choice_not_a_500(client, world):  # noqa: F811 the fixture
    assert client.get("/commitments/", {"theme": BIG}).status_code == 400  # the filter says it is no theme
    client.force_login(world.people.vcs_member)
    response = client.post(
        f"/complaints/new/?compact={world.compact.slug}",
        {"complainant": world.charity.pk, "respondent": BIG, "commitments": [BIG], "summary": "Big"},
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
