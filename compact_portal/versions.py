"""A Compact's text as one value (its content): taken from the tables, with drafted changes applied, put back into
the tables when a version is published, and compared word by word between two versions.

The content is plain data, so that a version stays readable whatever later versions change:

    {"title": ..., "sections": [{"ref", "number", "title", "level", "body", "body_after"}, ...],
     "items": [{"kind", "ref", "section", "label", "text"}, ...],       # principles, commitments, stages, ...
     "figures": [{"ref", "label", "value", "unit", "of"}, ...]}

Items and figures are matched across versions by their stable references (a commitment's "3.6" stays "3.6").
"""

import copy
import difflib
import re
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import mark_safe

from commitments.models import Commitment, Figure
from compacts.models import CaseStudy, CodeOfPractice, GlossaryTerm, Principle, Section
from disputes.models import Stage

# What a review may change, by kind: the item's wording, or a figure's value.
EDITABLE = {
    "section": "Section text",
    "principle": "Principle",
    "commitment": "Commitment",
    "stage": "Dispute procedure stage",
    "figure": "Figure",
}
ITEM_KINDS = ["principle", "commitment", "stage", "glossary", "code", "case_study"]


def _items(compact):
    """Every structured item of the Compact with words of its own, in document order within each section."""
    mine = {"compact": compact}
    rows = [
        ("principle", Principle.objects.filter(**mine), lambda p: p.ref, lambda p: p.name, lambda p: p.text),
        (
            "commitment",
            Commitment.objects.filter(**mine).defer("search_vector"),
            lambda c: c.ref,
            lambda c: c.number or c.ref,
            lambda c: c.text,
        ),
        (
            "stage",
            Stage.objects.filter(procedure__compact=compact, section__isnull=False),
            lambda s: str(s.order),
            lambda s: s.label or s.name,
            lambda s: s.text,
        ),
        ("glossary", GlossaryTerm.objects.filter(**mine), lambda g: g.slug, lambda g: g.term, lambda g: g.text),
        ("code", CodeOfPractice.objects.filter(**mine), lambda c: c.ref, lambda c: c.title, lambda c: c.text),
        ("case_study", CaseStudy.objects.filter(**mine), lambda c: c.ref, lambda c: c.title, lambda c: c.body),
    ]
    items = []
    for kind, queryset, ref, label, text in rows:
        for item in queryset.select_related("section").order_by("section__order", "order"):
            items.append(
                {"kind": kind, "ref": ref(item), "section": item.section.ref, "label": label(item), "text": text(item)}
            )
    order = {
        ref: n
        for n, ref in enumerate(Section.objects.filter(compact=compact).order_by("order").values_list("ref", flat=True))
    }
    return sorted(items, key=lambda item: order.get(item["section"], len(order)))


def content_of(compact):
    """The Compact's text as it stands in the tables."""
    sections = [
        {
            "ref": s.ref,
            "number": s.number,
            "title": s.title,
            "level": s.level,
            "body": s.body,
            "body_after": s.body_after,
        }
        for s in Section.objects.filter(compact=compact).order_by("order")
    ]
    figures = [
        {
            "ref": f"{f.kind}:{f.ref}",
            "label": f.get_kind_display(),
            "value": f.value,
            "unit": f.unit,
            "of": f.commitment.ref if f.commitment_id else "",
        }
        for f in Figure.objects.filter(compact=compact).select_related("commitment").order_by("kind", "ref")
    ]
    return {"title": compact.title, "sections": sections, "items": _items(compact), "figures": figures}


def _find(content, kind, ref):
    if kind == "section":
        pool = content["sections"]
    elif kind == "figure":
        pool = content["figures"]
    else:
        pool = [item for item in content["items"] if item["kind"] == kind]
    return next((entry for entry in pool if entry["ref"] == ref), None)


def current_value(content, kind, ref):
    """The wording (or figure) of one editable item in `content`, or None if there is no such item."""
    entry = _find(content, kind, ref)
    if entry is None:
        return None
    return entry["value"] if kind == "figure" else entry["body" if kind == "section" else "text"]


def with_changes(content, changes):
    """`content` with each drafted change (a ReviewChange) applied."""
    content = copy.deepcopy(content)
    for change in changes:
        entry = _find(content, change.kind, change.ref)
        if entry is None:
            continue
        if change.kind == "figure":
            entry["value"] = int(change.value)
        else:
            entry["body" if change.kind == "section" else "text"] = change.value
    return content


def write(compact, changes):
    """Put drafted changes into the tables (a version being published): each by its kind and reference."""
    for change in changes:
        if change.kind == "section":
            Section.objects.filter(compact=compact, ref=change.ref).update(body=change.value)
        elif change.kind == "principle":
            Principle.objects.filter(compact=compact, ref=change.ref).update(text=change.value)
        elif change.kind == "commitment":
            for commitment in Commitment.objects.filter(compact=compact, ref=change.ref):
                commitment.text = change.value
                commitment.save(update_fields=["text"])  # the search indexes follow (their triggers)
        elif change.kind == "stage":
            Stage.objects.filter(procedure__compact=compact, order=int(change.ref)).update(text=change.value)
        elif change.kind == "figure":
            kind, ref = change.ref.split(":", 1)
            Figure.objects.filter(compact=compact, kind=kind, ref=ref).update(value=int(change.value))


# Comparing two versions ------------------------------------------------------------------------------------------

WORDS = re.compile(r"\s+|[^\s]+")


def word_diff(before, after):
    """The two texts as one, words taken out in <del> and words put in <ins> (each said in words too, for people
    who cannot see the styling)."""
    a, b = WORDS.findall(str(before)), WORDS.findall(str(after))
    html = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op in ("delete", "replace"):
            html.append(
                '<del class="app-del"><span class="govuk-visually-hidden">[taken out: </span>'
                f"{escape(''.join(a[i1:i2]))}"
                '<span class="govuk-visually-hidden">]</span></del>'
            )
        if op in ("insert", "replace"):
            html.append(
                '<ins class="app-ins"><span class="govuk-visually-hidden">[put in: </span>'
                f"{escape(''.join(b[j1:j2]))}"
                '<span class="govuk-visually-hidden">]</span></ins>'
            )
        if op == "equal":
            html.append(escape("".join(a[i1:i2])))
    return mark_safe("".join(html))  # noqa: S308 every word was escaped above


@dataclass
class Change:
    label: str
    what: str  # changed, added or removed
    diff: str


@dataclass
class SectionChanges:
    title: str
    ref: str
    changes: list = field(default_factory=list)


def compare(older, newer):
    """What changed from one version's content to another's, section by section, in the newer one's order."""
    titles = {s["ref"]: " ".join(filter(None, [s["number"], s["title"]])) or "Untitled text" for s in newer["sections"]}
    for s in older["sections"]:
        titles.setdefault(s["ref"], " ".join(filter(None, [s["number"], s["title"]])) or "Untitled text")
    by_section = {ref: SectionChanges(title, ref) for ref, title in titles.items()}

    def record(section_ref, label, before, after):
        if before == after:
            return
        what = "added" if before is None else "removed" if after is None else "changed"
        by_section[section_ref].changes.append(Change(label, what, word_diff(before or "", after or "")))

    old_sections = {s["ref"]: s for s in older["sections"]}
    labels = {"title": "Heading", "body": "Text", "body_after": "Text after the items"}
    for section in newer["sections"]:
        old = old_sections.get(section["ref"])
        for part, label in labels.items():
            before = old[part] if old else None
            record(section["ref"], label, before, section[part] if old or section[part] else None)
    old_items = {(i["kind"], i["ref"]): i for i in older["items"]}
    new_items = {(i["kind"], i["ref"]): i for i in newer["items"]}
    for key in [*new_items, *(k for k in old_items if k not in new_items)]:
        old, new = old_items.get(key), new_items.get(key)
        item = new or old
        record(
            item["section"],
            f"{EDITABLE.get(key[0], key[0].replace('_', ' ').capitalize())} {item['label']}",
            old and old["text"],
            new and new["text"],
        )
    old_figures = {f["ref"]: f for f in older["figures"]}
    figures = SectionChanges("Figures the Compact commits to", "figures")
    for figure in newer["figures"]:
        old = old_figures.get(figure["ref"])
        if old is None or old["value"] != figure["value"]:
            before = f"{old['value']} {old['unit']}" if old else ""
            after = f"{figure['value']} {figure['unit']}"
            of = f" (commitment {figure['of']})" if figure["of"] else ""
            figures.changes.append(
                Change(f"{figure['label']}{of}", "changed" if old else "added", word_diff(before, after))
            )
    sections = [s for s in by_section.values() if s.changes]
    return sections + ([figures] if figures.changes else [])
