"""Evidence files in S3-compatible object storage, on a real S3 endpoint (moto's server: see the root conftest):
what lands in the bucket and under which name, what comes back out and to whom, and that nothing there is public
or ever replaced. Tests taking `evidence_storage` unparametrised run on the folder too."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from disputes import services
from disputes.models import Complaint
from disputes.tests.factories import raise_complaint

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# Larger than FILE_UPLOAD_MAX_MEMORY_SIZE, so it is uploaded from a temporary file and downloaded through one, and
# every byte value appears in it, so a byte lost or changed on the way shows.
LARGE_PDF = PDF + bytes(range(256)) * (3 * 4096)
PUBLIC = (
    "http://acs.amazonaws.com/groups/global/AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
)
IN_THE_BUCKET = pytest.mark.parametrize("evidence_storage", ["s3"], indirect=True)


def keys(s3_endpoint):
    listing = s3_endpoint.client.list_objects_v2(Bucket=s3_endpoint.bucket["bucket_name"])
    return {entry["Key"] for entry in listing.get("Contents", [])}


def requests_to(storage):
    """Every request the storage sends to the bucket from now on (in this thread, where the test client runs
    views), as (method, URL)."""
    sent = []

    def record(request, **kwargs):
        sent.append((request.method, request.url))  # returns None, so the request still goes

    storage.connection.meta.client.meta.events.register("before-send.s3", record)
    return sent


@IN_THE_BUCKET
def test_a_file_uploaded_with_a_complaint_lands_in_the_bucket_under_a_random_name(
    client, world, evidence_storage, s3_endpoint, tmp_path
):
    before = keys(s3_endpoint)
    client.force_login(world.people.vcs_member)
    response = client.post(
        "/complaints/new/",
        {
            "compact": world.compact.slug,
            "complainant": world.charity.pk,
            "respondent": world.council.pk,
            "summary": "Cut",
            "what_happened": "Cut.",
            "outcome_wanted": "Undo.",
            "commitments": [world.commitments[0].pk],
            # The browser's claim is what a bucket would serve the file with, were it left to choose.
            "files": [SimpleUploadedFile("grant-letter.pdf", LARGE_PDF, content_type="text/html")],
        },
    )
    assert response.status_code == 302
    attachment = Complaint.objects.get().attachments.get()
    assert keys(s3_endpoint) - before == {attachment.file.name}
    assert "grant-letter" not in attachment.file.name
    assert list(tmp_path.iterdir()) == []  # nothing on the local disk
    bucket = s3_endpoint.bucket["bucket_name"]
    stored = s3_endpoint.client.get_object(Bucket=bucket, Key=attachment.file.name)
    assert stored["Body"].read() == LARGE_PDF
    assert (stored["ContentType"], stored["ContentDisposition"]) == ("application/octet-stream", "attachment")
    grants = s3_endpoint.client.get_object_acl(Bucket=bucket, Key=attachment.file.name)["Grants"]
    assert [grant for grant in grants if grant["Grantee"].get("URI") in PUBLIC] == []

    download = client.get(f"/complaints/{attachment.complaint_id}/files/{attachment.pk}/")
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="grant-letter.pdf"'
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Cache-Control"] == "private, no-store"
    assert b"".join(download.streaming_content) == LARGE_PDF


@IN_THE_BUCKET
def test_someone_who_may_not_see_the_complaint_gets_404_and_nothing_is_read_from_the_bucket(
    client, world, evidence_storage
):
    complaint = raise_complaint(world, files=[SimpleUploadedFile("proof.pdf", PDF)])
    attachment = complaint.attachments.get()
    elsewhere = raise_complaint(world)
    sent = requests_to(evidence_storage)
    client.force_login(world.people.bystander)
    assert client.get(f"/complaints/{complaint.pk}/files/{attachment.pk}/").status_code == 404
    client.force_login(world.people.respondent_champion)  # may see both complaints; the file is only on the first
    assert client.get(f"/complaints/{elsewhere.pk}/files/{attachment.pk}/").status_code == 404
    assert sent == []

    response = client.get(f"/complaints/{complaint.pk}/files/{attachment.pk}/")
    assert b"".join(response.streaming_content) == PDF
    assert ("GET", f"{evidence_storage.endpoint_url}/{evidence_storage.bucket_name}/{attachment.file.name}") in sent


@IN_THE_BUCKET
def test_a_url_for_a_file_in_the_bucket_is_signed_and_lasts_a_minute(evidence_storage):
    name = evidence_storage.save("2026/01/signed", ContentFile(PDF))
    url = evidence_storage.url(name)
    assert "X-Amz-Signature=" in url and "X-Amz-Expires=60&" in url


def test_a_name_already_taken_is_never_overwritten(evidence_storage):
    first = evidence_storage.save("2026/01/taken", ContentFile(b"first"))
    second = evidence_storage.save("2026/01/taken", ContentFile(b"second"))
    assert first != second
    with evidence_storage.open(first) as kept, evidence_storage.open(second) as added:
        assert (kept.read(), added.read()) == (b"first", b"second")


def test_removing_a_draft_file_deletes_it_from_storage_once_that_commits(
    world, evidence_storage, django_capture_on_commit_callbacks
):
    complaint = raise_complaint(world, submit=False, files=[SimpleUploadedFile("proof.pdf", PDF)])
    attachment = complaint.attachments.get()
    assert evidence_storage.exists(attachment.file.name)
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_remove_draft_file(
            complaint=complaint, by=world.people.vcs_member, attachment_id=attachment.pk
        )
    assert not evidence_storage.exists(attachment.file.name)
