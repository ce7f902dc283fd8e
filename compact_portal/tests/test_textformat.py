"""The plain text format round-trips: each of the five documents exported and imported again is the same Compact."""

import pytest
from django.core.management import call_command

from compact_portal import textformat, versions
from compacts.models import Compact

pytestmark = pytest.mark.django_db
FIVE = ["dorset", "dacorum", "darlington", "derby-derbyshire", "county-durham"]


@pytest.mark.parametrize("slug", FIVE)
def test_a_compact_exported_and_imported_again_is_the_same(slug):
    call_command("loaddata", "themes", slug, verbosity=0)
    original = Compact.objects.get(slug=slug)
    text = textformat.export(original)
    copy_text = text.replace(f"slug: {slug}\n", f"slug: {slug}-copy\n", 1).replace(
        f"reference_prefix: {original.reference_prefix}\n", "reference_prefix: ZZZ\n", 1
    )
    front, sections, unplaced = textformat.parse(copy_text)
    assert unplaced == []
    copy = textformat.create(front, sections)
    again = textformat.export(copy)
    assert again == copy_text  # every field of every item came back
    assert versions.content_of(copy) == {**versions.content_of(original)}


def rows(compact):
    """Every row of the Compact's content, each field by value (a row it points at by that row's own reference),
    whatever the export writes: what "the same content" means here."""
    from commitments.models import Commitment, Figure
    from compacts.models import CaseStudy, CodeOfPractice, CompactEvent, Contact, GlossaryTerm, Principle, Section
    from compacts.models import Signatory
    from disputes.models import Stage

    def natural(obj):
        for name in ("ref", "slug", "name"):
            if hasattr(obj, name):
                return getattr(obj, name)
        return str(obj)

    result = {}
    for model in [
        Section,
        Principle,
        Commitment,
        GlossaryTerm,
        CodeOfPractice,
        CaseStudy,
        Contact,
        Signatory,
        Figure,
        CompactEvent,
        Stage,
    ]:
        queryset = (
            model.objects.filter(procedure__compact=compact)
            if model is Stage
            else model.objects.filter(compact=compact)
        )
        fields = [
            f for f in model._meta.concrete_fields if f.name not in ("id", "compact", "procedure", "search_vector")
        ]
        result[model.__name__] = sorted(
            repr(
                [
                    (
                        f.name,
                        natural(getattr(obj, f.name))
                        if f.is_relation and getattr(obj, f.name)
                        else getattr(obj, f.name),
                    )
                    for f in fields
                ]
            )
            for obj in queryset
        )
    compact_fields = [
        f.name for f in Compact._meta.concrete_fields if f.name not in ("id", "slug", "reference_prefix", "owner")
    ]
    result["Compact"] = [(name, getattr(compact, name)) for name in compact_fields] + [
        ("owner", compact.owner_id and compact.owner.name)
    ]
    return result


@pytest.mark.parametrize("slug", FIVE)
def test_every_field_of_every_row_comes_back(slug):
    call_command("loaddata", "themes", slug, verbosity=0)
    original = Compact.objects.get(slug=slug)
    text = textformat.export(original).replace(f"slug: {slug}\n", f"slug: {slug}-copy\n", 1)
    text = text.replace(f"reference_prefix: {original.reference_prefix}\n", "reference_prefix: ZZZ\n", 1)
    copy = textformat.create(*textformat.parse(text)[:2])
    assert rows(copy) == rows(original)
    assert sum(len(v) for v in rows(original).values()) > 50
