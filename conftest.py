"""Shared test fixtures, the S3 endpoint the evidence-file tests use, and the browser-test harness.

The S3 endpoint is moto's server (`moto_server`, from requirements-dev.txt) on a free port of 127.0.0.1, one
per test worker, started when a test first needs it and stopped at the end. Tests that need it are skipped
where moto_server is not installed, except under CI (CI=true), where that is an error; a server that is
installed but will not start is an error anywhere. `evidence_storage` runs a test twice: with evidence
files in a folder, then in the endpoint's bucket.

Browser tests (marked `browser`) drive the system Chromium through Playwright
against pytest-django's live server. They are skipped where Chromium is not
installed, except under CI (CI=true), where a missing browser is an error.
Two checks any browser test can call on a page: `assert_accessible(page)`
runs axe-core in the page; `assert_valid_html(html)` runs the Nu HTML Checker.
The checker runs as its own web service on loopback, one per test worker,
started as the run starts when browser tests are selected (a JVM takes seconds
to start; each check then takes milliseconds) and stopped at the end.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest
from pytest_django.live_server_helper import LiveServer

from compact_portal.tests.processes import free_port

ROOT = Path(__file__).resolve().parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
VNU_START_SECONDS = 120  # about 10 on an idle machine
MOTO_SERVER = Path(sys.executable).with_name("moto_server")  # installed beside the interpreter, in the venv
MOTO_START_SECONDS = 30  # it answers within a second on an idle machine
S3_BUCKET = "evidence"
S3_REGION = "eu-west-2"

# Playwright's sync API runs an event loop in the test thread; Django's ORM
# calls from tests are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config):
    # A second, in-memory SQLite database, created only for the tests that ask for it (databases=["default",
    # "sqlite_twin"]): on a PostgreSQL run, the search tests compare the two databases' answers.
    from django.conf import settings
    from django.db import connections

    settings.DATABASES["sqlite_twin"] = {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
    connections.configure_settings(settings.DATABASES)  # fills in the defaults Django gives every database


class NuChecker:
    """The Nu HTML Checker's web service (vnu.jar's servlet) on a free port of 127.0.0.1: it answers exactly as
    `java -jar vnu.jar` does for a file (same messages, same types), without a JVM's start for each page."""

    def __init__(self):
        self.process = None
        self.url = None
        self.log = None
        self.ready = False

    def start(self):
        if self.process is not None:
            return
        port = free_port()
        self.url = f"http://127.0.0.1:{port}/?out=json"
        self.log = tempfile.NamedTemporaryFile(prefix="vnu-", suffix=".log", delete=False)  # noqa: SIM115 kept open
        command = ["java", "-Xss8m", "-Dnu.validator.servlet.bind-address=127.0.0.1"]  # a larger stack, as the
        command += ["-cp", str(VNU), "nu.validator.servlet.Main", str(port)]  # command line gives its threads
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT)  # noqa: S603 our own files

    def check(self, html):
        """The checker's messages about an HTML document, as the command line gives them for it in a file."""
        self.start()
        self._wait()
        request = urllib.request.Request(  # noqa: S310 our own service on loopback
            self.url, data=html.encode(), headers={"Content-Type": "text/html; charset=utf-8"}
        )
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 our own service on loopback
            return json.loads(response.read())["messages"]

    def _wait(self):
        deadline = time.monotonic() + VNU_START_SECONDS
        while not self.ready:
            try:
                with urllib.request.urlopen(self.url.replace("?out=json", ""), timeout=5):  # noqa: S310 loopback
                    self.ready = True
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    log = Path(self.log.name).read_text(errors="replace")[-3000:]
                    raise AssertionError(f"The Nu HTML Checker did not start:\n{log}") from None
                time.sleep(0.2)

    def stop(self):
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()
        Path(self.log.name).unlink(missing_ok=True)
        self.process = None
        self.ready = False


NU_CHECKER = NuChecker()


def pytest_collection_finish(session):
    # Browser tests check pages' HTML: start the checker now, so that it is up by the time the first one asks.
    if CHROMIUM and shutil.which("java") and any(item.get_closest_marker("browser") for item in session.items):
        NU_CHECKER.start()


def pytest_sessionfinish(session):
    NU_CHECKER.stop()


def pytest_collection_modifyitems(config, items):
    browser_tests = [item for item in items if item.get_closest_marker("browser")]
    if not browser_tests or CHROMIUM:
        return
    if os.environ.get("CI"):
        raise pytest.UsageError("Browser tests are required under CI, and Chromium is not installed.")
    skip = pytest.mark.skip(reason="Chromium is not installed (apt-get install chromium)")
    for item in browser_tests:
        item.add_marker(skip)


FAST_PASSWORDS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Tests make many accounts: hash their passwords quickly (never do this outside tests)."""
    settings.PASSWORD_HASHERS = FAST_PASSWORDS


@pytest.fixture(autouse=True)
def _no_task_broker(settings):
    """Emails are sent in the test's own process and thread, as the request commits, whatever .env says; the
    task-queue tests start their own broker and workers, and the background tests their own thread."""
    settings.CELERY_BROKER_URL = ""
    settings.BACKGROUND_TASKS = False


def kept_for_the_module(django_db_blocker, make):
    """For a module-scoped fixture: `make()` the module's data once, in a transaction rolled back at the module's
    end, and yield what it gives. Each test still runs in a savepoint of its own (pytest-django's `db`), so it sees
    the data as made and what it changes is undone after it. Every test of the module that uses the database must
    be non-transactional (not transaction=True, no live server), and should ask for the data, which the tests that
    run after the first one that does will see. The data is made with the settings the autouse fixtures above give
    each test."""
    from django.db import transaction
    from django.test import override_settings

    outer = transaction.atomic()
    quick = override_settings(PASSWORD_HASHERS=FAST_PASSWORDS, CELERY_BROKER_URL="", BACKGROUND_TASKS=False)
    with django_db_blocker.unblock():
        outer.__enter__()
        try:
            with quick:
                made = make()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    try:
        yield made
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (cached pages are per test)."""
    from compacts import cache

    cache.clear()


def _answers(url):
    try:
        with urllib.request.urlopen(f"{url}/moto-api/", timeout=1) as response:  # noqa: S310 our own server on loopback
            return response.status == 200
    except OSError:
        return False


@pytest.fixture(scope="session")
def s3_endpoint(tmp_path_factory):
    """moto's S3 server with the bucket `evidence`: its `url`, a boto3 `client` for looking in the bucket directly,
    and `bucket`, the EVIDENCE_BUCKET setting that puts evidence files there."""
    if not MOTO_SERVER.exists():
        if os.environ.get("CI"):
            pytest.fail(f"The S3 tests are required under CI, and {MOTO_SERVER} is not installed.", pytrace=False)
        pytest.skip("moto_server is not installed (pip install -r requirements-dev.txt)")
    url = f"http://127.0.0.1:{free_port()}"
    log = tmp_path_factory.mktemp("moto") / "moto_server.log"
    with log.open("wb") as output:
        server = subprocess.Popen(  # noqa: S603 our own venv's program, on loopback
            [MOTO_SERVER, "-H", "127.0.0.1", "-p", url.rsplit(":", 1)[1]], stdout=output, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + MOTO_START_SECONDS
        while not _answers(url):
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"moto_server did not answer at {url}:\n{log.read_text()[-2000:]}", pytrace=False)
            time.sleep(0.1)
        import boto3

        bucket = {"bucket_name": S3_BUCKET, "endpoint_url": url, "region_name": S3_REGION}
        keys = {"access_key": "testing", "secret_key": "testing"}  # moto takes any
        client = boto3.client(
            "s3",
            endpoint_url=url,
            region_name=S3_REGION,
            aws_access_key_id=keys["access_key"],
            aws_secret_access_key=keys["secret_key"],
        )
        client.create_bucket(Bucket=S3_BUCKET, CreateBucketConfiguration={"LocationConstraint": S3_REGION})
        yield SimpleNamespace(url=url, client=client, bucket=bucket | keys)
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(params=["filesystem", "s3"])
def evidence_storage(request, settings, tmp_path, monkeypatch):
    """Evidence files in a folder of the test's own, then in the S3 endpoint's bucket: the storage
    private_storage() makes for those settings, put on Attachment.file as it is at start-up."""
    from disputes.models import Attachment, private_storage

    settings.PRIVATE_MEDIA_ROOT = tmp_path
    settings.EVIDENCE_BUCKET = request.getfixturevalue("s3_endpoint").bucket if request.param == "s3" else {}
    storage = private_storage()
    monkeypatch.setattr(Attachment._meta.get_field("file"), "storage", storage)
    return storage


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # axe-core is injected as a script, which the portal's CSP would refuse.
    return {**browser_context_args, "bypass_csp": True}


@pytest.fixture(scope="session")
def live_server():
    """pytest-django's live server, with static files served by whitenoise
    from the collected, hashed files, as in production."""
    server = LiveServer(os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS", "localhost"), start=False)
    server.thread.static_handler = lambda handler: handler
    server.start()
    yield server
    server.stop()


def assert_accessible(page):
    """Fail on any axe-core violation (WCAG 2.2 AA and best practice) in the page."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        AXE_TAGS,
    )
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
        for v in result["violations"]
    ]
    assert violations == [], f"Accessibility violations on {page.url}:\n" + "\n".join(violations)


def assert_valid_html(html, path):
    """Fail on any error the Nu HTML Checker finds in an HTML document (saved to `path`)."""
    path.write_text(html)
    messages = NU_CHECKER.check(html)
    errors = [
        f"line {m.get('lastLine')}: {m['message']}" for m in messages if m["type"] in ("error", "non-document-error")
    ]
    assert errors == [], f"HTML errors in {path.name}:\n" + "\n".join(errors)


@pytest.fixture
def check_page(tmp_path):
    """Both checks on the page as it stands: the server's HTML for the current
    address (or, for a page answering a form, the HTML the browser shows), and
    the rendered page in the browser."""

    def check(page, status=200):
        response = page.request.get(page.url)
        if response.status == status:
            html = response.text()  # the server's own HTML
        else:
            # A page answering a form (its status was asserted by the test): check what the browser shows.
            assert status != 200, f"{page.url} answered {response.status}"
            html = page.content()
        assert_valid_html(html, tmp_path / "page.html")
        assert_accessible(page)

    return check


# The live server with a Compact's data, and the steps every browser journey shares ----------------------------------

PASSWORD = "correct horse battery staple"  # noqa: S105 the test accounts' password


@pytest.fixture
def dorset(live_server):
    """The live server with the Dorset Compact, its administrator Dora and Val of Dorset Community Action."""
    from django.core.management import call_command

    from compacts.models import Compact, Organisation
    from compacts.tests.factories import UserFactory, compact_role, member

    call_command("loaddata", "themes", "dorset", verbosity=0)
    compact = Compact.objects.get(slug="dorset")
    people = {
        "admin": UserFactory(username="dora@dorset.example", first_name="Dora", last_name="Marsh"),
        "vcs": UserFactory(username="val@dca.example", first_name="Val", last_name="Carter"),
    }
    compact_role(people["admin"], compact, "administrator")
    member(people["vcs"], Organisation.objects.get(name="Dorset Community Action"))
    return live_server, people


def new_page(browser, javascript):
    return browser.new_context(java_script_enabled=javascript, bypass_csp=True).new_page()


def sign_in(page, server, username, password=PASSWORD):
    from playwright.sync_api import expect

    page.goto(f"{server.url}/accounts/login/?next=/complaints/")
    page.get_by_label("Email address").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Complaints")


@pytest.fixture
def demo(live_server, settings):
    """The live server with the five Compacts and the demo's accounts, complaints and records (`make run`'s data)."""
    from django.core.management import call_command

    compacts = ["dorset", "dacorum", "darlington", "derby-derbyshire", "county-durham"]
    call_command("loaddata", "themes", *compacts, verbosity=0)
    settings.DEBUG = True  # the demo accounts are made only where DEBUG is on
    call_command("seed_demo", verbosity=0)
    settings.DEBUG = False
    return live_server
