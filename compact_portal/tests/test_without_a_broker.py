"""The portal as most will first run it: gunicorn, no task queue, on whatever database the tests use (SQLite's
embedded default in a file, or PostgreSQL). Nothing slow or external holds a request: with a mail server that
accepts and never answers, saving and submitting a complaint, registering and asking for a new link each answer
within a second, and every email goes once the server answers. Many requests at once, on SQLite too, each get
their answer: none is refused with "database is locked"."""

import os
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.conf import global_settings
from django.core.management import call_command

from compact_portal.tests.processes import free_port, wait_for
from compacts.models import Email, Organisation
from compacts.tests.factories import darlington_people

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "correct horse battery staple"  # the factories' password
MAIL_TIMEOUT = 30  # seconds the web process would wait for the mail server if it sent the email itself
# A request that waited for the mail server would take at least MAIL_TIMEOUT. Anything well under it shows the request
# did not wait; a tighter bound would measure the machine's load (speed is measured by `make bench`, not here).
NOT_WAITING = MAIL_TIMEOUT / 3


@pytest.fixture
def hanging_mail(mail_server):
    """The tests' mail server, taking each connection and saying nothing until told to `answer()`."""
    mail_server.hang()
    yield mail_server
    mail_server.answer()


@pytest.fixture
def darlington(database_url, settings):
    """Darlington's Compact and its people, in the database the server shares, with passwords hashed as the server
    checks them."""
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    call_command("loaddata", "themes", "darlington", verbosity=0)
    return darlington_people()


@pytest.fixture
def server(database_url, hanging_mail, tmp_path):
    """gunicorn, two workers of four threads each, with no broker and the hanging mail server."""
    port = free_port()
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CONN_MAX_AGE": "0",
        "CELERY_BROKER_URL": "",
        "BACKGROUND_TASKS": "true",
        "EMAIL_URL": hanging_mail.url,
        "EMAIL_TIMEOUT": str(MAIL_TIMEOUT),
        "LOG_LEVEL": "WARNING",
    }
    log = tmp_path / "gunicorn.log"
    command = [sys.executable, "-m", "gunicorn", "compact_portal.wsgi", "-w", "2", "--threads", "4", "--timeout", "60"]
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603 our own server, on loopback
            [*command, "-b", f"127.0.0.1:{port}"],
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: _answers(url) or process.poll() is not None, "up", 30)
        assert process.poll() is None, f"gunicorn stopped:\n{log.read_text()}"
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert "Traceback" not in log.read_text(), log.read_text()


def _answers(url):
    try:
        return requests.get(f"{url}/health/", timeout=1).status_code == 200
    except requests.RequestException:
        return False


def _token(response):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text).group(1)


def signed_in(server, username):
    session = requests.Session()
    form = session.get(f"{server}/accounts/login/")
    answer = session.post(
        f"{server}/accounts/login/",
        {"csrfmiddlewaretoken": _token(form), "username": username, "password": PASSWORD},
        allow_redirects=False,
    )
    assert answer.status_code == 302, answer.text[:500]
    return session


def timed(call):
    started = time.monotonic()
    answer = call()
    return answer, time.monotonic() - started


def complaint(compact, organisation, summary, submit):
    council = Organisation.objects.get(name="Darlington Borough Council")
    return {
        "complainant": organisation.pk,
        "respondent": council.pk,
        "summary": summary,
        "what_happened": "Our grant was cut without the notice the Compact promises.",
        "outcome_wanted": "Give the notice next time.",
        "commitments": [compact.commitments.order_by("pk").first().pk],
        **({"submit": "1"} if submit else {}),
    }


def test_a_mail_server_that_never_answers_holds_no_request(darlington, server, hanging_mail):
    compact, people = darlington
    group = Organisation.objects.get(name="First Stop Darlington")
    session = signed_in(server, people["vcs"].username)
    form = session.get(f"{server}/complaints/new/?compact=darlington")
    data = {"csrfmiddlewaretoken": _token(form), **complaint(compact, group, "Grant cut", submit=True)}
    answer, seconds = timed(
        lambda: session.post(f"{server}/complaints/new/?compact=darlington", data, allow_redirects=False)
    )
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/submitted/")
    assert seconds < NOT_WAITING, f"submitting took {seconds:.2f} s"

    visitor = requests.Session()
    form = visitor.get(f"{server}/accounts/register/")
    registration = {
        "csrfmiddlewaretoken": _token(form),
        "first_name": "Nia",
        "last_name": "Okafor",
        "email": "nia@befrienders.example",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "new_organisation": "Bridport Befrienders",
    }
    answer, register_seconds = timed(
        lambda: visitor.post(f"{server}/accounts/register/", registration, allow_redirects=False)
    )
    assert answer.status_code == 302
    assert register_seconds < NOT_WAITING, f"registering took {register_seconds:.2f} s"
    print(f"\nWith a mail server that never answers: submitting {seconds:.3f} s, registering {register_seconds:.3f} s")

    assert hanging_mail.connected.wait(10)  # the emails are being sent, off the requests
    waiting = Email.objects.count()
    assert waiting >= 2 and not hanging_mail.received
    hanging_mail.answer()
    wait_for(lambda: Email.objects.filter(sent_at__isnull=True).count() == 0, "all sent", 60)
    assert sorted(hanging_mail.received) == sorted(Email.objects.values_list("to", flat=True))
    assert len(hanging_mail.received) == waiting


def test_many_requests_at_once_are_each_answered(darlington, server, hanging_mail):
    """Twenty-five drafts saved at the same moment by two people across both workers' threads: each saved."""
    hanging_mail.answer()
    compact, people = darlington
    group = Organisation.objects.get(name="First Stop Darlington")
    sessions = [signed_in(server, people[name].username) for name in ("vcs", "vcs_champion")]
    forms = [(s, _token(s.get(f"{server}/complaints/new/?compact=darlington"))) for s in sessions]
    draft = complaint(compact, group, "Draft", submit=False)  # read here: the test's database is this thread's

    def save(n):
        session, token = forms[n % len(forms)]
        data = {"csrfmiddlewaretoken": token, **draft, "summary": f"Draft {n}"}
        return session.post(f"{server}/complaints/new/?compact=darlington", data, allow_redirects=False).status_code

    with ThreadPoolExecutor(25) as pool:
        statuses = list(pool.map(save, range(25)))
    assert statuses == [302] * 25
    assert compact.complaints.count() == 25
