"""Fixtures for the tests that run the portal's own processes: a Redis database of this test worker's own, a Celery
worker on it, the test database named for another process, a small SMTP server. Without Redis those tests are
skipped, except under CI (CI=true), where they fail."""

import email
import os
import signal
import socketserver
import sqlite3
import subprocess
import sys
import threading
import time
from urllib.parse import quote

import pytest
import redis
from django.conf import settings as django_settings
from django.db import connections

from compact_portal.celery import app as celery_app
from compact_portal.tests.processes import wait_for

REDIS = "redis://127.0.0.1:6379"
ROOT = django_settings.BASE_DIR


@pytest.fixture
def broker(settings):
    """Give this process a broker: the setting the outbox reads, and the Celery app's own (read once, at first use;
    `_after_fork` forgets the connection pools made for another, as Celery does in a forked process)."""
    before = celery_app.conf.broker_url

    def use(url):
        settings.CELERY_BROKER_URL = url
        celery_app.conf.broker_url = url
        celery_app._after_fork()

    yield use
    celery_app.conf.broker_url = before
    celery_app._after_fork()


def _redis_database(use):
    """A Redis database for this pytest-xdist worker alone, empty before and after: two for each worker (Redis has
    sixteen), from 8 up: `use` 0 for the task queue's broker, 1 for a shared cache."""
    number = 8 + 2 * int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")) + use
    url = f"{REDIS}/{number}"
    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.flushdb()
    except redis.ConnectionError as error:
        if os.environ.get("CI"):
            pytest.fail(f"Redis is needed under CI, and {url} does not answer: {error}")
        pytest.skip(f"Redis is not running at {url}")
    yield url
    client.flushdb()


@pytest.fixture
def redis_url():
    """The task queue's broker: Redis database 8 for gw0, 10 for gw1, ..."""
    yield from _redis_database(0)


@pytest.fixture
def cache_redis_url():
    """A shared cache: Redis database 9 for gw0, 11 for gw1, ..."""
    yield from _redis_database(1)


class MailServer(socketserver.ThreadingTCPServer):
    """Just enough SMTP, on loopback, for Django's SMTP backend: keeps each message's recipient as it arrives,
    then waits `pause` seconds before answering that it has it."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _SMTPSession)
        self.pause = 0.0
        self.received = []
        self.answering = threading.Event()  # cleared by `hang`: connections are taken and nothing is said
        self.answering.set()
        self.connected = threading.Event()

    def hang(self):
        self.answering.clear()

    def answer(self):
        self.answering.set()

    @property
    def url(self):
        return f"smtp://127.0.0.1:{self.server_address[1]}"

    def handle_error(self, request, client_address):
        """A killed worker leaves its session broken: nothing to report."""


class _SMTPSession(socketserver.StreamRequestHandler):
    def reply(self, line):
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self.server.connected.set()
        self.server.answering.wait()
        self.reply("220 test")
        for line in self.rfile:
            command = line[:4].upper()
            if command == b"DATA":
                self.reply("354 go on")
                lines = []
                for data in self.rfile:
                    if data == b".\r\n":
                        break
                    lines.append(data)
                self.server.received.append(email.message_from_bytes(b"".join(lines))["To"])
                time.sleep(self.server.pause)
                self.reply("250 kept")
            elif command == b"QUIT":
                self.reply("221 bye")
                return
            else:  # EHLO, MAIL, RCPT, RSET, NOOP
                self.reply("250 ok")


@pytest.fixture
def mail_server():
    server = MailServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def database_url(transactional_db, tmp_path):
    """DATABASE_URL for another process, naming the database this test works on. SQLite's test database is in
    memory, where no other process can see it: the test then works on a copy of it in a file, and so does the
    worker; the database in memory is untouched, and back in use after the test."""
    connection = connections["default"]
    details = connection.settings_dict
    if connection.vendor != "sqlite":
        user = quote(details["USER"]) + (f":{quote(details['PASSWORD'])}" if details["PASSWORD"] else "")
        yield f"postgres://{user}@{details['HOST']}:{details['PORT']}/{details['NAME']}"
        return
    path = tmp_path / "test.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(path) as copy:
        connection.connection.backup(copy)
    copy.close()
    in_a_file = type(connection)({**details, "NAME": str(path)}, alias="default")
    connections["default"] = in_a_file
    yield f"sqlite:///{path}"
    in_a_file.close()
    connections["default"] = connection


@pytest.fixture
def worker(redis_url, database_url, mail_server, tmp_path):
    """Start the portal's Celery worker (its main process and one child that runs one task at a time, as in
    production), in a process group of its own, on this test's broker, database and mail server; give back its
    main process once it is ready. Every one started is stopped after the test."""
    started = []

    def start(**environment):
        log = tmp_path / f"worker-{len(started)}.log"
        command = [sys.executable, "-m", "celery", "-A", "compact_portal", "worker", "--pool=prefork"]
        command += ["--concurrency=1", "--without-gossip", "--without-mingle", "--without-heartbeat"]
        command += ["--loglevel=INFO", f"--hostname=test{len(started)}-{os.getpid()}@%h"]
        environment = {
            **os.environ,
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": redis_url,
            "EMAIL_URL": mail_server.url,
            **environment,
        }
        with log.open("wb") as output:
            process = subprocess.Popen(  # noqa: S603 our own worker
                command, cwd=ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
            )
        started.append(process)
        wait_for(lambda: " ready." in log.read_text() or process.poll() is not None, "ready", timeout=30)
        assert process.poll() is None, f"The worker stopped:\n{log.read_text()}"
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.terminate()  # a warm shutdown, which stops its child too
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
