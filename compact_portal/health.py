"""The readiness check, /ready/: whether this app server can serve requests now.

/health/ (health, below) says only that the process answers. /ready/ also tries what requests need:
every database, the cache, the evidence files' storage and, where there is one, the task broker. An orchestrator
or load balancer can then stop sending traffic to a server that cannot reach them. Each check has a time limit of
a few seconds, so a service that hangs makes the server "not ready" at once instead of holding the probe open.

The databases are checked in the request's own thread, on its own connections (on PostgreSQL under a statement
timeout; making a new connection is bounded only by the driver's connect timeout). The rest are checked each in a
thread of its own, all at once, so the answer takes as long as the slowest check and no longer. A check whose
thread from an earlier probe is still waiting on a hung service fails at once rather than start another, so a hung
service costs one waiting thread per check, however often the probe comes.
"""

import logging
import threading
import time
import uuid
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.files.base import ContentFile
from django.db import connections
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

from disputes.models import private_storage

logger = logging.getLogger(__name__)

TIMEOUT = 2  # seconds each check may take
OK = "ok"
NOT_CONFIGURED = "not configured"
FAILED = "failed"
PRIVATE = "private, no-store"
MESSAGE_LENGTH = 300
PROBE = "SELECT 1"


class Skipped(Exception):
    """Nothing to check: no broker is configured, or the cache is one that keeps nothing."""


class Failed(Exception):
    """A check's failure, already described."""


def _describe(error):
    """The error's class and message on one line, shortened (the body is public, and a probe's log line short)."""
    message = " ".join(str(error).split())
    if not isinstance(error, Failed):
        message = f"{type(error).__name__}: {message}" if message else type(error).__name__
    return message[:MESSAGE_LENGTH]


def _status(check, *args):
    """A check's outcome: ok, not configured, or failed with what went wrong."""
    try:
        check(*args)
    except Skipped:
        return NOT_CONFIGURED
    except Exception as error:
        return f"{FAILED}: {_describe(error)}"
    return OK


def check_databases():
    """`SELECT 1` on every configured database, one query each; on PostgreSQL under a statement timeout that
    lasts only as long as the query's own transaction."""
    failures = []
    for alias in settings.DATABASES:
        connection = connections[alias]
        sql = PROBE
        if connection.vendor == "postgresql":
            sql = f"SET LOCAL statement_timeout = {int(TIMEOUT * 1000)}; {PROBE}"
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql)
                if cursor.fetchone()[0] != 1:
                    raise Failed("SELECT 1 did not answer 1")
        except Exception as error:
            failures.append(f"{alias}: {_describe(error)}")
    if failures:
        raise Failed("; ".join(failures))


def check_cache(cache):
    """Set a unique key and read it back. A dummy cache (as in the benchmark without a cache) keeps nothing, so
    there is nothing to check."""
    if isinstance(cache, DummyCache):
        raise Skipped
    key = f"ready-check:{uuid.uuid4().hex}"
    value = uuid.uuid4().hex
    cache.set(key, value, timeout=60)
    try:
        if cache.get(key) != value:
            raise Failed("a value set in the cache did not come back")
    finally:
        cache.delete(key)


def check_storage():
    """Save a tiny file where evidence files are kept, see that it is there, and delete it."""
    storage = private_storage()
    name = storage.save(f"ready-checks/{uuid.uuid4().hex}.txt", ContentFile(b"ready"))
    try:
        if not storage.exists(name):
            raise Failed("a file saved to storage was not there")
    finally:
        storage.delete(name)


def check_broker():
    """Connect to the task broker, where one is configured (CELERY_BROKER_URL)."""
    url = getattr(settings, "CELERY_BROKER_URL", "")
    if not url:
        raise Skipped
    from kombu import Connection  # only needed where there is a broker

    with Connection(url, connect_timeout=TIMEOUT) as connection:
        # kombu waits 2 seconds before its retry unless told otherwise, which would use up all the time there is.
        connection.ensure_connection(max_retries=1, interval_start=TIMEOUT / 4, timeout=TIMEOUT)


_waiting = set()  # checks whose thread from an earlier probe has not finished
_waiting_lock = threading.Lock()


def _start(name, check, *args):
    """Start a check in a thread of its own; give back a function that waits for its outcome until TIMEOUT
    seconds after the start, and no longer."""
    with _waiting_lock:
        if name in _waiting:
            return lambda: f"{FAILED}: TimeoutError: an earlier check is still waiting for an answer"
        _waiting.add(name)
    outcome = {}

    def run():
        try:
            outcome["status"] = _status(check, *args)
        finally:
            with _waiting_lock:
                _waiting.discard(name)

    thread = threading.Thread(target=run, name=f"ready-check-{name}", daemon=True)
    deadline = time.monotonic() + TIMEOUT
    thread.start()

    def wait():
        thread.join(max(0.0, deadline - time.monotonic()))
        return outcome.get("status", f"{FAILED}: TimeoutError: no answer within {TIMEOUT} seconds")

    return wait


def _kept_by_no_one(view):
    """Say `private, no-store`, as the rest of the portal does for what nobody may keep (never_cache alone says
    more, and differently)."""

    @wraps(view)
    def private_view(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = PRIVATE
        return response

    return private_view


@_kept_by_no_one
@never_cache
def ready(request):
    """200 when every check passes or has nothing to check; 503 naming the checks that failed."""
    waits = {
        "cache": _start("cache", check_cache, caches["default"]),
        "storage": _start("storage", check_storage),
        "broker": _start("broker", check_broker),
    }
    checks = {"database": _status(check_databases)}
    checks.update((name, wait()) for name, wait in waits.items())
    failed = [name for name, status in checks.items() if status.startswith(FAILED)]
    if failed:
        logger.warning("Not ready: %s", "; ".join(f"{name} {checks[name]}" for name in failed))
        return JsonResponse({"status": "not ready", "checks": checks, "failed": failed}, status=503)
    return JsonResponse({"status": "ready", "checks": checks})


def health(request):
    """Liveness check for load balancers; also the benchmark's floor."""
    return HttpResponse("ok", content_type="text/plain")
