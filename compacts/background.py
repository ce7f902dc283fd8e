"""Work that must not hold a request (sending an email, importing a file), where there is no task queue.

With a broker (CELERY_BROKER_URL) such work goes to the worker, and beat runs the sweeps. Without one, each web
process keeps one thread of its own for it: `run` hands a job over (after the transaction commits, where the caller
says so) and returns at once, so a mail server that hangs, or a file of thousands of rows, never holds the person
who asked. The thread runs jobs one at a time, each when it is due (a retry waits, as Celery's would), with its own
database connection, closed after each job; a job that fails is logged, never raised into a request. The same
thread runs the sweeps (`every`) that beat runs with a broker. Nothing waits only in memory: every job's row
(Email, RecordImport) is the record, so work lost with a process (a restart, a killed worker) is found by the next
sweep, in this process or another.

A process that serves no requests (a management command) runs jobs at once, in its own thread, as do the tests
(BACKGROUND_TASKS off), except the tests of this module and of the app servers, which run it as production does.
"""

import heapq
import itertools
import logging
import os
import threading
import time

from django.conf import settings
from django.core.signals import request_started
from django.db import connections

log = logging.getLogger(__name__)
_lock = threading.Condition()
_jobs = []  # heap of (due, order, function, args)
_order = itertools.count()
_periodic = {}  # name: (every seconds, function)
_state = {"thread": None, "pid": None, "next_sweep": {}}


def run(function, *args, delay=0.0):
    """Run function(*args) on this process's thread, `delay` seconds from now. Where the process has no thread (a
    management command, a test, BACKGROUND_TASKS off) it runs here and now, and a delayed run (a retry) is left to
    the sweep, whose rows say what is still to do."""
    if not settings.BACKGROUND_TASKS or not _running():
        if not delay:
            function(*args)
        return
    with _lock:
        heapq.heappush(_jobs, (time.monotonic() + delay, next(_order), function, args))
        _lock.notify()


def every(name, seconds, function):
    """Run function() every `seconds` in each web process's thread (the sweeps beat runs where there is a broker).
    The first run is one period after the thread starts."""
    _periodic[name] = (seconds, function)


def pending():
    """How many jobs wait in this process (for tests and the health page)."""
    with _lock:
        return len(_jobs)


def _running():
    thread = _state["thread"]
    return thread is not None and _state["pid"] == os.getpid() and thread.is_alive()


def _start(**_):
    """Start this process's thread at its first request (only web processes have one), once; again in a forked
    child (gunicorn's workers), whose copy of the parent's thread does not run."""
    if _running() or not settings.BACKGROUND_TASKS or settings.CELERY_BROKER_URL:
        return
    with _lock:
        if _running():
            return
        pid = os.getpid()
        if _state["pid"] != pid:
            _jobs.clear()  # the parent's jobs are the parent's: their rows bring them back through the sweep
        now = time.monotonic()
        _state["next_sweep"] = {name: now + seconds for name, (seconds, _) in _periodic.items()}
        _state["pid"] = pid
        _state["thread"] = threading.Thread(target=_loop, name="background-tasks", daemon=True)
        _state["thread"].start()


def stop(timeout=5):
    """Stop this process's thread once the job it is running ends (for tests: a process's thread runs until it
    exits); the jobs still waiting are dropped, as they are when a process stops."""
    thread = _state["thread"]
    with _lock:
        _state["thread"] = None
        _jobs.clear()
        _lock.notify_all()
    if thread is not None:
        thread.join(timeout)


def _next():
    """Wait for the next job that is due, or a sweep that is; return it as (function, args), or None once the
    thread is stopped."""
    me = threading.current_thread()
    with _lock:
        while True:
            if _state["thread"] is not me:
                return None
            now = time.monotonic()
            sweeps = _state["next_sweep"]
            due_sweep = min(sweeps, key=sweeps.get) if sweeps else None
            if due_sweep is not None and sweeps[due_sweep] <= now:
                seconds, function = _periodic[due_sweep]
                sweeps[due_sweep] = now + seconds
                return function, ()
            if _jobs and _jobs[0][0] <= now:
                _, _, function, args = heapq.heappop(_jobs)
                return function, args
            waits = [due - now for due in sweeps.values()] + ([_jobs[0][0] - now] if _jobs else [])
            _lock.wait(timeout=min(waits) if waits else None)


def _loop():
    while (job := _next()) is not None:
        function, args = job
        try:
            function(*args)
        except Exception:  # one job's failure must not stop the others
            log.exception("Background job %s%r failed", getattr(function, "__name__", function), args)
        finally:
            connections.close_all()


request_started.connect(_start, dispatch_uid="compacts.background.start")
