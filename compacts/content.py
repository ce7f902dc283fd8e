"""The kinds of a Compact's content, each declared once, and the registry they are declared into.

A kind (a section, a principle, a commitment, a figure, ...) says what it is: its model, its name in a version and
in the text format ("commitment": `{"kind": "commitment"}`, `::: commitment`), its label in words, the field of its
printed words, where a section prints it among its items, what a version keeps of it, how the text format writes it,
and how a review writes a change to it (a kind a review may change). Each app declares its own kinds in its
content.py (this app's below; commitments.content, disputes.content) and registers them from its AppConfig.ready(),
with the other models its public pages show. Versions (documents.versions), the text format (documents.textformat),
the Compact page (documents.selectors) and the page cache (compacts.cache) read them here, so adding a kind is one
declaration (and, for the Compact page, its few lines of template).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.utils.text import slugify

from . import cache
from .models import (
    CaseStudy,
    CodeOfPractice,
    Compact,
    CompactEvent,
    CompactVersion,
    Contact,
    GlossaryTerm,
    Membership,
    Organisation,
    Principle,
    Section,
    Signatory,
    SignatoryRole,
    WorkPlanAction,
)


@dataclass(frozen=True, kw_only=True)
class Block:
    """How the text format writes an item printed under a section: `::: name attr=value ...`, its printed words
    inside."""

    attributes: tuple[str, ...]  # its fields written as attributes (`order` is always one)
    listed: int  # its place in the format's list of blocks (the order a message and the guide name them in)


@dataclass(frozen=True, kw_only=True)
class Kind:
    """One kind of a Compact's content."""

    name: str  # how a version, a review and the text format name it: "commitment"
    model: type[models.Model]
    label: str  # in words, as a review and a version name one: "Commitment"
    text: str  # the field of its printed words
    version: Callable  # what a version keeps of one row: {"ref", "label", "text", ...} for an item
    rows: Callable | None = None  # a Compact's rows a version keeps; by default all of the Compact's
    place: int | None = None  # where a section prints it among its items (1 first); None: not an item
    shown: Callable | None = None  # a Compact's rows its page shows; by default those a version keeps, in order
    block: Block | None = None  # how the text format writes it; None: not a block (a heading, or front matter)
    write: Callable | None = None  # (compact, review change): puts a change into the tables; None: not editable

    @property
    def editable(self):
        """Whether a review may change it."""
        return self.write is not None

    @property
    def plural(self):
        """Its name among a section's items on the Compact page (section.items.principles): its section's related
        name for it."""
        return self.model._meta.get_field("section").remote_field.related_name

    def of(self, compact):
        """The Compact's rows of this kind that a version keeps."""
        return self.rows(compact) if self.rows else self.model.objects.filter(compact=compact)

    def on_page(self, compact):
        """The Compact's rows of this kind that its page shows, in order."""
        return self.shown(compact) if self.shown else self.of(compact).order_by("order")


_kinds = {}  # name: Kind, in the order registered
_shown = set()  # the other models public pages show


def register(*kinds):
    """Declare kinds of content (from an app's ready()); the page cache follows their models from then on."""
    for kind in kinds:
        if _kinds.get(kind.name, kind) != kind:
            raise ValueError(f"Two kinds of content are named {kind.name!r}.")
        _kinds[kind.name] = kind
        cache.follow(kind.model)


def show(*models):
    """Declare models that public pages show without being a kind of a Compact's content (an organisation's name, a
    Champion, a work plan); the page cache follows them."""
    for model in models:
        _shown.add(model)
        cache.follow(model)


def kind(name):
    """The kind of content named `name`; KeyError if there is none."""
    return _kinds[name]


def kinds():
    """Every kind of content, in the order registered."""
    return list(_kinds.values())


def items():
    """The kinds a section prints among its items, in the order it prints them."""
    return sorted((kind for kind in _kinds.values() if kind.place is not None), key=lambda kind: kind.place)


def editable():
    """The kinds a review may change, by name."""
    return {kind.name: kind for kind in _kinds.values() if kind.editable}


def blocks():
    """The kinds the text format writes as blocks, by name, in the order it lists them."""
    written = sorted((kind for kind in _kinds.values() if kind.block), key=lambda kind: kind.block.listed)
    return {kind.name: kind for kind in written}


def label(name):
    """A kind's label, or its name where no kind has it (an older version's)."""
    return _kinds[name].label if name in _kinds else name


def public_models():
    """Every model public pages show: each kind's, and the others declared (the page cache follows them)."""
    return {kind.model for kind in _kinds.values()} | _shown


# This app's kinds ----------------------------------------------------------------------------------------------

# The Compact's own fields a document gives (the text format's front matter).
COMPACT_FIELDS = [
    "slug",
    "title",
    "short_name",
    "area",
    "reference_prefix",
    "status",
    "status_note",
    "version",
    "summary",
    "owner_note",
    "review_cycle_months",
    "review_cycle_note",
    "source_file",
    "source_description",
    "pledge",
]


def _write_section(compact, change):
    Section.objects.filter(compact=compact, ref=change.ref).update(body=change.value)


def _write_principle(compact, change):
    Principle.objects.filter(compact=compact, ref=change.ref).update(text=change.value)


def _printed_signatories(compact):
    # As the Compact page lists them (documents.selectors.compact_document): not organisations that signed up in
    # the portal, which are not part of the document, nor the one that led the preparation, which the words before
    # the printed list name.
    return (
        Signatory.objects.filter(compact=compact, section__isnull=False, joined_on__isnull=True)
        .exclude(role=SignatoryRole.LEAD)
        .select_related("organisation")
    )


SECTION = Kind(
    name="section",
    model=Section,
    label="Section text",
    text="body",
    version=lambda s: {
        "ref": s.ref,
        "number": s.number,
        "title": s.title,
        "level": s.level,
        "body": s.body,
        "body_after": s.body_after,
    },
    rows=lambda compact: Section.objects.filter(compact=compact).order_by("order"),
    write=_write_section,
)
PRINCIPLE = Kind(
    name="principle",
    model=Principle,
    label="Principle",
    text="text",
    version=lambda p: {"ref": p.ref, "label": p.name, "text": p.text},
    place=1,
    block=Block(attributes=("ref", "name"), listed=1),
    write=_write_principle,
)
SIGNATORY = Kind(
    name="signatory",
    model=Signatory,
    label="Signatory",
    text="printed_name",
    version=lambda s: {
        "ref": slugify(f"{s.organisation.name} {s.role}"),
        "label": s.printed_name,
        "text": s.printed_name,
    },
    rows=_printed_signatories,
    place=3,
    # The page gathers every signatory, those that signed up in the portal apart (they have no section).
    shown=lambda compact: Signatory.objects.filter(compact=compact).select_related("organisation").order_by("order"),
)
CONTACT = Kind(
    name="contact",
    model=Contact,
    label="Contact",
    text="details",
    version=lambda c: {"ref": c.ref, "label": c.label, "text": c.details, "placeholder": c.placeholder},
    place=4,
    block=Block(
        attributes=(
            "ref",
            "organisation",
            "label",
            "placeholder",
            "name",
            "job_title",
            "phone",
            "email",
            "website",
            "is_champion",
            "is_contact_point",
        ),
        listed=6,
    ),
)
GLOSSARY = Kind(
    name="glossary",
    model=GlossaryTerm,
    label="Glossary term",
    text="text",
    version=lambda g: {"ref": g.slug, "label": g.term, "text": g.text},
    place=6,
    block=Block(attributes=("term",), listed=3),
)
CODE = Kind(
    name="code",
    model=CodeOfPractice,
    label="Code of practice",
    text="text",
    version=lambda c: {"ref": c.ref, "label": c.title, "text": c.text},
    place=7,
    block=Block(attributes=("ref", "title"), listed=4),
)
CASE_STUDY = Kind(
    name="case_study",
    model=CaseStudy,
    label="Case study",
    text="body",
    version=lambda c: {"ref": c.ref, "label": c.title, "text": c.body},
    place=8,
    block=Block(attributes=("ref", "title"), listed=5),
)
KINDS = [SECTION, PRINCIPLE, SIGNATORY, CONTACT, GLOSSARY, CODE, CASE_STUDY]
# What else public pages show of this app's: the Compact and its dated history, its published versions,
# organisations (by name and sector), Champions named in the portal, and work plans.
SHOWN = [Compact, CompactEvent, CompactVersion, Organisation, Membership, WorkPlanAction]
