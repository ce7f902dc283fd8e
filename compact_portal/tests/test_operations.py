"""Operations: the readiness check (/ready/), and request ids in the logs, as plain lines or JSON."""

import io
import json
import logging
import os
import re
import subprocess
import sys
import threading
import time

import pytest
from django.conf import settings as django_settings
from django.core.cache.backends.locmem import LocMemCache
from django.core.files.storage import FileSystemStorage
from django.db import OperationalError, connections
from django.http import HttpResponse
from django.test import RequestFactory

from compact_portal import health, logs

pytestmark = pytest.mark.django_db(databases=["default", "sqlite_twin"])

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ready-tests"}}
DUMMY = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
CLOSED_PORT = "redis://127.0.0.1:1/0"
CLOSED_PORT_HTTP = "http://127.0.0.1:1"
NEW_ID = re.compile(r"[0-9a-f]{32}")


@pytest.fixture(autouse=True)
def _own_storage_and_cache(settings, tmp_path):
    """The files the check saves go to the test's own folder, and the cache is one in memory, whatever CACHE_URL
    says."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    settings.CACHES = LOCMEM


def _ready(client):
    response = client.get("/ready/")
    return response, response.json()


# The readiness check -------------------------------------------------------------------------------------------


def test_ready_names_every_check_in_a_fixed_number_of_queries(client, django_assert_num_queries, tmp_path):
    with (
        django_assert_num_queries(1),
        django_assert_num_queries(1, connection=connections["sqlite_twin"]),
    ):
        response, body = _ready(client)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert body == {
        "status": "ready",
        "checks": {"database": "ok", "cache": "ok", "storage": "ok", "broker": "not configured"},
    }
    assert list((tmp_path / "ready-checks").iterdir()) == []  # the file was saved there, and deleted


def test_not_ready_when_a_database_fails(client, monkeypatch, caplog):
    def unreachable():
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(connections["default"], "cursor", unreachable)
    response, body = _ready(client)
    assert response.status_code == 503
    assert body["status"] == "not ready"
    assert body["failed"] == ["database"]
    assert body["checks"]["database"] == "failed: default: OperationalError: could not connect to server"
    assert body["checks"]["cache"] == body["checks"]["storage"] == "ok"
    assert "Not ready: database failed: default: OperationalError" in caplog.text


@pytest.mark.skipif(connections["default"].vendor != "postgresql", reason="a statement timeout is PostgreSQL's")
@pytest.mark.django_db(transaction=True, databases=["default", "sqlite_twin"])
def test_a_slow_database_is_given_up_on_and_the_timeout_ends_with_the_check(client, monkeypatch):
    monkeypatch.setattr(health, "TIMEOUT", 0.2)
    monkeypatch.setattr(health, "PROBE", "SELECT 1 FROM pg_sleep(3)")
    started = time.monotonic()
    response, body = _ready(client)
    assert time.monotonic() - started < 2
    assert response.status_code == 503
    assert body["failed"] == ["database"]
    assert "statement timeout" in body["checks"]["database"]
    with connections["default"].cursor() as cursor:  # the same connection, kept: its own timeout is untouched
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone() == ("0",)


def test_not_ready_when_storage_cannot_save(client, monkeypatch):
    def disk_full(self, name, content, max_length=None):
        raise OSError("No space left on device")

    monkeypatch.setattr(FileSystemStorage, "save", disk_full)
    response, body = _ready(client)
    assert response.status_code == 503
    assert body["failed"] == ["storage"]
    assert body["checks"]["storage"] == "failed: OSError: No space left on device"
    assert body["checks"]["database"] == body["checks"]["cache"] == "ok"


def test_not_ready_when_storage_loses_the_file_and_the_file_is_still_deleted(client, monkeypatch, tmp_path):
    monkeypatch.setattr(FileSystemStorage, "exists", lambda self, name: False)
    response, body = _ready(client)
    assert response.status_code == 503
    assert body["checks"]["storage"] == "failed: a file saved to storage was not there"
    assert list((tmp_path / "ready-checks").iterdir()) == []


def test_ready_checks_the_bucket_when_evidence_is_kept_in_one_and_leaves_nothing_there(
    client, settings, s3_endpoint, monkeypatch
):
    from storages.backends.s3 import S3Storage

    settings.EVIDENCE_BUCKET = s3_endpoint.bucket
    saved = []
    save = S3Storage._save

    def recorded(self, name, content):
        saved.append(save(self, name, content))
        return saved[-1]

    monkeypatch.setattr(S3Storage, "_save", recorded)
    response, body = _ready(client)
    assert response.status_code == 200
    assert body["checks"]["storage"] == "ok"
    assert len(saved) == 1 and saved[0].startswith("ready-checks/")
    listing = s3_endpoint.client.list_objects_v2(Bucket=s3_endpoint.bucket["bucket_name"], Prefix="ready-checks/")
    assert listing["KeyCount"] == 0


def test_not_ready_when_the_bucket_cannot_be_reached_saying_so_within_the_time_limit(client, settings):
    # With keys given, boto3 looks for none elsewhere (such as an instance's metadata service, off this machine).
    settings.EVIDENCE_BUCKET = {
        "bucket_name": "evidence",
        "endpoint_url": CLOSED_PORT_HTTP,
        "region_name": "eu-west-2",
        "access_key": "testing",
        "secret_key": "testing",
    }
    started = time.monotonic()
    response, body = _ready(client)
    assert time.monotonic() - started < health.TIMEOUT + 1
    assert response.status_code == 503
    assert body["failed"] == ["storage"]
    assert body["checks"]["storage"].startswith(
        f'failed: EndpointConnectionError: Could not connect to the endpoint URL: "{CLOSED_PORT_HTTP}/evidence/'
    )


def _returns_nothing(self, key, default=None, version=None):
    return default


def _refused(self, *args, **kwargs):
    raise ConnectionError("Connection refused")


@pytest.mark.parametrize(
    ("method", "replacement", "status"),
    [
        ("get", _returns_nothing, "failed: a value set in the cache did not come back"),
        ("set", _refused, "failed: ConnectionError: Connection refused"),
    ],
    ids=["returns nothing", "unreachable"],
)
def test_not_ready_when_the_cache_fails(client, monkeypatch, method, replacement, status):
    monkeypatch.setattr(LocMemCache, method, replacement)
    response, body = _ready(client)
    assert response.status_code == 503
    assert body["failed"] == ["cache"]
    assert body["checks"]["cache"] == status
    assert body["checks"]["database"] == body["checks"]["storage"] == "ok"


def test_a_dummy_cache_is_not_configured_and_skipped(client, settings):
    settings.CACHES = DUMMY
    response, body = _ready(client)
    assert response.status_code == 200
    assert body["checks"]["cache"] == "not configured"


@pytest.mark.parametrize("broker", ["absent", ""])
def test_no_broker_is_not_configured_and_skipped(client, settings, broker):
    if broker == "absent":
        del settings.CELERY_BROKER_URL
        assert not hasattr(django_settings, "CELERY_BROKER_URL")
    else:
        settings.CELERY_BROKER_URL = broker
    response, body = _ready(client)
    assert response.status_code == 200
    assert body["checks"]["broker"] == "not configured"


def test_a_broker_without_kombu_fails_saying_so(client, settings, monkeypatch):
    settings.CELERY_BROKER_URL = CLOSED_PORT
    monkeypatch.setitem(sys.modules, "kombu", None)  # as if it were not installed
    response, body = _ready(client)
    assert response.status_code == 503
    assert body["failed"] == ["broker"]
    assert body["checks"]["broker"].startswith("failed: ModuleNotFoundError: ")
    assert "kombu" in body["checks"]["broker"]


def test_a_broker_on_a_closed_port_fails_within_its_timeout(client, settings):
    pytest.importorskip("kombu")
    settings.CELERY_BROKER_URL = CLOSED_PORT
    started = time.monotonic()
    response, body = _ready(client)
    assert time.monotonic() - started < health.TIMEOUT + 1
    assert response.status_code == 503
    assert body["failed"] == ["broker"]
    assert body["checks"]["broker"].startswith("failed: OperationalError: ")
    assert "Connection refused" in body["checks"]["broker"]
    assert CLOSED_PORT not in body["checks"]["broker"]


def test_a_hung_check_is_given_up_on_and_not_started_again_until_it_ends(client, monkeypatch):
    monkeypatch.setattr(health, "TIMEOUT", 0.2)
    release = threading.Event()
    original = FileSystemStorage.save

    def hung(self, *args, **kwargs):
        release.wait(10)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(FileSystemStorage, "save", hung)
    started = time.monotonic()
    response, body = _ready(client)
    assert time.monotonic() - started < 1
    assert response.status_code == 503
    assert body["checks"]["storage"] == "failed: TimeoutError: no answer within 0.2 seconds"
    assert body["checks"]["cache"] == "ok"

    assert _ready(client)[1]["checks"]["storage"] == (
        "failed: TimeoutError: an earlier check is still waiting for an answer"
    )
    assert [t for t in threading.enumerate() if t.name == "ready-check-storage"] != []

    release.set()
    for thread in threading.enumerate():
        if thread.name == "ready-check-storage":
            thread.join(5)
    response, body = _ready(client)
    assert response.status_code == 200
    assert body["checks"]["storage"] == "ok"


@pytest.mark.parametrize("broken", [False, True], ids=["ready", "not ready"])
def test_ready_is_kept_by_no_one(client, monkeypatch, broken):
    if broken:
        monkeypatch.setattr(LocMemCache, "get", _returns_nothing)
    response = client.get("/ready/")
    assert response.status_code == (503 if broken else 200)
    assert response["Cache-Control"] == "private, no-store"
    assert "Expires" in response


# Request ids ---------------------------------------------------------------------------------------------------


def test_the_request_id_middleware_comes_first():
    assert django_settings.MIDDLEWARE[0] == "compact_portal.logs.RequestIdMiddleware"


@pytest.mark.parametrize("given", ["abc-123", "req.42_Z", "a" * 200, "0"])
def test_a_sane_request_id_is_echoed(client, given):
    assert client.get("/health/", headers={"X-Request-ID": given})["X-Request-ID"] == given


@pytest.mark.parametrize("given", [None, "", "has spaces", "a" * 201, "x" * 300, "semi;colon", "ünïcode", "a/b"])
def test_any_other_request_id_is_replaced_by_a_new_one(client, given):
    headers = {} if given is None else {"X-Request-ID": given}
    first = client.get("/health/", headers=headers)["X-Request-ID"]
    second = client.get("/health/", headers=headers)["X-Request-ID"]
    assert NEW_ID.fullmatch(first) and NEW_ID.fullmatch(second)
    assert first != second


def test_even_a_response_made_by_other_middleware_carries_the_id(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/health/", headers={"X-Request-ID": "redirected"})
    assert response.status_code == 301
    assert response["X-Request-ID"] == "redirected"


def _handle(request_id, view):
    """Handle a request through RequestIdMiddleware alone, with `view` as the rest of the stack."""
    headers = {"X-Request-ID": request_id} if request_id else {}
    return logs.RequestIdMiddleware(view)(RequestFactory().get("/", headers=headers))


def test_the_id_is_on_the_request_and_in_the_context_only_while_it_is_handled():
    seen = {}

    def view(request):
        seen.update(on_request=request.request_id, in_context=logs.current_request_id())
        return HttpResponse()

    response = _handle("abc-123", view)
    assert seen == {"on_request": "abc-123", "in_context": "abc-123"}
    assert response["X-Request-ID"] == "abc-123"
    assert logs.current_request_id() == "-"


def test_the_id_is_reset_even_when_the_view_raises():
    def view(request):
        raise RuntimeError("broken")

    with pytest.raises(RuntimeError):
        _handle("abc-123", view)
    assert logs.current_request_id() == "-"


@pytest.fixture
def log_to(request):
    """A logger writing through a console-like handler (with the request id filter) to a string, in the format
    given: `log, output = log_to(formatter)`."""
    logger = logging.getLogger("compact_portal.tests.operations")
    handlers = []

    def make(formatter):
        stream = io.StringIO()
        handler = logging.StreamHandler(stream)
        handler.addFilter(logs.RequestIdFilter())
        handler.setFormatter(formatter)
        logger.addHandler(handler)
        handlers.append(handler)
        return logger, stream

    yield make
    for handler in handlers:
        logger.removeHandler(handler)


def test_json_lines_carry_the_request_id_and_what_was_logged(log_to):
    logger, output = log_to(logs.JsonFormatter())

    def view(request):
        logger.warning("Saved %s", "testshire", extra={"compact": "testshire", "count": 3, "request": request})
        try:
            raise ValueError("bad figure")
        except ValueError:
            logger.exception("Could not check")
        return HttpResponse()

    _handle("abc-123", view)
    logger.warning("Outside")
    saved, failed, outside = (json.loads(line) for line in output.getvalue().splitlines())
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", saved.pop("time"))
    assert saved == {
        "level": "WARNING",
        "logger": "compact_portal.tests.operations",
        "message": "Saved testshire",
        "request_id": "abc-123",
        "compact": "testshire",
        "count": 3,
    }  # the request itself is no JSON, so left out
    assert failed["level"] == "ERROR" and failed["request_id"] == "abc-123"
    assert failed["exception"].startswith("Traceback") and "ValueError: bad figure" in failed["exception"]
    assert "exception" not in saved
    assert outside["request_id"] == "-"


def test_json_time_is_utc_to_the_millisecond():
    # On 1 January 1970 London was an hour ahead of UTC (British Standard Time), so local time would show.
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "at the epoch", None, None)
    record.created = 0.25
    assert json.loads(logs.JsonFormatter().format(record))["time"] == "1970-01-01T00:00:00.250Z"


def test_plain_lines_carry_the_request_id(log_to):
    logger, output = log_to(logging.Formatter(django_settings.LOGGING["formatters"]["plain"]["format"]))

    def view(request):
        logger.warning("Inside")
        return HttpResponse()

    _handle("abc-123", view)
    logger.warning("Outside")
    inside, outside = output.getvalue().splitlines()
    assert inside.endswith(" WARNING compact_portal.tests.operations [abc-123] Inside")
    assert outside.endswith(" WARNING compact_portal.tests.operations [-] Outside")


@pytest.mark.parametrize("log_format", ["json", "plain"])
def test_log_format_chooses_the_console_format(log_format):
    """The settings as the portal starts with them: every console line JSON, or every one plain, each with its
    request id."""
    script = (
        "import django, logging; django.setup(); logging.getLogger('compact_portal.check').warning('Started %s', 'up')"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "compact_portal.settings",
        "LOG_FORMAT": log_format,
        "LOG_LEVEL": "INFO",
    }
    result = subprocess.run(  # noqa: S603 our own interpreter, running our own code
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=env,
        cwd=django_settings.BASE_DIR,
        check=True,
        timeout=60,
    )
    lines = result.stderr.splitlines()
    assert lines
    if log_format == "json":
        entries = [json.loads(line) for line in lines]
        assert entries[-1]["message"] == "Started up"
        assert entries[-1]["logger"] == "compact_portal.check"
        assert entries[-1]["request_id"] == "-"
    else:
        with pytest.raises(json.JSONDecodeError):
            json.loads(lines[-1])
        assert lines[-1].endswith(" WARNING compact_portal.check [-] Started up")


def test_gunicorn_writes_its_own_lines_as_json_too(tmp_path):
    """gunicorn.conf.py: with LOG_FORMAT=json, gunicorn's lines (booting, stopping) are JSON objects like Django's,
    so a server writes one format only."""
    import urllib.request

    from compact_portal.tests.processes import free_port

    port = free_port()
    log = tmp_path / "gunicorn.log"
    env = {**os.environ, "LOG_FORMAT": "json", "LOG_LEVEL": "INFO"}
    with log.open("wb") as output:
        server = subprocess.Popen(  # noqa: S603 our own server, on loopback
            [sys.executable, "-m", "gunicorn", "compact_portal.wsgi", "-w", "1", "-b", f"127.0.0.1:{port}"],
            cwd=django_settings.BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=1)
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, log.read_text()
                time.sleep(0.1)
    finally:
        server.terminate()
        server.wait(timeout=30)
    entries = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    gunicorn = [entry for entry in entries if entry["logger"] == "gunicorn.error"]
    assert any("Booting worker" in entry["message"] for entry in gunicorn)
    assert any("Shutting down" in entry["message"] for entry in gunicorn)
