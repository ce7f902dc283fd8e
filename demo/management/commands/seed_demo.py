"""Demo accounts, one per role, and complaints at different stages of different Compacts.

For trying the portal out: refuses to run with DEBUG off. Every account's
password is the same and listed in the README. Running it again changes
nothing that is already there.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from commitments import services as record_services
from commitments.models import Commitment, Record
from compacts import services as compact_services
from compacts.models import Compact, CompactRole, ConfirmedEmail, Membership, Organisation, Signatory
from disputes import services
from disputes.models import Complaint, ResponseTemplate
from disputes.workflow import Action

PASSWORD = "compact-demo-2026"  # noqa: S105 public on purpose: demo accounts only, never with DEBUG off

PEOPLE = [
    # email, name, organisation, role, compact (for a Champion, or the one Compact an administrator runs)
    ("vcs@demo.example", "Val Carter", "First Stop Darlington", "member", None),
    ("vcs.champion@demo.example", "Vik Chana", "First Stop Darlington", "champion", "darlington"),
    ("council.champion@demo.example", "Cal Hughes", "Darlington Borough Council", "champion", "darlington"),
    ("officer@demo.example", "Olu Fashola", "Darlington Borough Council", "member", None),
    ("chair@demo.example", "Chris Ashby", "eVOLution (Darlington CVS)", "member", None),
    ("panel@demo.example", "Pat Nolan", "Age Concern Darlington", "champion", "darlington"),
    ("panel2@demo.example", "Sam Rowe", "Tees Valley YMCA", "champion", "darlington"),
    ("derby.vcs@demo.example", "Dee Evans", "Derby City Partnership", "member", None),
    ("derby.champion@demo.example", "Dan Burke", "Derbyshire County Council", "champion", "derby-derbyshire"),
    ("friend@demo.example", "Fran Lee", "Derby Compact Forum", "member", None),
    ("partner@demo.example", "Priya Shah", "Derby City Council", "champion", "derby-derbyshire"),
    ("durham.officer@demo.example", "Dana Reid", "Durham County Council", "member", None),
    ("onevoice@demo.example", "Omar Brooks", "One Voice Network", "member", None),
    ("dacorum.officer@demo.example", "Dev Patel", "Dacorum Borough Council", "member", None),
    ("cad@demo.example", "Cara Doyle", "Community Action Dacorum", "member", None),
    ("admin@demo.example", "Ada Morgan", None, None, None),
    ("dorset.admin@demo.example", "Dora Marsh", None, None, "dorset"),
]
ROLES = [
    ("dorset.admin@demo.example", "dorset", "administrator"),
    ("chair@demo.example", "darlington", "chair"),
    ("friend@demo.example", "derby-derbyshire", "critical_friend"),
    ("partner@demo.example", "derby-derbyshire", "chair"),
]
# Compacts whose documents name no signatories: organisations sign up through
# the portal (as Derby and Derbyshire's section 7 intends), each asked for by
# one of its people and confirmed by the demo administrator.
PLEDGES = [
    ("derby-derbyshire", "Derbyshire County Council", "derby.champion@demo.example", "Chief Executive"),
    ("derby-derbyshire", "Derby City Council", "partner@demo.example", "Director of Communities"),
    ("derby-derbyshire", "Derby City Partnership", "derby.vcs@demo.example", "Chair"),
    ("county-durham", "Durham County Council", "durham.officer@demo.example", "Head of Partnerships"),
    ("county-durham", "One Voice Network", "onevoice@demo.example", "Chair"),
    ("dacorum", "Dacorum Borough Council", "dacorum.officer@demo.example", "Chief Executive"),
    ("dacorum", "Community Action Dacorum", "cad@demo.example", "Chief Officer"),
]
TEMPLATES = [
    (
        "response",
        "Formal response: commitment met",
        "Thank you for your complaint. We have looked at what happened against the commitments you cited.\n\n"
        "What we did:\n\nWhy we believe this meets the commitment:\n\nWhat we will do differently:",
    ),
    (
        "response",
        "Formal response: commitment not met, with remedy",
        "Thank you for your complaint. We accept that we did not meet the commitment you cited.\n\n"
        "What went wrong:\n\nWhat we will do to put it right, and by when:",
    ),
    (
        "findings",
        "Panel findings and recommendations",
        "The panel met on [date] and considered the complaint, the response and the evidence.\n\n"
        "Findings:\n\nRecommendations:",
    ),
    ("acknowledged", "Acknowledgement", "We have received your complaint and will respond within the time limit."),
]


class Command(BaseCommand):
    help = "Create demo accounts and complaints (development only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo is for trying the portal out: it refuses to run with DEBUG off.")
        with transaction.atomic():
            people = self.people()
            self.pledges(people["admin"])
            for kind, title, body in TEMPLATES:
                ResponseTemplate.objects.get_or_create(title=title, defaults={"for_event": kind, "body": body})
            if not Complaint.objects.filter(raised_by__email__endswith="@demo.example").exists():
                self.complaints(people)
            if not Record.objects.filter(recorded_by__email__endswith="@demo.example").exists():
                self.records(people)
        self.stdout.write(f"Demo accounts ready (password {PASSWORD}):")
        names = dict(Compact.objects.values_list("slug", "short_name"))
        for email, name, organisation, role, compact in PEOPLE:
            what = role or (f"{names.get(compact, compact)} Compact administrator" if compact else "site administrator")
            self.stdout.write(f"  {email:32} {name} ({what}{', ' + organisation if organisation else ''})")

    def people(self):
        User = get_user_model()
        people = {}
        for email, name, organisation, role, compact in PEOPLE:
            first, last = name.split(" ", 1)
            user, created = User.objects.get_or_create(
                username=email, defaults={"email": email, "first_name": first, "last_name": last}
            )
            if created:
                user.set_password(PASSWORD)
                user.save()
            ConfirmedEmail.objects.get_or_create(user=user, defaults={"email": email})
            if organisation:
                organisation = Organisation.objects.get(name=organisation)
                # Everyone belongs to their organisation; a Champion is also its Champion for one Compact.
                for kind, of in {("member", None), (role, Compact.objects.filter(slug=compact).first())}:
                    Membership.objects.get_or_create(
                        user=user, organisation=organisation, role=kind, compact=of, defaults={"status": "confirmed"}
                    )
            people[email.split("@")[0]] = user
        admin = people["admin"]
        admin.is_staff = admin.is_superuser = True
        admin.save()
        for compact in Compact.objects.all():
            CompactRole.objects.get_or_create(user=admin, compact=compact, role="administrator")
        for email, compact, role in ROLES:
            CompactRole.objects.get_or_create(
                user=User.objects.get(username=email), compact=Compact.objects.get(slug=compact), role=role
            )
        return people

    def pledges(self, admin):
        """Sign-ups through the portal's own service, asked for and confirmed as people would."""
        User = get_user_model()
        for compact_slug, name, email, role in PLEDGES:
            compact = Compact.objects.get(slug=compact_slug)
            organisation = Organisation.objects.get(name=name)
            if Signatory.objects.filter(compact=compact, organisation=organisation).exists():
                continue
            person = User.objects.get(username=email)
            sign_up = compact_services.sign_up_request(
                by=person,
                compact=compact,
                organisation=organisation,
                sector=organisation.sector,
                kind=organisation.kind,
                identifier_scheme=organisation.identifier_scheme,
                identifier=organisation.identifier,
                signed_by_name=person.get_full_name(),
                signed_by_role=role,
            )
            compact_services.sign_up_decide(sign_up=sign_up, by=admin, confirm=True)

    def records(self, p):
        """A record between two organisations with no Champion: Durham County Council's own ten-week consultation,
        naming One Voice Network as consulted; One Voice Network's contact is asked to confirm or dispute it."""
        durham = Compact.objects.get(slug="county-durham")
        council = Organisation.objects.get(name="Durham County Council")
        record_services.record_create(
            compact=durham,
            by=p["durham.officer"],
            recorded_for=council,
            kind="consultation",
            commitments=list(Commitment.objects.filter(compact=durham, ref="2.4")),
            facts={
                "about": council,
                "others": [Organisation.objects.get(name="One Voice Network")],
                "title": "Library service opening hours",
                "starts_on": datetime.date(2026, 9, 1),
                "ends_on": datetime.date(2026, 11, 10),
            },
        )

    def complaints(self, p):
        darlington = Compact.objects.get(slug="darlington")
        council = Organisation.objects.get(name="Darlington Borough Council")
        helpers = Organisation.objects.get(name="First Stop Darlington")

        def raise_(by, compact, complainant, respondent, refs, summary, happened, wanted):
            complaint, _ = services.complaint_save_draft(
                by=by,
                compact=compact,
                complainant=complainant,
                fields={
                    "summary": summary,
                    "what_happened": happened,
                    "outcome_wanted": wanted,
                    "respondent": respondent,
                    "happened_on": datetime.date(2026, 10, 14),
                },
                commitments=list(Commitment.objects.filter(compact=compact, ref__in=refs)),
                files=[],
            )
            services.complaint_submit(complaint=complaint, by=by, version=complaint.version)
            return complaint

        def act(complaint, by, action, **details):
            complaint.refresh_from_db()
            services.complaint_act(complaint=complaint, by=by, action=action, version=complaint.version, **details)

        first = raise_(
            p["vcs"],
            darlington,
            helpers,
            council,
            ["public-5", "public-6"],
            "Day centre grant cut without consultation",
            "The council cut our day centre grant by half from 1 November with no consultation and "
            "three weeks' notice.",
            "Restore the grant until a proper review has been consulted on.",
        )
        act(first, p["council.champion"], Action.ACKNOWLEDGE, text="Received; we will arrange a meeting.")

        second = raise_(
            p["vcs"],
            darlington,
            helpers,
            council,
            ["public-5"],
            "Review of youth services without the sector",
            "The review of youth services was done with no third sector involvement at all.",
            "Reopen the review and involve the sector at every stage.",
        )
        act(
            second,
            p["council.champion"],
            Action.MEETING,
            text="Champions met; no agreement on reopening.",
            held_on=datetime.date.today(),
            attendees="Vik Chana, Cal Hughes",
        )
        act(second, p["vcs"], Action.LODGE, text="We set out our complaint in writing, as attached to the record.")
        act(second, p["council.champion"], Action.RESPOND, text="The review had to finish before the budget.")
        act(second, p["vcs"], Action.ESCALATE, text="The response does not address the Compact commitment.")
        act(
            second,
            p["chair"],
            Action.CONVENE,
            text="Panel convened.",
            chair=p["chair"],
            members=[p["panel"], p["panel2"]],
        )

        derby = Compact.objects.get(slug="derby-derbyshire")
        third = raise_(
            p["derby.vcs"],
            derby,
            Organisation.objects.get(name="Derby City Partnership"),
            Organisation.objects.get(name="Derbyshire County Council"),
            ["13.2", "13.1"],
            "Funding ended with four weeks' notice",
            "Our contract ended with four weeks' written notice and no assessment of the impact.",
            "Three months' notice, as 13.2 says, and a plan for the people we support.",
        )
        act(third, p["derby.champion"], Action.RESPOND, text="We are sorry; the decision was made late.")
        act(third, p["derby.vcs"], Action.ESCALATE, text="We still need help: asking the critical friend.")
        act(
            third,
            p["friend"],
            Action.MEETING,
            text="Met both sides; agreed to ask the partners.",
            held_on=datetime.date.today(),
            attendees="Dee Evans, Dan Burke, Fran Lee",
        )
        act(third, p["derby.vcs"], Action.ESCALATE, text="Partners group, please.")

        # Organisations with no Champion. Dacorum Borough Council's contact in the portal (Dev Patel, who signed it
        # up) answers for it; nobody from Durham Constabulary is in the portal, so Darlington's administrators are
        # told, and name who answers.
        dacorum = Compact.objects.get(slug="dacorum")
        raise_(
            p["cad"],
            dacorum,
            Organisation.objects.get(name="Community Action Dacorum"),
            Organisation.objects.get(name="Dacorum Borough Council"),
            ["statutory-funding-3"],
            "Core funding reduced without the notice agreed",
            "Our core funding for next year was reduced with six weeks' notice, not in line with the guidelines "
            "agreed with CHACE.",
            "Notice in line with the agreed guidelines, and a meeting to plan for the change.",
        )
        raise_(
            p["vcs"],
            darlington,
            helpers,
            Organisation.objects.get(name="Durham Constabulary"),
            ["public-5"],
            "Youth diversion scheme ended without consultation",
            "The youth diversion scheme we ran with the police ended with no consultation with the sector.",
            "Consult the sector before changes to jointly run schemes.",
        )
