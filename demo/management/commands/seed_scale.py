"""Generate a synthetic data set the size of every local Compact in England.

The data is made up (clearly named "Scale Compact 0001" and so on) and only
for measuring speed and query counts. It replaces any earlier scale data and
leaves the real Compacts alone.
"""

import datetime
import random
import re
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from commitments.checking import kinds_measured
from commitments.models import (
    Commitment,
    CommitmentSector,
    Figure,
    FigureKind,
    Record,
    RecordCheck,
    RecordKind,
    RecordResponse,
    RecordStatus,
    RecordVersion,
    Theme,
)
from commitments.services import record_checks
from compacts.cache import content_changed
from compacts.models import (
    Compact,
    CompactEvent,
    Contact,
    Email,
    GlossaryTerm,
    Membership,
    Organisation,
    OrganisationKind,
    OrganisationSector,
    Principle,
    Section,
    Signatory,
)
from disputes.models import (
    CitedCommitment,
    Complaint,
    ComplaintEvent,
    EventKind,
    Handler,
    Origin,
    Outcome,
    Procedure,
    Stage,
    StageClock,
    Status,
    TimeUnit,
)

PREFIX = "scale-"
SECTIONS_PER_COMPACT = 10
BUSY_CHAMPION = f"{PREFIX}busy-champion"  # removed with the rest of the scale users
BUSY_COMPACTS = 10
BUSY_SHARE = 0.85  # of the complaints in those Compacts, against the busy Champion's organisations and open
SOURCES = Path(settings.BASE_DIR) / "fixtures" / "sources"


def corpus():
    """Sentences of the five real documents, so that the synthetic text has the
    words, and the spread of words, of real Compacts (search depends on both)."""
    sentences = []
    for path in sorted(SOURCES.glob("*.txt")):
        text = re.sub(r"[#*|]|<[^>]+>", " ", path.read_text())
        for sentence in re.split(r"(?<=[.;:])\s+|\n+", text):
            words = sentence.split()
            if 8 <= len(words) <= 60:
                sentences.append(" ".join(words))
    return sentences


class Command(BaseCommand):
    help = "Create synthetic Compacts at scale (replacing earlier scale data) for benchmarks and tests."

    def add_arguments(self, parser):
        parser.add_argument("--compacts", type=int, default=300)
        parser.add_argument("--commitments", type=int, default=30_000)
        parser.add_argument("--organisations", type=int, default=3_000)
        parser.add_argument("--complaints", type=int, default=50_000)
        parser.add_argument("--events", type=int, default=400_000)
        parser.add_argument("--records", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, **options):
        started = time.monotonic()
        rng = random.Random(options["seed"])
        self.sentences = corpus()
        with transaction.atomic():
            self.remove_scale_data()
            self.create(rng, options["compacts"], options["commitments"], options["organisations"])
            if options["complaints"]:
                self.create_complaints(rng, options["complaints"], options["events"])
            if options["records"]:
                self.create_records(rng, options["records"])
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # What autovacuum would do after a bulk load: planner statistics,
                # and the visibility map that lets index scans skip the table.
                # (VACUUM cannot run inside a transaction, as under tests: there, statistics only.)
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
                if not connection.in_atomic_block:
                    # What a bulk load is followed by (pg_restore builds indexes last): the commitments' indexes
                    # built afresh. Replacing every scale commitment leaves the full-text index three times
                    # its built size, and its searches two to three times slower.
                    cursor.execute("REINDEX TABLE commitments_commitment")
        content_changed()
        self.stdout.write(
            f"Created {options['compacts']} Compacts, {options['commitments']} commitments and "
            f"{options['organisations']} organisations, {options['complaints']} complaints and "
            f"{options['events']} timeline events, {options['records']} records of Compact working in "
            f"{time.monotonic() - started:.1f}s"
        )

    def remove_scale_data(self):
        scale = {"compact__slug__startswith": PREFIX}
        complaints = Complaint.objects.filter(**scale)
        keys = complaints.annotate(key=Concat(Value("complaint:"), Cast("pk", CharField()))).values("key")
        Email.objects.filter(about__in=keys).delete()
        ComplaintEvent.objects.filter(complaint__in=complaints)._raw_delete(ComplaintEvent.objects.db)
        StageClock.objects.filter(complaint__in=complaints).delete()
        CitedCommitment.objects.filter(complaint__in=complaints).delete()
        complaints.delete()
        records = Record.objects.filter(**scale)
        for model in (RecordCheck, RecordResponse, RecordVersion):
            model.objects.filter(record__in=records)._raw_delete(model.objects.db)
        Record.commitments.through.objects.filter(record__in=records)._raw_delete(Record.objects.db)
        records._raw_delete(Record.objects.db)
        Membership.objects.filter(organisation__name__startswith="Scale Organisation ").delete()
        get_user_model().objects.filter(username__startswith="scale-").delete()
        for model in (Figure, Commitment, Principle, Signatory, Contact, GlossaryTerm, CompactEvent):
            model.objects.filter(**scale).delete()
        Stage.objects.filter(procedure__compact__slug__startswith=PREFIX).delete()
        Procedure.objects.filter(**scale).delete()
        Section.objects.filter(**scale).delete()
        Compact.objects.filter(slug__startswith=PREFIX).delete()
        Organisation.objects.filter(name__startswith="Scale Organisation ").delete()

    def create(self, rng, n_compacts, n_commitments, n_organisations):
        themes = list(Theme.objects.all())
        organisations = Organisation.objects.bulk_create(
            Organisation(
                name=f"Scale Organisation {i:05d}",
                sector=OrganisationSector.PUBLIC if i % 3 == 0 else OrganisationSector.VCS,
                kind=OrganisationKind.COUNCIL if i % 3 == 0 else OrganisationKind.CHARITY,
            )
            for i in range(n_organisations)
        )
        compacts = Compact.objects.bulk_create(
            Compact(
                slug=f"{PREFIX}{i:04d}",
                title=f"Scale Compact {i:04d}",
                short_name=f"Scale {i:04d}",
                area=f"Scale area {i:04d}",
                reference_prefix=f"S{i:04d}",
                status="adopted",
                summary="A synthetic Compact for measuring speed.",
                review_cycle_months=36,
                source_file="synthetic",
            )
            for i in range(n_compacts)
        )
        sections = Section.objects.bulk_create(
            Section(
                compact=compact,
                ref=f"section-{s}",
                order=s,
                level=2,
                number=f"{s}.",
                title=" ".join(rng.choice(self.sentences).split()[:5]),
                body=self.sentence(rng, 40),
            )
            for compact in compacts
            for s in range(1, SECTIONS_PER_COMPACT + 1)
        )
        by_compact = {}
        for section in sections:
            by_compact.setdefault(section.compact_id, []).append(section)
        commitments = Commitment.objects.bulk_create(
            (
                Commitment(
                    compact=compacts[i % n_compacts],
                    section=by_compact[compacts[i % n_compacts].id][(i // n_compacts) % SECTIONS_PER_COMPACT],
                    order=i // n_compacts,
                    ref=f"{i // n_compacts + 1}",
                    number=f"{i // n_compacts + 1}",
                    sector=rng.choice(CommitmentSector.values),
                    theme=rng.choice(themes),
                    lead_in="Partners will:",
                    text=self.sentence(rng, 30),
                )
                for i in range(n_commitments)
            ),
            batch_size=2000,
        )
        Figure.objects.bulk_create(
            Figure(
                compact=commitment.compact,
                kind=FigureKind.CONSULTATION_STANDARD,
                value=12,
                unit="weeks",
                quote="12 weeks",
                commitment=commitment,
            )
            for commitment in commitments[:n_compacts]
        )
        more = [
            (FigureKind.FUNDING_END_NOTICE, 3, "months", "three months' notice"),
            (FigureKind.FUNDING_DECISION_NOTICE, 3, "months", "three months in advance"),
            (FigureKind.FUNDING_TERM, 3, "years", "up to three years"),
        ]
        Figure.objects.bulk_create(
            Figure(compact=c.compact, kind=kind, value=value, unit=unit, quote=quote, commitment=c)
            for n, (kind, value, unit, quote) in enumerate(more, start=1)
            for c in commitments[n * n_compacts : (n + 1) * n_compacts]
        )
        Principle.objects.bulk_create(
            Principle(
                compact=compact,
                section=by_compact[compact.id][0],
                order=p,
                ref=f"principle-{p}",
                name=f"Principle {p}",
                text=f"Principle {p} - {self.sentence(rng, 20)}",
            )
            for compact in compacts
            for p in range(5)
        )
        Signatory.objects.bulk_create(
            Signatory(
                compact=compact,
                organisation=organisations[(c * 10 + s) % n_organisations],
                section=by_compact[compact.id][0],
                order=s,
                role="signed",
                printed_name=organisations[(c * 10 + s) % n_organisations].name,
            )
            for c, compact in enumerate(compacts)
            for s in range(10)
        )
        Contact.objects.bulk_create(
            Contact(
                compact=compact,
                section=by_compact[compact.id][-1],
                order=n,
                ref=f"contact-{n}",
                label=f"Contact {n}",
                details=f"Compact Champion\n01234 {n:06d}",
                is_champion=True,
                is_contact_point=True,
            )
            for compact in compacts
            for n in range(5)
        )
        GlossaryTerm.objects.bulk_create(
            GlossaryTerm(
                compact=compact,
                section=by_compact[compact.id][-1],
                order=0,
                term=f"Scale term {c:04d}",
                text=f"Scale term {c:04d}: {self.sentence(rng, 12)}",
            )
            for c, compact in enumerate(compacts)
        )
        CompactEvent.objects.bulk_create(
            CompactEvent(
                compact=compact,
                order=1,
                kind="adopted",
                date=f"20{10 + c % 15}-04-01",
                precision="month",
                description="Adopted.",
            )
            for c, compact in enumerate(compacts)
        )
        procedures = Procedure.objects.bulk_create(
            Procedure(compact=compact, origin=Origin.PORTAL_DEFAULT, summary="The portal's default procedure.")
            for compact in compacts
        )
        Stage.objects.bulk_create(
            Stage(
                procedure=procedure,
                order=order,
                origin=Origin.PORTAL_DEFAULT,
                name=name,
                text=f"{name}.",
                handler=handler,
                moves_on="No agreement.",
                time_limit=20,
                time_unit=TimeUnit.WORKING_DAYS,
                time_limit_origin=Origin.PORTAL_DEFAULT,
                time_limit_source="The portal's default.",
            )
            for procedure in procedures
            for order, name, handler in (
                (1, "Informal resolution", Handler.CHAMPIONS),
                (2, "Formal written response", Handler.RESPONDENT),
                (3, "Review by a panel", Handler.PANEL),
            )
        )

    def create_complaints(self, rng, n_complaints, n_events):
        """Complaints between each scale Compact's signatories, at every stage and status, with their timelines.

        Every organisation has a Champion for its Compact, so any of them can be
        signed in as to see their queue. One person, BUSY_CHAMPION, is the Champion
        of two organisations in each of the first BUSY_COMPACTS Compacts (a county
        council, say, that signs many Compacts), and most complaints there are
        against those organisations and open: at full size over a thousand open
        complaints in their queue, across ten Compacts and twenty organisations.
        """
        User = get_user_model()
        compacts = list(Compact.objects.filter(slug__startswith=PREFIX).order_by("slug"))
        signatories = {}
        for compact_id, organisation_id in Signatory.objects.filter(compact__in=compacts).values_list(
            "compact_id", "organisation_id"
        ):
            signatories.setdefault(compact_id, []).append(organisation_id)
        champions = {}
        users = User.objects.bulk_create(
            User(
                username=f"scale-{compact.slug}-{org}",
                email=f"scale-{org}-{compact.pk}@example.org",
                password="!",  # noqa: S106 unusable: nobody signs in as these
            )
            for compact in compacts
            for org in signatories[compact.pk]
        )
        busy_user = User.objects.create(
            username=BUSY_CHAMPION,
            email="busy-champion@example.org",
            password="!",  # noqa: S106 unusable, as above
        )
        busy = {compact.pk: sorted(signatories[compact.pk])[:2] for compact in compacts[:BUSY_COMPACTS]}
        memberships = []
        pairs = iter((compact, org) for compact in compacts for org in signatories[compact.pk])
        for user, (compact, org) in zip(users, pairs, strict=True):
            champions[(compact.pk, org)] = busy_user if org in busy.get(compact.pk, ()) else user
            memberships.append(
                Membership(
                    user=champions[(compact.pk, org)],
                    organisation_id=org,
                    role="champion",
                    compact=compact,
                    status="confirmed",
                )
            )
        Membership.objects.bulk_create(memberships)
        stages = {}
        for stage in (
            Stage.objects.filter(procedure__compact__in=compacts).select_related("procedure").order_by("order")
        ):
            stages.setdefault(stage.procedure.compact_id, []).append(stage)
        commitments = {}
        for compact_id, commitment_id in Commitment.objects.filter(compact__in=compacts).values_list(
            "compact_id", "id"
        ):
            commitments.setdefault(compact_id, []).append(commitment_id)
        now = timezone.now()
        today = timezone.localdate()
        complaints, clocks = [], []
        for n in range(n_complaints):
            compact = compacts[n % len(compacts)]
            complainant, respondent = rng.sample(signatories[compact.pk], 2)
            roll = rng.random()
            status = Status.DRAFT if roll < 0.05 else Status.OPEN if roll < 0.45 else Status.CLOSED
            if compact.pk in busy and rng.random() < BUSY_SHARE:
                respondent = rng.choice(busy[compact.pk])
                complainant = rng.choice([org for org in signatories[compact.pk] if org != respondent])
                status = Status.OPEN
            stage = rng.choice(stages[compact.pk])
            submitted = now - datetime.timedelta(days=rng.randint(1, 3 * 365))
            due = today + datetime.timedelta(days=rng.randint(-30, 40)) if status == Status.OPEN else None
            complaints.append(
                Complaint(
                    compact=compact,
                    reference=None if status == Status.DRAFT else f"{compact.reference_prefix}-{n:06d}",
                    number=None if status == Status.DRAFT else n,
                    status=status,
                    raised_by=champions[(compact.pk, complainant)],
                    complainant_id=complainant,
                    respondent_id=respondent,
                    summary=" ".join(rng.choice(self.sentences).split()[:8]),
                    what_happened=self.sentence(rng, 40),
                    outcome_wanted=self.sentence(rng, 15),
                    current_stage=stage if status == Status.OPEN else None,
                    stage_started_on=(due - datetime.timedelta(days=20)) if due else None,
                    stage_due_on=due,
                    outcome="" if status != Status.CLOSED else rng.choice(list(Outcome.values)),
                    outcome_summary="" if status != Status.CLOSED else self.sentence(rng, 15),
                    submitted_at=None if status == Status.DRAFT else submitted,
                    cited_version=None if status == Status.DRAFT else 1,  # the document as loaded: no review yet
                    closed_at=submitted + datetime.timedelta(days=60) if status == Status.CLOSED else None,
                )
            )
        complaints = Complaint.objects.bulk_create(complaints, batch_size=5000)
        CitedCommitment.objects.bulk_create(
            (
                CitedCommitment(complaint=c, commitment_id=rng.choice(commitments[c.compact_id]), text="As it stood.")
                for c in complaints
            ),
            batch_size=10_000,
        )
        for c in complaints:
            if c.status == Status.DRAFT:
                continue
            for stage in stages[c.compact_id]:
                started = c.submitted_at + datetime.timedelta(days=30 * (stage.order - 1))
                due = (started + datetime.timedelta(days=28)).date()
                clocks.append(
                    StageClock(
                        complaint=c,
                        stage=stage,
                        started_on=started.date(),
                        started_at=started,
                        time_limit=stage.time_limit,
                        time_unit=stage.time_unit,
                        due_on=c.stage_due_on if stage == c.current_stage else due,
                        original_due_on=due,
                        ended_at=None if stage == c.current_stage else started + datetime.timedelta(days=25),
                    )
                )
                if stage == c.current_stage:
                    break
        StageClock.objects.bulk_create(clocks, batch_size=10_000)
        submitted = [c for c in complaints if c.status != Status.DRAFT]
        kinds = [EventKind.ACKNOWLEDGED, EventKind.MEETING, EventKind.LODGED, EventKind.RESPONSE, EventKind.NOTE]
        events = (
            ComplaintEvent(
                complaint=c,
                kind=EventKind.SUBMITTED if i < len(submitted) else rng.choice(kinds),
                at=c.submitted_at + datetime.timedelta(hours=i // len(submitted)),
                by_id=c.raised_by_id,
                stage_id=c.current_stage_id,
                text=rng.choice(self.sentences),
            )
            for i in range(n_events)
            for c in [submitted[i % len(submitted)]]
        )
        ComplaintEvent.objects.bulk_create(events, batch_size=10_000)

    def sentence(self, rng, words):
        """Real sentences, picked at random, about `words` words long in all."""
        picked = []
        while sum(len(s.split()) for s in picked) < words:
            picked.append(rng.choice(self.sentences))
        return " ".join(picked)

    def create_records(self, rng, n_records):
        """Records of Compact working in every scale Compact: consultations and grants between its signatories over
        three years, most of them public, each worked out against its Compact's figures as the portal does."""
        compacts = list(Compact.objects.filter(slug__startswith=PREFIX).order_by("slug"))
        signatories = {}
        for compact_id, organisation_id in Signatory.objects.filter(compact__in=compacts).values_list(
            "compact_id", "organisation_id"
        ):
            signatories.setdefault(compact_id, []).append(organisation_id)
        figures = {}
        for figure in Figure.objects.filter(compact__in=compacts).select_related("commitment"):
            figures.setdefault(figure.compact_id, []).append(figure)
        recorder = get_user_model().objects.filter(username__startswith="scale-").order_by("pk").first()
        if recorder is None:
            recorder = get_user_model().objects.create(username="scale-recorder", password="!")  # noqa: S106
        now, today = timezone.now(), timezone.localdate()
        first = datetime.date(today.year - 2, 1, 1)
        records, plans = [], []
        for i in range(n_records):
            compact = compacts[i % len(compacts)]
            kind = RecordKind.CONSULTATION if i % 2 else RecordKind.FUNDING
            about, recorded_for = rng.sample(signatories[compact.pk], 2)
            start = first + datetime.timedelta(days=rng.randrange((today - first).days))
            record = Record(
                compact=compact,
                kind=kind,
                about_id=about,
                recorded_for_id=recorded_for,
                recorded_by=recorder,
                recorded_at=now,
                title=f"Scale record {i}",
                occurred_on=start,
                status=rng.choice(RecordStatus.values),
                public_from=start + datetime.timedelta(days=28 if i % 10 else 4000),
            )
            if kind == RecordKind.CONSULTATION:
                record.starts_on, record.ends_on = (
                    start,
                    start + datetime.timedelta(weeks=rng.choice([6, 8, 10, 12, 13])),
                )
            else:
                record.decided_on = start
                record.starts_on = start + datetime.timedelta(days=rng.choice([30, 60, 95, 120]))
                record.ends_on = record.starts_on + datetime.timedelta(days=rng.choice([364, 729, 1094]))
                if i % 3 == 0:
                    record.changes_on, record.notice_on = (
                        record.ends_on,
                        record.ends_on - datetime.timedelta(days=rng.choice([40, 80, 100])),
                    )
            records.append(record)
            plans.append([f for f in figures.get(compact.pk, []) if f.kind in kinds_measured(kind)])
        records = Record.objects.bulk_create(records, batch_size=5000)
        Record.commitments.through.objects.bulk_create(
            (
                Record.commitments.through(record_id=record.pk, commitment_id=figure.commitment_id)
                for record, chosen in zip(records, plans, strict=True)
                for figure in {f.commitment_id: f for f in chosen}.values()
            ),
            batch_size=5000,
        )
        RecordVersion.objects.bulk_create(
            (
                RecordVersion(record=record, number=1, facts={}, commitments=[], by=recorder, at=now)
                for record in records
            ),
            batch_size=5000,
        )
        # Worked out as the service works them out: the same checker, the same figures for each kind of record.
        organisations = Organisation.objects.in_bulk({record.about_id for record in records})
        checks = [
            check
            for record, chosen in zip(records, plans, strict=True)
            for check in record_checks(record, chosen, organisations[record.about_id])
        ]
        RecordCheck.objects.bulk_create(checks, batch_size=5000)
