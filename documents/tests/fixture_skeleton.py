"""What the five fixture tests (test_fixture_<compact>.py) share; each keeps only its own document's expectations.

A module loads its Compact with `load(slug)`, subclasses `FixtureChecks` with its slug and the counts it read in
its document (so the counts and "loading twice changes nothing" are written once, here), and states the rest as
data for the helpers below: figures as (kind, ref) -> (value, unit), stages and signatories in printed order,
commitment numbers as printed.

Every line of the document is on the Compact page and on its version 1: checked, with one list of page furniture
for both, in documents/tests/test_version_document.py.
"""

from operator import attrgetter

from django.core.management import call_command

from commitments.models import Commitment, Figure, Theme
from compacts.models import (
    CaseStudy,
    CodeOfPractice,
    Compact,
    CompactEvent,
    Contact,
    GlossaryTerm,
    Organisation,
    Principle,
    Section,
    Signatory,
)
from disputes.models import Procedure, Stage

# A stage's (time_limit, time_unit, time_limit_origin) where the document sets none and the portal's default applies,
# and where there is no time limit at all (the stage leaves the Compact).
PORTAL_DEFAULT = (20, "working_days", "portal_default")
NO_TIME_LIMIT = (None, "", "")

# The kinds of a Compact's content, each a model with a `compact`, whose every row `snapshot` holds.
CONTENT = [
    CompactEvent,
    Section,
    Principle,
    Commitment,
    Figure,
    Signatory,
    Contact,
    GlossaryTerm,
    CodeOfPractice,
    CaseStudy,
    Procedure,
]


def load(slug):
    """Load the Compact's fixture, with the themes its commitments use, and return the Compact."""
    call_command("loaddata", "themes", slug, verbosity=0)
    return Compact.objects.get(slug=slug)


def counts(compact):
    """How many of each kind the Compact has (organisations: all of them, as only its fixture is loaded)."""
    sections = Section.objects.filter(compact=compact)
    commitments = Commitment.objects.filter(compact=compact)
    signatories = Signatory.objects.filter(compact=compact)
    contacts = Contact.objects.filter(compact=compact)
    return {
        "sections": sections.count(),
        "wrapper_sections": sections.filter(part="wrapper").count(),
        "appendix_sections": sections.filter(part="appendix").count(),
        "main_headings": sections.filter(level=2).exclude(number="").count(),
        "events": CompactEvent.objects.filter(compact=compact).count(),
        "principles": Principle.objects.filter(compact=compact).count(),
        "commitments": commitments.count(),
        "commitments_public": commitments.filter(sector="public").count(),
        "commitments_vcs": commitments.filter(sector="vcs").count(),
        "commitments_all": commitments.filter(sector="all").count(),
        "signatories": signatories.count(),
        "signatories_prepared": signatories.filter(role="prepared").count(),
        "signatories_lead": signatories.filter(role="lead").count(),
        "contacts": contacts.count(),
        "placeholder_contacts": contacts.exclude(placeholder="").count(),
        "champions": contacts.filter(is_champion=True).count(),
        "glossary_terms": GlossaryTerm.objects.filter(compact=compact).count(),
        "case_studies": CaseStudy.objects.filter(compact=compact).count(),
        "codes_of_practice": CodeOfPractice.objects.filter(compact=compact).count(),
        "figures": Figure.objects.filter(compact=compact).count(),
        "procedures": Procedure.objects.filter(compact=compact).count(),
        "stages": Stage.objects.filter(procedure__compact=compact).count(),
        "organisations": Organisation.objects.count(),
    }


def counted(compact, expected):
    """The counts `expected` names (only those a module has read in its document), from `counts`."""
    every = counts(compact)
    assert set(expected) <= set(every), f"no such count: {set(expected) - set(every)}"
    return {kind: every[kind] for kind in expected}


def snapshot(compact):
    """Every row loading the Compact's fixture writes, field by field, ids included."""
    return {
        "compact": Compact.objects.filter(pk=compact.pk).values().get(),
        **{model.__name__: list(model.objects.filter(compact=compact).order_by("pk").values()) for model in CONTENT},
        "Stage": list(Stage.objects.filter(procedure__compact=compact).order_by("pk").values()),
        "Organisation": list(Organisation.objects.order_by("pk").values()),
        "Theme": list(Theme.objects.order_by("pk").values()),
    }


def figures(compact, *also):
    """The Compact's figures as {(kind, ref): (value, unit, *also)}; `also` names more attributes ("commitment.ref")."""
    return {
        (figure.kind, figure.ref): (figure.value, figure.unit, *(attrgetter(name)(figure) for name in also))
        for figure in Figure.objects.filter(compact=compact)
    }


def stages(compact, *fields):
    """The Compact's dispute stages in order: the one field named, or a tuple of the fields named, of each."""
    rows = Stage.objects.filter(procedure__compact=compact).order_by("order")
    return list(rows.values_list(*fields, flat=len(fields) == 1))


def time_limit(stage):
    """A stage's time limit with its unit and where it comes from (compare with PORTAL_DEFAULT, NO_TIME_LIMIT)."""
    return (stage.time_limit, stage.time_unit, stage.time_limit_origin)


def printed_signatories(compact, **only):
    """The names of the Compact's signatories as printed, in printed order (`only`: a filter, e.g. role="lead")."""
    rows = Signatory.objects.filter(compact=compact, **only).order_by("order")
    return list(rows.values_list("printed_name", flat=True))


def assert_numbers_as_printed(compact, printed, *, public, vcs):
    """Every commitment is numbered as printed, in printed order, its number its reference, in its sector's list."""
    rows = list(Commitment.objects.filter(compact=compact).order_by("section__order", "order"))
    assert [c.number for c in rows] == list(printed)
    assert [c.ref for c in rows] == list(printed)
    assert {c.number for c in rows if c.sector == "public"} == public
    assert {c.number for c in rows if c.sector == "vcs"} == vcs


class FixtureChecks:
    """The checks every fixture module makes; a module subclasses this (as `class TestFixture`) with its `slug` and
    `expected_counts`, the counts it read in its document (the names are `counts`' keys)."""

    slug: str
    expected_counts: dict

    def test_counts_match_the_document(self):
        compact = load(self.slug)
        assert counted(compact, self.expected_counts) == self.expected_counts

    def test_loading_twice_changes_nothing(self):
        compact = load(self.slug)
        before_counts, before = counts(compact), snapshot(compact)
        compact = load(self.slug)
        assert Compact.objects.filter(slug=self.slug).count() == 1
        assert counts(compact) == before_counts
        assert counted(compact, self.expected_counts) == self.expected_counts
        assert snapshot(compact) == before
