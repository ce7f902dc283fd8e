"""Two app servers behind one address, as in production: two gunicorn processes on two ports sharing the test
database, a Redis cache, the S3 endpoint's bucket and a Celery worker on Redis. A browser signs in on one and is
signed in on the other, a public page cached by one is refreshed on the other as soon as the content changes
through the first, evidence uploaded through one downloads through the other, the worker (not either server)
sends the emails, and failed sign-ins count across both."""

import datetime
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import global_settings
from django.core.management import call_command
from playwright.sync_api import expect

from compact_portal.tests.processes import free_port, wait_for
from compacts.cache import VERSION_TTL
from compacts.models import Email, WorkPlanAction
from compacts.tests.factories import UserFactory, compact_role, darlington_people
from disputes.models import Attachment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery staple"  # the factories' password
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
LOCKOUT_AFTER = 3  # failed sign-ins, for this test (AXES_FAILURE_LIMIT)


@pytest.fixture
def darlington(database_url, settings):
    """Darlington's Compact with a member and a Champion of each side and an administrator, in the database the
    servers share (loaded after database_url, which on SQLite moves the test to a file the servers can open).
    Their passwords are hashed as the servers check them, not with the tests' quick hasher."""
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    call_command("loaddata", "themes", "darlington", verbosity=0)
    compact, people = darlington_people()
    people["administrator"] = UserFactory(username="ada@evolution.example", first_name="Ada", last_name="Lane")
    compact_role(people["administrator"], compact, "administrator")
    return people


@pytest.fixture
def app_servers(database_url, cache_redis_url, redis_url, s3_endpoint, mail_server, tmp_path):
    """Two gunicorn servers (one sync worker each) on free ports, sharing everything production shares."""
    bucket = s3_endpoint.bucket
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CONN_MAX_AGE": "0",
        "CACHE_URL": cache_redis_url,
        "PAGE_CACHE": "true",
        "CELERY_BROKER_URL": redis_url,
        "STORAGE_URL": (
            f"s3://{bucket['bucket_name']}?endpoint_url={bucket['endpoint_url']}&region_name={bucket['region_name']}"
        ),
        "AWS_ACCESS_KEY_ID": bucket["access_key"],
        "AWS_SECRET_ACCESS_KEY": bucket["secret_key"],
        "EMAIL_URL": mail_server.url,
        "AXES_FAILURE_LIMIT": str(LOCKOUT_AFTER),
        "LOG_LEVEL": "WARNING",
    }
    servers = []
    for n in range(2):
        port = free_port()
        log = tmp_path / f"gunicorn-{n}.log"
        with log.open("wb") as output:
            process = subprocess.Popen(  # noqa: S603 our own server, on loopback
                [sys.executable, "-m", "gunicorn", "compact_portal.wsgi", "-w", "1", "-b", f"127.0.0.1:{port}"],
                env=environment,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        servers.append((process, f"http://127.0.0.1:{port}", log))
    try:
        for process, url, log in servers:
            wait_for(lambda url=url, process=process: _answers(url) or process.poll() is not None, "up", 30)
            assert process.poll() is None, f"gunicorn stopped:\n{log.read_text()}"
        yield [url for _, url, _ in servers]
    finally:
        for process, _, _ in servers:
            process.terminate()
            process.wait(timeout=30)


def _answers(url):
    try:
        with urllib.request.urlopen(f"{url}/health/", timeout=1) as response:  # noqa: S310 our own server
            return response.status == 200
    except OSError:
        return False


def sign_in(page, server, user, password=PASSWORD):
    page.goto(f"{server}/accounts/login/")
    page.get_by_label("Email address").fill(user.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_two_app_servers_share_sessions_pages_files_emails_and_lockouts(
    darlington, app_servers, worker, mail_server, s3_endpoint, browser, check_page, tmp_path
):
    one, other = app_servers
    worker_process = worker()
    people = darlington

    # A visitor's public page, cached by the other server.
    visitor = browser.new_context(bypass_csp=True).new_page()
    visitor.goto(f"{other}/compacts/darlington/work-plan/")
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Work plan")
    expect(visitor.get_by_text("No work plan has been published here yet.")).to_be_visible()
    check_page(visitor)

    # The administrator signs in on one server and is signed in on the other (one session, in the database).
    admin = browser.new_context(bypass_csp=True).new_page()
    sign_in(admin, one, people["administrator"])
    admin.goto(f"{other}/manage/darlington/work-plan/")
    expect(admin.get_by_role("heading", level=1)).to_have_text("Keep the work plan")

    # An action added through the first server shows on the second's cached page within a second.
    admin.goto(f"{one}/manage/darlington/work-plan/new/")
    admin.get_by_label("What will be done").fill("Run Compact awareness sessions for new council staff")
    admin.get_by_label("Who leads it").fill("eVOLution")
    due = admin.get_by_role("group", name="Due by")
    due.get_by_label("Day").fill("31")
    due.get_by_label("Month").fill("3")
    due.get_by_label("Year").fill(str(datetime.date.today().year + 1))
    admin.get_by_label("Not started").check()
    admin.get_by_role("button", name="Save the action").click()
    assert WorkPlanAction.objects.filter(compact__slug="darlington").count() == 1
    changed = time.monotonic()
    # The other server trusts the content version it read for up to a second (compacts.cache.VERSION_TTL), then
    # reads the new one from Redis: the change is on its cached page within that second and a page load.
    # (Asked outside the browser's own cache, which may keep a public page for PUBLIC_PAGE_SECONDS.)
    while True:
        page = visitor.request.get(f"{other}/compacts/darlington/work-plan/")
        if "Run Compact awareness sessions for new council staff" in page.text():
            break
        assert time.monotonic() - changed < VERSION_TTL + 0.5, "the other server still serves the old page"
        time.sleep(0.05)
    visitor.reload()
    expect(visitor.get_by_text("Run Compact awareness sessions for new council staff")).to_be_visible()
    check_page(visitor)

    # A complaint with evidence raised through the first server.
    evidence = tmp_path / "grant-letter.pdf"
    evidence.write_bytes(PDF)
    member_page = browser.new_context(bypass_csp=True).new_page()
    sign_in(member_page, one, people["vcs"])
    member_page.goto(f"{one}/compacts/darlington/commitments/public-6/")
    member_page.get_by_role("link", name="Report a breach of this commitment").click()
    member_page.get_by_label("Which organisation broke the commitment?").select_option(
        label="Darlington Borough Council"
    )
    member_page.get_by_label("Summary").fill("Day centre grant cut without notice")
    member_page.get_by_label("What happened?").fill("Our grant was cut by half with three weeks' notice.")
    member_page.get_by_label("What outcome do you want?").fill("Restore the grant until the review is consulted on.")
    member_page.get_by_label("Evidence").set_input_files(str(evidence))
    member_page.get_by_role("button", name="Submit the complaint").click()
    reference = f"DAR-{datetime.date.today().year}-0001"
    expect(member_page.get_by_role("heading", level=1)).to_have_text("Complaint submitted")
    expect(member_page.locator(".govuk-panel")).to_contain_text(reference)

    # The file is in the bucket, under its random name, and nowhere else.
    attachment = Attachment.objects.get()
    stored = s3_endpoint.client.get_object(Bucket=s3_endpoint.bucket["bucket_name"], Key=attachment.file.name)
    assert stored["Body"].read() == PDF and "grant-letter" not in attachment.file.name

    # The council's Champion, on the other server, downloads it byte for byte.
    champion = browser.new_context(bypass_csp=True).new_page()
    sign_in(champion, other, people["council_champion"])
    champion.goto(f"{other}/complaints/")
    champion.get_by_role("link", name=reference).click()
    expect(champion.get_by_role("heading", level=1)).to_have_text(f"Complaint {reference}")
    check_page(champion)
    with champion.expect_download() as download:
        champion.get_by_role("link", name="grant-letter.pdf").click()
    assert download.value.suggested_filename == "grant-letter.pdf"
    assert Path(download.value.path()).read_bytes() == PDF

    # The complaint's emails were handed to the worker, which sent them: neither server sent mail itself.
    emails = Email.objects.filter(about__startswith="complaint:")
    assert emails.exists()
    wait_for(lambda: not emails.filter(sent_at__isnull=True).exists(), "every email sent")
    assert set(emails.values_list("to", flat=True)) <= set(mail_server.received)
    assert worker_process.poll() is None
    log = (tmp_path / "worker-0.log").read_text()
    assert log.count("compacts.tasks.send_email") >= emails.count()

    # Failed sign-ins count across both servers: the lockout follows on either.
    stranger = browser.new_context(bypass_csp=True).new_page()
    for n in range(LOCKOUT_AFTER):
        sign_in(stranger, (one, other)[n % 2], people["council_champion"], password="not the password")
    sign_in(stranger, other, people["council_champion"])
    expect(stranger.get_by_role("heading", level=1)).to_have_text("Too many attempts to sign in")
    sign_in(stranger, one, people["council_champion"])
    expect(stranger.get_by_role("heading", level=1)).to_have_text("Too many attempts to sign in")
