"""No 500 from any form, ever: every view that accepts POST, sent malformed data by everyone.

The views are found in the URL configuration (fuzzing.post_routes): the portal's own, Django's sign-in and password
views, and the admin's membership actions (the rest of the admin is left out). Each view's path is filled in with
real objects of a scenario (two Compacts, complaints at every stage, sign-ups, records, a review...) and with other
people's and missing ones; each is sent POSTs as a visitor, a person with no organisation, a VCS member who raised
a complaint, a Champion, the Compact's administrator, another Compact's and the site's. The fields are those its
form shows (read from the pages' HTML). First, the same in every run, each form is sent twice as first filled in,
and each field with its classic mistakes (huge, control characters, too big a number, empty; ids of nothing; 31 2
2026). Then Hypothesis' examples: the fields nearly right or wrong (left out, empty, repeated, huge, control
characters or bytes that are not UTF-8, wrong types, other objects' ids, impossible dates, odd files), as multipart,
URL-encoded, raw or mislabelled bodies, sometimes twice. Nothing may answer 500, and whoever is refused (403, 404,
405, or sent to sign in) changes nothing.

Each request runs in a savepoint that is rolled back (so transaction.on_commit callbacks never run). Every distinct
500 is reported once, with the data that causes it cut down to what still does.

    FUZZ_EXAMPLES=200 FUZZ_PROFILE=fuzz .venv/bin/pytest compact_portal/tests/test_fuzz_posts.py -n 0   # or make fuzz

FUZZ_EXAMPLES is the number of Hypothesis examples for each form view (default 12: the CI run); FUZZ_PROFILE "ci"
(the default) draws the same examples every run, "fuzz" new ones; FUZZ_REPORT names a file for the full report;
FUZZ_TRACE=200 prints each request with the first 200 characters of its data.
"""

import copy
import dataclasses
import datetime
import functools
import logging
import os
from http.cookies import SimpleCookie
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commitments import imports
from commitments import services as record_services
from commitments.models import RecordImport, RecordKind
from commitments.tests.factories import CommitmentFactory, FigureFactory, ThemeFactory
from compacts import content as registry
from compacts import services as compact_services
from compacts.models import Membership, OrganisationKind, OrganisationSector, WorkPlanAction
from compacts.tests.factories import (
    CompactFactory,
    GlossaryTermFactory,
    OrganisationFactory,
    PrincipleFactory,
    SectionFactory,
    SignatoryFactory,
    UserFactory,
    compact_role,
    member,
)
from disputes import services as complaint_services
from disputes.models import Attachment, Handler, TimeUnit
from disputes.tests.factories import ProcedureFactory, StageFactory
from disputes.workflow import Action
from documents import services as portal_services
from documents import versions

from . import fuzzing

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))
settings.register_profile("ci", derandomize=True, database=None, print_blob=False)
settings.register_profile("fuzz", derandomize=False, database=None)
PROFILE = settings.get_profile(os.environ.get("FUZZ_PROFILE", "ci"))
SETTINGS = {
    "parent": PROFILE,
    "deadline": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
}

ROUTES = fuzzing.post_routes()
FORM_ROUTES = [route for route in ROUTES if route.is_form]
ANY_METHOD_ROUTES = [route for route in ROUTES if not route.is_form]  # views that do not restrict the method
ROLES = [
    "visitor",
    "no_organisation",
    "vcs_member",
    "champion",
    "administrator",
    "other_administrator",
    "site_admin",
]
# Someone shown forms the roles are not (the link to confirm their address again): their forms are read, but nobody
# posts as them.
READ_AS = [*ROLES, "unconfirmed"]
# Views whose form is on another page (or the same page with a query string): that page, with the same path
# parameters.
FORM_PAGES = {
    "compacts:resend_confirmation": ("compacts:account", ""),
    "commitments:record_respond": ("commitments:record", ""),
    "logout": ("documents:home", ""),
    "disputes:new": ("disputes:new", "?compact=testshire"),
}
# Views some page links to at many addresses (one per action a person may take on a complaint): the page, and its
# path parameter; each address it links to is read, as each role.
LINKED_FROM = {"disputes:act": ("disputes:detail", "pk")}
# The path parameters that change which form a view shows: each of their values is read.
SHAPING = {"disputes:act": {"action"}, "commitments:record_form": {"kind"}, "commitments:record_correct": {"kind"}}
# The structured texts (seed_texts) each view's text and file fields are sent, besides junk.
FIELD_SEEDS = {
    "documents:import_compact": {"text": "compact", "file": "compact"},
    "commitments:record_import": {"text": "records", "file": "records"},
}
FINDINGS = fuzzing.Findings()
# One client for every request: a new one loads the middleware again (whitenoise reads every static file's details).
CLIENT = Client(raise_request_exception=False)
TRACE = int(os.environ.get("FUZZ_TRACE", "0"))  # print each request, and this much of its data
MISSING = 999_999


# The scenario ------------------------------------------------------------------------------------------------------


def build_scenario():
    """Two Compacts, with people in every role and something of each kind to post about: Testshire (a three-stage
    procedure, figure commitments, a complaint, a draft, a record, a sign-up, a membership request, a review open,
    a work-plan action, an invitation, a record import) and Elsewhere, with its own of most."""
    today = timezone.localdate()
    compact = CompactFactory(slug="testshire", short_name="Testshire", title="Testshire Compact")
    other = CompactFactory(slug="elsewhere", short_name="Elsewhere", title="Elsewhere Compact")
    section = SectionFactory(compact=compact, ref="working-together")
    other_section = SectionFactory(compact=other, ref="elsewhere-working")
    PrincipleFactory(compact=compact, section=section, ref="respect")
    term = GlossaryTermFactory(compact=compact, section=section, term="Champion")
    council = OrganisationFactory(name="Testshire Council")
    charity = OrganisationFactory(name="Testshire Helpers", sector="vcs", kind="charity")
    cvs = OrganisationFactory(name="Testshire CVS", sector="vcs", kind="infrastructure")
    group = OrganisationFactory(
        name="New Group", sector=OrganisationSector.VCS, kind=OrganisationKind.CHARITY, confirmed=False
    )
    far_council = OrganisationFactory(name="Faraway Council")
    far_group = OrganisationFactory(name="Faraway Friends", sector="vcs", kind="charity")
    far_newcomers = OrganisationFactory(name="Faraway Newcomers", sector="vcs", kind="charity", confirmed=False)
    youth = OrganisationFactory(name="Testshire Youth Club", sector="vcs", kind="charity")
    for organisation in (council, charity, cvs):
        SignatoryFactory(compact=compact, section=section, organisation=organisation)
    for organisation in (far_council, far_group):
        SignatoryFactory(compact=other, section=other_section, organisation=organisation)
    for each, each_section in ((compact, section), (other, other_section)):
        procedure = ProcedureFactory(compact=each)
        StageFactory(procedure=procedure, order=1, section=each_section, handler=Handler.CHAMPIONS)
        StageFactory(
            procedure=procedure,
            order=2,
            section=each_section,
            handler=Handler.PANEL,
            name="Panel",
            time_limit=21,
            time_unit=TimeUnit.CALENDAR_DAYS,
        )
        StageFactory(
            procedure=procedure,
            order=3,
            section=each_section,
            handler=Handler.NATIONAL_BODY,
            name="National",
            time_limit=None,
            time_unit="",
            time_limit_origin="",
            time_limit_source="",
        )
    theme = ThemeFactory(slug="consultation", name="Consultation")
    consult = CommitmentFactory(compact=compact, section=section, ref="3.6", number="3.6", theme=theme)
    FigureFactory(commitment=consult, kind="consultation_standard", value=12, unit="weeks", quote="12 weeks")
    grant = CommitmentFactory(compact=compact, section=section, ref="9.1", number="9.1", theme=theme)
    FigureFactory(commitment=grant, kind="funding_term", value=3, unit="years", bound="up_to", quote="three years")
    far_consult = CommitmentFactory(compact=other, section=other_section, ref="2.1", number="2.1", theme=theme)
    FigureFactory(commitment=far_consult, kind="consultation_standard", value=8, unit="weeks", quote="8 weeks")

    people = SimpleNamespace(
        no_organisation=UserFactory(username="nobody@example.org"),
        vcs_member=UserFactory(username="member@helpers.example"),
        champion=UserFactory(username="champion@council.example"),
        administrator=UserFactory(username="admin@testshire.example"),
        other_administrator=UserFactory(username="admin@elsewhere.example"),
        site_admin=UserFactory(username="root@portal.example", is_superuser=True, is_staff=True),
        helpers_champion=UserFactory(username="champion@helpers.example"),
        chair=UserFactory(username="chair@cvs.example"),
        newcomer=UserFactory(username="newcomer@group.example"),
        unconfirmed=UserFactory(username="unconfirmed@helpers.example", email_confirmed=False),
        far_member=UserFactory(username="member@faraway.example"),
        far_newcomer=UserFactory(username="new@faraway.example"),
    )
    vcs_membership = member(people.vcs_member, charity)
    member(people.helpers_champion, charity, champion_of=compact)
    member(people.champion, council)
    member(people.champion, council, champion_of=compact)
    member(people.chair, cvs)
    member(people.far_member, far_group)
    compact_role(people.administrator, compact, "administrator")
    compact_role(people.chair, compact, "chair")
    compact_role(people.other_administrator, other, "administrator")

    pending = Membership.objects.create(user=people.newcomer, organisation=group, job_title="Coordinator")
    far_pending = Membership.objects.create(user=people.far_newcomer, organisation=far_newcomers)
    sign_up = compact_services.sign_up_request(
        by=people.newcomer,
        compact=compact,
        organisation=group,
        sector="vcs",
        kind="charity",
        identifier_scheme="",
        identifier="",
        signed_by_name="Nia Okafor",
        signed_by_role="Chair",
    )
    far_sign_up = compact_services.sign_up_request(
        by=people.far_newcomer,
        compact=other,
        organisation=far_newcomers,
        sector="vcs",
        kind="charity",
        identifier_scheme="",
        identifier="",
        signed_by_name="Far Person",
        signed_by_role="Chair",
    )

    member(people.vcs_member, youth)
    joined = compact_services.sign_up_request(
        by=people.vcs_member,
        compact=compact,
        organisation=youth,
        sector="vcs",
        kind="charity",
        identifier_scheme="",
        identifier="",
        signed_by_name="Val Carter",
        signed_by_role="Chair",
    )
    compact_services.sign_up_decide(sign_up=joined, by=people.administrator, confirm=True, reason="")

    def complaint(by, on, complainant, respondent, commitment, submit=True, files=()):
        made, _ = complaint_services.complaint_save_draft(
            by=by,
            compact=on,
            complainant=complainant,
            fields={"summary": "Cut", "what_happened": "Cut.", "outcome_wanted": "Undo.", "respondent": respondent},
            commitments=[commitment],
            files=list(files),
        )
        if submit:
            complaint_services.complaint_submit(complaint=made, by=by, version=made.version)
        made.refresh_from_db()
        return made

    evidence = SimpleUploadedFile("note.txt", b"What happened, in writing.\n", content_type="text/plain")
    raised = complaint(people.vcs_member, compact, charity, council, consult, files=[evidence])
    draft = complaint(people.vcs_member, compact, charity, council, consult, submit=False)
    far_complaint = complaint(people.far_member, other, far_group, far_council, far_consult)

    def act(made, by, action, **details):
        complaint_services.complaint_act(complaint=made, by=by, action=Action(action), version=made.version, **details)
        made.refresh_from_db()
        return made

    # Further on: answered at the first stage (so it may move on), at the panel stage, with its panel (the
    # administrator sits on it), and withdrawn.
    later = []
    for steps in range(4):
        made = complaint(people.vcs_member, compact, charity, council, consult)
        act(made, people.champion, "acknowledge", text="Received.")
        act(made, people.vcs_member, "lodge", text="In writing.")
        act(made, people.champion, "respond", text="Our answer.")
        if steps in (1, 2):
            act(made, people.vcs_member, "escalate", text="Not resolved.")
        if steps == 2:
            act(made, people.chair, "convene", text="", chair=people.chair, members=[people.administrator])
        if steps == 3:
            act(made, people.vcs_member, "withdraw", text="Sorted out.")
        later.append(made.pk)

    def record(by, on, recorded_for, about, commitment):
        return record_services.record_create(
            compact=on,
            by=by,
            recorded_for=recorded_for,
            kind="consultation",
            commitments=[commitment],
            facts={
                "about": about,
                "title": "Library opening hours",
                "starts_on": datetime.date(2026, 6, 1),
                "ends_on": datetime.date(2026, 8, 10),
            },
        )

    made_record = record(people.vcs_member, compact, charity, council, consult)
    far_record = record(people.far_member, other, far_group, far_council, far_consult)
    review = portal_services.review_open(compact=compact, by=people.administrator)
    portal_services.review_change(
        review=review, by=people.administrator, kind="section", ref=section.ref, value="New words.", quote="", reason=""
    )
    actions = [
        WorkPlanAction.objects.create(compact=each, year=today.year, title="Refresh", lead="CVS", due_on=today)
        for each in (compact, other)
    ]
    invitation = compact_services.invitation_send(
        compact=compact, organisation=cvs, email="director@cvs.example", name="Dee", by=people.administrator
    )
    jobs = [
        RecordImport.objects.create(
            compact=each,
            kind="consultation",
            text=imports.template("consultation"),
            rows=1,
            by=people.site_admin,
            created_at=timezone.now(),
        )
        for each in (compact, other)
    ]
    content = versions.content_of(compact)
    review_parts = [("section", s["ref"]) for s in content["sections"]]
    review_parts += [(item["kind"], item["ref"]) for item in content["items"] if item["kind"] in registry.editable()]
    review_parts += [("figure", figure["ref"]) for figure in content["figures"]]
    organisations = [council.pk, charity.pk, cvs.pk, group.pk, far_council.pk, MISSING]
    complaints = [raised.pk, draft.pk, *later, far_complaint.pk, MISSING]
    records = [made_record.pk, far_record.pk, MISSING]
    user = people.no_organisation
    confirm = compact_services.confirmation_token(user)
    token = compact_services.invitation_token(invitation)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    attachment = Attachment.objects.filter(complaint=raised).first()
    slugs = [compact.slug, other.slug, "no-such-compact"]
    # The values of each path parameter: by the URL's name and the parameter's, else by the parameter's alone.
    params = {
        "slug": slugs,
        "compact": slugs,
        "organisation": organisations,
        "number": [1, 2, 0],
        "older": [1, 2],
        "newer": [2, 3],
        "year": [today.year, 2000, 9999],
        "table": ["complaints", "checker", "no-such-table"],
        "token": [token, token[:-1] + "x", "not-a-token"],
        "attachment_id": [attachment.pk if attachment else MISSING, MISSING],
        "action": [action.value for action in Action] + ["no-such-action"],
        "ref": [consult.ref, far_consult.ref, "no-such-ref"],
        "kind": [kind.value for kind in RecordKind] + ["no-such-kind"],
        "uidb64": [uid, "MTIzNDU2", "!!"],
        ("compacts:confirm_email", "token"): [confirm, confirm[:-2], "not-a-token"],
        ("password_reset_confirm", "token"): [default_token_generator.make_token(user), "set-password", "x-y"],
        ("compacts:term", "slug"): [term.slug if hasattr(term, "slug") else "champion", "no-such-term"],
        ("compacts:withdraw_sign_up", "pk"): [joined.pk, sign_up.pk, far_sign_up.pk, MISSING],
        ("compacts:decide_sign_up", "pk"): [sign_up.pk, far_sign_up.pk, joined.pk, MISSING],
        ("compacts:decide_membership", "pk"): [pending.pk, far_pending.pk, vcs_membership.pk, MISSING],
        ("commitments:work_plan_action", "pk"): [actions[0].pk, actions[1].pk, MISSING],
        ("commitments:record_import_job", "pk"): [jobs[0].pk, jobs[1].pk, MISSING],
        ("commitments:record_import_template", "kind"): ["consultation", "funding", "no-such-kind"],
        ("documents:review_item", "kind+ref"): [*review_parts, ("figure", "no-such-figure"), ("nothing", "x")],
        "pk": complaints,  # disputes
    }
    for name in ("commitments:record", "commitments:record_correct", "commitments:record_respond"):
        params[(name, "pk")] = records
    emails = [u.email for u in vars(people).values()]
    pks = sorted(
        {*organisations, *complaints, *records, sign_up.pk, far_sign_up.pk, pending.pk, far_pending.pk}
        | {u.pk for u in vars(people).values()}
        | {consult.pk, grant.pk, far_consult.pk, actions[0].pk, actions[1].pk, -1, 0, 2**31, 2**63}
    )
    seeds = seed_texts()
    return SimpleNamespace(people=people, params=params, pks=pks, emails=emails, seeds=seeds.compact + seeds.records)


@functools.cache
def seed_texts():
    """Structured texts, each nearly right, in kinds drawn as often as each other: for a Compact's import, the
    example Compact whole with its front matter a list, a string or not YAML, or with one part of its front matter
    of the wrong type; for a records' import, CSV files with wrong headers, or with a wrong cell."""
    example = (fuzzing.ROOT / "fixtures" / "example-compact.md").read_text()
    _, front_text, body = example.split("---\n", 2)
    front = yaml.safe_load(front_text)
    wrong = [None, [], {}, "text", -1, 10**20, [1, 2], "2026-02-31", True, {"a": "b"}, "\x00"]

    def paths(value, path=()):
        yield path
        if isinstance(value, dict):
            for key, inner in value.items():
                yield from paths(inner, (*path, key))
        elif isinstance(value, list) and value:
            yield from paths(value[0], (*path, 0))

    def replaced(path, new):
        changed = copy.deepcopy(front)
        target = changed
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = new
        return changed

    fields = []
    for index, path in enumerate(p for p in paths(front) if p):
        value = wrong[index % len(wrong)]
        fields.append(f"---\n{yaml.safe_dump(replaced(path, value), allow_unicode=True)}---\n{body}")
    whole = [
        example,
        f"---\n- {front['slug']}\n- two\n---\n{body}",
        f"---\njust a string\n---\n{body}",
        f"---\n42\n---\n{body}",
        f"---\n{front_text}",  # no closing line
        f"---\nslug: [unclosed\n---\n{body}",
        f"---\n{front_text}---\n" + body.replace(":::", "::: commitment ref=\x00 number=1"),
        "---\n---\n",
        "\ufeff" + example,
        example.replace("\n", "\r"),
    ]
    cells, files = [], []
    for kind in ("consultation", "funding"):
        template = imports.template(kind)
        header, row = template.strip().split("\n")
        values = row.split(",")
        for index in range(len(values)):
            for value in ("31/02/2026", "-5", "9" * 30, "", "\x00", '"', "2026-13-01", "Testshire Council"):
                cells.append(f"{header}\n{','.join([*values[:index], value, *values[index + 1 :]])}\n")
        files += [template, header, f"{header},{header}\n{row}", f"{header}\n{row}\n{row}\n"]
        files.append("\n".join(header.split(",")))
    files.append("Identifier,Title,Funding Org:Name,Amount Awarded,Award Date\nX,Y,Testshire Council,1e9,31/02/2026\n")
    return SimpleNamespace(compact=[whole, fields], records=[files, cells])


@pytest.fixture(scope="module")
def scenario(django_db_setup, django_db_blocker, tmp_path_factory):
    """The scenario, made once for the module in a transaction rolled back at its end (each test's own changes are
    rolled back after it, as usual); evidence files in a folder of its own; no log output for the many 500s."""
    from disputes.models import private_storage

    quick = override_settings(
        PRIVATE_MEDIA_ROOT=tmp_path_factory.mktemp("evidence"),
        EVIDENCE_BUCKET={},
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        CELERY_BROKER_URL="",
    )
    field = Attachment._meta.get_field("file")
    kept = field.storage
    with django_db_blocker.unblock(), quick:
        field.storage = private_storage()
        logging.disable(logging.CRITICAL)
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_scenario()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            logging.disable(logging.NOTSET)
            field.storage = kept


@pytest.fixture
def world(scenario, db):
    """The scenario, for one test: whatever it changes is rolled back after it."""
    return scenario


@pytest.fixture(scope="session", autouse=True)
def fuzz_report(request):
    """At the end of the run: how many requests were sent and how many answered 500 (and the report, to
    FUZZ_REPORT)."""
    yield
    if not FINDINGS.counts["requests"]:
        return
    fuzzing.terminal_line(request.config, FINDINGS.summary())
    if os.environ.get("FUZZ_REPORT"):
        Path(os.environ["FUZZ_REPORT"]).write_text(FINDINGS.report())


# Sending -----------------------------------------------------------------------------------------------------------


class Fuzzer:
    """One test's view: its path parameters' values, the form each role sees, and a client signed in as each role."""

    def __init__(self, scenario, route):
        self.scenario = scenario
        self.route = route
        self.cookies = {}
        for role in READ_AS:
            CLIENT.cookies = SimpleCookie()
            if role != "visitor":
                CLIENT.force_login(getattr(scenario.people, role))
            self.cookies[role] = copy.deepcopy(CLIENT.cookies)
        seeds = seed_texts()
        field_seeds = {name: getattr(seeds, kind) for name, kind in FIELD_SEEDS.get(route.name, {}).items()}
        self.context = fuzzing.Context(**vars(scenario), field_seeds=field_seeds)
        self.found = {}  # path parameters (as a key) to the form shown there and the roles it was shown to
        if route.is_form:
            self.read_forms()
        self.before = fuzzing.snapshot()
        self.sign_in = {reverse("login"), reverse("admin:login")}

    @staticmethod
    def key(kwargs):
        return tuple(sorted(kwargs.items()))

    def values(self, name):
        params = self.scenario.params
        return params.get((self.route.name, name)) or params.get(name) or [1]

    def any_kwargs(self):
        """Each path parameter: its first, most useful value (a real object of Testshire's) 3 times in 4, or any."""
        draws = {}
        names = [name for name, _ in self.route.params]
        if self.route.name == "documents:review_item":
            draws["kind+ref"] = st.sampled_from(self.values("kind+ref"))
            names = [n for n in names if n not in ("kind", "ref")]
        for name in names:
            choices = self.values(name)
            draws[name] = st.sampled_from(choices[:1] * 3 * (len(choices) - 1) + choices[1:])
        return st.fixed_dictionaries(draws).map(self.unpacked)

    @staticmethod
    def unpacked(kwargs):
        if "kind+ref" in kwargs:
            kwargs["kind"], kwargs["ref"] = kwargs.pop("kind+ref")
        return kwargs

    def read_forms(self):
        """GET each page that shows this view's form, as every role, and read the fields it sends: with the first
        value of each path parameter and every value of those that change the form (else, until a form is found,
        each other value in turn); and, for a view its pages link to, at each address they link to."""
        names = [name for name, _ in self.route.params]
        first = {name: self.values(name)[0] for name in names}
        if self.route.name == "documents:review_item":
            combos = [self.unpacked({"kind+ref": both}) for both in self.values("kind+ref")]
        else:
            combos = [{}]
            for name in SHAPING.get(self.route.name, ()):
                combos = [{**c, name: value} for c in combos for value in self.values(name)]
        for combo in combos:
            self.read({**first, **combo}, READ_AS)
        for name in names:
            for value in self.values(name)[1:]:
                if not self.found:
                    self.read({**first, name: value}, READ_AS)
        if self.route.name in LINKED_FROM:
            self.follow_links(*LINKED_FROM[self.route.name])

    def follow_links(self, page_name, page_param):
        """Read the form at every address of this view that the page links to, as each role that sees the link."""
        for value in self.values(page_param):
            page = reverse(page_name, kwargs={page_param: value})
            for role in READ_AS:
                response = self.client(role).get(page)
                if response.status_code != 200:
                    continue
                for path in fuzzing.links(response.content.decode(), page):
                    try:
                        match = resolve(path)
                    except Resolver404:
                        continue
                    if match.view_name == self.route.name and self.key(match.kwargs) not in self.found:
                        self.read(match.kwargs, [role])

    def read(self, kwargs, roles):
        """GET the page that shows the form for these path parameters, as each role; keep the fields it sends."""
        target = reverse(self.route.name, kwargs=kwargs)
        page_name, query = FORM_PAGES.get(self.route.name, (self.route.name, ""))
        page = reverse(page_name, kwargs=kwargs) + query
        for role in roles:
            response = self.client(role).get(page)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            form = fuzzing.forms_posting_to(response.content.decode(), page, target)
            if form is None:
                continue
            key = self.key(kwargs)
            if key not in self.found:  # the first time: what the page answers a nearly right POST with too
                form.merge(self.next_step(role, target, form) or fuzzing.Form())
                self.found[key] = (fuzzing.Form(), set())
            self.found[key][0].merge(form)
            if role in ROLES:
                self.found[key][1].add(role)

    def next_step(self, role, target, form):
        """The form (posting to the same view) on the page that answers the form sent with its first values: a
        button shown only after a first step (Check the text, then Create the Compact), say."""
        payload = fuzzing.first_values(form, self.context)
        body, content_type = fuzzing.encode(payload)
        url = target + (f"?{payload.query}" if payload.query else "")
        try:
            with transaction.atomic():
                response = self.client(role).generic("POST", url, body, content_type=content_type)
                raise _RolledBack
        except _RolledBack:
            pass
        if "html" not in response.get("Content-Type", ""):
            return None
        return fuzzing.forms_posting_to(response.content.decode(errors="replace"), url, target)

    def client(self, role):
        """The client, signed in as the role (with a copy of its cookies: a request may change them)."""
        CLIENT.cookies = copy.deepcopy(self.cookies[role])
        return CLIENT

    def form_like(self, kwargs):
        """The form these path parameters show, else one shown with the same values of those that change it, else
        every form found, merged (None if none was)."""
        if self.key(kwargs) in self.found:
            return self.found[self.key(kwargs)][0]
        shaping = SHAPING.get(self.route.name, set())
        alike = [
            form for key, (form, _) in self.found.items() if all(dict(key).get(n) == kwargs.get(n) for n in shaping)
        ]
        merged = None
        for form in alike or [form for form, _ in self.found.values()]:
            merged = merged or fuzzing.Form()
            merged.merge(form)
        return merged

    def example(self, data):
        """One example: where a form was found 3 times in 4 (as someone shown it, 3 times in 4), else anywhere as
        anyone; the form's fields, nearly right or wrong; sent, checked, and any new 500 minimised."""
        known = list(self.found)
        if known and data.draw(st.sampled_from([True, True, True, False]), label="where a form was found"):
            key = data.draw(st.sampled_from(known), label="path")
            kwargs, (form, seen) = dict(key), self.found[key]
            others = [role for role in ROLES if role not in seen]
            roles = (sorted(seen, key=ROLES.index) * 3 * len(others) + others * len(seen)) if seen and others else ROLES
        else:
            kwargs = data.draw(self.any_kwargs(), label="path")
            form, roles = self.form_like(kwargs), ROLES
        role = data.draw(st.sampled_from(roles), label="role")
        payload = data.draw(fuzzing.payloads(form, self.context), label="payload")
        url = reverse(self.route.name, kwargs=kwargs) + (f"?{payload.query}" if payload.query else "")
        self.try_payload(url, role, payload)

    def sweep(self):
        """Before Hypothesis' examples, the same in every run: each form found, sent twice as first sent (a double
        submit); and each field of each (once a name), with each of its classic mistakes, the rest as first sent.
        As the first role shown the form."""
        swept = set()
        for key, (form, seen) in self.found.items():
            role = min(seen, key=ROLES.index) if seen else "site_admin"
            first = fuzzing.first_values(form, self.context)
            url = reverse(self.route.name, kwargs=dict(key)) + (f"?{first.query}" if first.query else "")
            payloads = [dataclasses.replace(first, repeat=2)]
            for field in form.fields.values():
                if field.name not in swept and field.kind != "file":
                    swept.add(field.name)
                    payloads += [first.with_field(field, values) for values in fuzzing.classic_mistakes(field)]
            for payload in payloads:
                self.try_payload(url, role, payload)

    def try_payload(self, url, role, payload):
        """Send it; minimise each 500 never seen before."""
        for finding in self.send(url, role, payload):
            smallest = self.minimise(url, role, payload, finding)
            finding.payload = smallest.shown()

    def send(self, url, role, payload, record=True):
        """POST the payload (as many times as it says) as the role, in a savepoint rolled back after; check and count
        each answer (if `record`). Gives the 500s (if `record`, those never seen before), as findings."""
        body, content_type = fuzzing.encode(payload)
        client = self.client(role)
        found = []
        try:
            with transaction.atomic():
                before = self.before
                for attempt in range(payload.repeat):
                    if attempt:
                        before = fuzzing.snapshot()
                    response, seconds = fuzzing.timed(
                        lambda: client.generic("POST", url, body, content_type=content_type)
                    )
                    if record:
                        found += self.check(response, seconds, url, role, payload, before)
                    elif response.status_code == 500:
                        found.append(self.finding(response, url, role, payload))
                raise _RolledBack
        except _RolledBack:
            pass
        return found

    def minimise(self, payload_url, role, payload, finding, tries=60):
        """The payload with as little left in it as still causes the same 500: sent once, without files, without
        each field in turn, each value shorter."""

        def same(candidate):
            nonlocal tries
            tries -= 1
            again = [f for f in self.send(payload_url, role, candidate, record=False) if f.cause == finding.cause]
            if again:  # what it says now, with the smaller payload
                finding.message, finding.frames, finding.status = again[0].message, again[0].frames, again[0].status
            return bool(again)

        for change in ({"repeat": 1}, {"files": []}, {"encoding": "urlencoded"}):
            candidate = dataclasses.replace(payload, **change)
            # (URL-encoded, the files would be left out: only once there are none)
            if candidate != payload and not (change.get("encoding") and payload.files) and same(candidate):
                payload = candidate
        for name in ("pairs", "files"):
            index = 0
            while index < len(getattr(payload, name)) and tries > 0:
                items = getattr(payload, name)
                candidate = dataclasses.replace(payload, **{name: items[:index] + items[index + 1 :]})
                if same(candidate):
                    payload = candidate
                else:
                    index += 1
        for index, (name, value) in enumerate(payload.pairs):  # each value as short as still does it
            for shorter in (value[:40], "x", "1", ""):
                if len(shorter) < len(value) and tries > 0:
                    pairs = [*payload.pairs[:index], (name, shorter), *payload.pairs[index + 1 :]]
                    if same(dataclasses.replace(payload, pairs=pairs)):
                        payload, value = dataclasses.replace(payload, pairs=pairs), shorter
        return payload

    def check(self, response, seconds, url, role, payload, before):
        """Count the answer; a 500, or a refusal that changed something, is a finding. Gives those never seen
        before."""
        status = response.status_code
        FINDINGS.request(status, seconds, f"{role} POST {url} {payload.shown()[:300]}")
        if TRACE:
            print(f"{status} {seconds:.2f}s {role} POST {url} {payload.shown()[:TRACE]}")
        what = {"view": self.route.name, "url": url, "role": role, "payload": payload.shown(), "status": status}
        if status == 500:
            finding = self.finding(response, url, role, payload)
            return [finding] if FINDINGS.add(finding) else []
        location = response.get("Location", "").split("?")[0]
        refused = status in (403, 404, 405) or (status == 302 and location in self.sign_in)
        if refused:
            changed = fuzzing.changes(before, fuzzing.snapshot())
            if changed:
                cause = f"{self.route.name} answered {status} and changed {', '.join(sorted(changed))}"
                FINDINGS.add(fuzzing.Finding("changed when refused", cause, message=str(changed), **what))
        return []

    def finding(self, response, url, role, payload):
        """A 500: what was sent, by whom, and the exception."""
        exc_info = getattr(response, "exc_info", None)
        return fuzzing.Finding(
            "500",
            fuzzing.cause_of(exc_info, self.route.name),
            view=self.route.name,
            url=url,
            role=role,
            payload=payload.shown(),
            status=response.status_code,
            message=fuzzing.exception_message(exc_info) if exc_info else "",
            frames=fuzzing.portal_frames(exc_info) if exc_info else [],
        )


class _RolledBack(Exception):
    """Leaves the example's savepoint, undoing whatever its requests changed."""


def fuzz(scenario, route, examples):
    """Read the view's forms, sweep each field's classic mistakes, then Hypothesis' examples."""
    fuzzer = Fuzzer(scenario, route)
    if route.is_form:
        assert fuzzer.found or route.name in NO_FORM, f"No page shows a form that posts to {route.name}"
        fuzzer.sweep()

    @settings(max_examples=examples, **SETTINGS)
    @given(data=st.data())
    def run(data):
        fuzzer.example(data)

    run()


# Views that take POST with no page showing a form for it: a redirect, and the new-password page, shown only after
# a redirect that keeps the reset link's token in the session. They are sent names the views read, and junk.
NO_FORM = {"compacts:list", "password_reset_confirm"}


def _problems(views):
    """What was found in these views, each with what was sent, by whom, and where it failed."""
    found = [finding for view in views for finding in FINDINGS.for_view(view)]
    return "\n".join(
        "\n    ".join([f"{f.kind}: {f.cause}", f"as {f.role}, POST {f.url}: {f.payload[:500]}", f.message, *f.frames])
        for f in found
    )


@pytest.mark.parametrize("route", FORM_ROUTES, ids=[route.name for route in FORM_ROUTES])
def test_no_500_from_a_form(world, route):
    fuzz(world, route, EXAMPLES)
    assert not FINDINGS.for_view(route.name), _problems([route.name])


def test_no_500_from_views_that_take_any_method(world):
    """Views that do not restrict the method take POST too (and mostly ignore its data)."""
    for route in ANY_METHOD_ROUTES:
        fuzz(world, route, max(2, EXAMPLES // 4))
    names = [route.name for route in ANY_METHOD_ROUTES]
    assert not any(FINDINGS.for_view(name) for name in names), _problems(names)
