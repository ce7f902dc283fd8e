"""Generate a synthetic data set the size of every local Compact in England.

The data is made up (clearly named "Scale Compact 0001" and so on) and only
for measuring speed and query counts. It replaces any earlier scale data and
leaves the real Compacts alone.
"""

import random
import re
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from commitments.models import Commitment, CommitmentSector, Figure, FigureKind, Theme
from compacts.cache import bump_content_version
from compacts.models import (
    Compact,
    CompactEvent,
    Contact,
    GlossaryTerm,
    Organisation,
    OrganisationKind,
    OrganisationSector,
    Principle,
    Section,
    Signatory,
)
from disputes.models import Handler, Origin, Procedure, Stage, TimeUnit

PREFIX = "scale-"
SECTIONS_PER_COMPACT = 10
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
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, **options):
        started = time.monotonic()
        rng = random.Random(options["seed"])
        self.sentences = corpus()
        with transaction.atomic():
            self.remove_scale_data()
            self.create(rng, options["compacts"], options["commitments"], options["organisations"])
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # What autovacuum would do after a bulk load: planner statistics,
                # and the visibility map that lets index scans skip the table.
                # (VACUUM cannot run inside a transaction, as under tests: there, statistics only.)
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        bump_content_version()
        self.stdout.write(
            f"Created {options['compacts']} Compacts, {options['commitments']} commitments and "
            f"{options['organisations']} organisations in {time.monotonic() - started:.1f}s"
        )

    def remove_scale_data(self):
        scale = {"compact__slug__startswith": PREFIX}
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

    def sentence(self, rng, words):
        """Real sentences, picked at random, about `words` words long in all."""
        picked = []
        while sum(len(s.split()) for s in picked) < words:
            picked.append(rng.choice(self.sentences))
        return " ".join(picked)
