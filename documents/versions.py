"""A Compact's text as one value (its content): taken from the tables, with drafted changes applied, put back into
the tables when a version is published, shown as the Compact page shows the document, and compared word by word
between two versions.

The content is plain data, so that a version stays readable whatever later versions change. It holds everything the
Compact page shows of the document:

    {"title": ...,
     "sections": [{"ref", "number", "title", "level", "body", "body_after"}, ...],
     "items": [{"kind", "ref", "section", "label", "text", ...}, ...],   # every kind in KINDS, in document order
     "figures": [{"ref", "label", "value", "unit", "quote", "of", "source"}, ...]}

A commitment also has its "number", "lead_in" (shown once above its run) and "sector"; a contact its "placeholder"
(details not yet published). An entry a review changed with a reason for a figure and its wording differing keeps it
("reason"), in the version that review published. Items and figures are matched across versions by their stable
references (a commitment's "3.6" stays "3.6").
"""

import copy
import difflib
import hashlib
import json
import re
from dataclasses import dataclass, field
from itertools import groupby

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import slugify

from commitments.models import Commitment, Figure, ordinal
from compacts.models import (
    CaseStudy,
    CodeOfPractice,
    Contact,
    GlossaryTerm,
    Principle,
    Section,
    Signatory,
    SignatoryRole,
)
from disputes.models import Stage

# Every kind of item a version holds, named, in the order a section shows them (as the Compact page does).
KINDS = {
    "principle": "Principle",
    "commitment": "Commitment",
    "signatory": "Signatory",
    "contact": "Contact",
    "stage": "Dispute procedure stage",
    "glossary": "Glossary term",
    "code": "Code of practice",
    "case_study": "Case study",
}
# What a review may change: a section's text, an item's wording, or a figure's value and the words it is read from.
EDITABLE = {
    "section": "Section text",
    "principle": "Principle",
    "commitment": "Commitment",
    "stage": "Dispute procedure stage",
    "figure": "Figure",
}


def _item_fields(compact):
    """For each kind (KINDS), its printed rows and what the content keeps of each."""
    mine = {"compact": compact}
    return {
        "principle": (Principle.objects.filter(**mine), lambda p: {"ref": p.ref, "label": p.name, "text": p.text}),
        "commitment": (
            Commitment.objects.filter(**mine),
            lambda c: {
                "ref": c.ref,
                "label": c.number or c.ref,
                "text": c.text,
                "number": c.number,
                "lead_in": c.lead_in,
                "sector": c.sector,
            },
        ),
        "signatory": (
            # As the Compact page lists them (documents.selectors.compact_document): not organisations that signed up
            # in the portal, which are not part of the document, nor the one that led the preparation, which the
            # words before the printed list name.
            Signatory.objects.filter(**mine, section__isnull=False, joined_on__isnull=True)
            .exclude(role=SignatoryRole.LEAD)
            .select_related("organisation"),
            lambda s: {
                "ref": slugify(f"{s.organisation.name} {s.role}"),
                "label": s.printed_name,
                "text": s.printed_name,
            },
        ),
        "contact": (
            Contact.objects.filter(**mine),
            lambda c: {"ref": c.ref, "label": c.label, "text": c.details, "placeholder": c.placeholder},
        ),
        "stage": (
            Stage.objects.filter(procedure__compact=compact, section__isnull=False),
            lambda s: {"ref": str(s.order), "label": s.label or s.name, "text": s.text},
        ),
        "glossary": (GlossaryTerm.objects.filter(**mine), lambda g: {"ref": g.slug, "label": g.term, "text": g.text}),
        "code": (CodeOfPractice.objects.filter(**mine), lambda c: {"ref": c.ref, "label": c.title, "text": c.text}),
        "case_study": (CaseStudy.objects.filter(**mine), lambda c: {"ref": c.ref, "label": c.title, "text": c.body}),
    }


def _items(compact):
    """Every item printed under the Compact's sections, in document order: by section, then by kind (KINDS), then in
    the order printed."""
    placed = []
    for rank, (kind, (queryset, fields)) in enumerate(_item_fields(compact).items()):
        for n, item in enumerate(queryset.select_related("section").order_by("order")):
            placed.append(
                ((item.section.order, rank, item.order, n), {"kind": kind, "section": item.section.ref, **fields(item)})
            )
    return [item for _, item in sorted(placed, key=lambda pair: pair[0])]


def _source(figure):
    if figure.commitment_id:
        return f"commitment:{figure.commitment.ref}"
    if figure.case_study_id:
        return f"case_study:{figure.case_study.ref}"
    return f"section:{figure.section.ref}"


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
            "quote": f.quote,
            "of": f.commitment.ref if f.commitment_id else "",
            "source": _source(f),
        }
        for f in Figure.objects.filter(compact=compact)
        .select_related("commitment", "case_study", "section")
        .order_by("kind", "ref")
    ]
    return {"title": compact.title, "sections": sections, "items": _items(compact), "figures": figures}


def named(content):
    """`content` with every item's name in words ("name": "Principle Equality", "Commitment 3.6", a commitment with no
    printed number by its place under its printed heading: "The first commitment under “Independence”"; and
    "name_in_text", for the middle of a sentence), and each
    figure's commitment named the same way ("of_name"): the portal's references are for addresses, never words."""
    headings = {s["ref"]: " ".join(filter(None, [s["number"], s["title"]])) for s in content["sections"]}
    places, names, items = {}, {}, []
    for item in content["items"]:
        kind, label = item["kind"], item.get("label") or ""
        if kind == "commitment" and item.get("number"):
            name = f"Commitment {item['number']}"
        elif kind == "commitment":
            places[item["section"]] = place = places.get(item["section"], 0) + 1
            heading = headings.get(item["section"])
            name = f"The {ordinal(place)} commitment " + (f"under “{heading}”" if heading else "in untitled text")
        else:
            name = " ".join(filter(None, [KINDS.get(kind, kind), label]))
        names[kind, item["ref"]] = name
        items.append({**item, "name": name, "name_in_text": _lower_first(name)})
    figures = [
        {**f, "of_name": _lower_first(names.get(("commitment", f["of"]), "")) if f.get("of") else ""}
        for f in content["figures"]
    ]
    return {**content, "items": items, "figures": figures}


def _lower_first(words):
    return words[:1].lower() + words[1:]


def find(content, kind, ref):
    """The entry of `content` a change of `kind` to `ref` is about (a section, an item or a figure), or None."""
    if kind == "section":
        pool = content["sections"]
    elif kind == "figure":
        pool = content["figures"]
    else:
        pool = [item for item in content["items"] if item["kind"] == kind]
    return next((entry for entry in pool if entry["ref"] == ref), None)


def current_value(content, kind, ref):
    """The wording (or figure) of one editable item in `content`, or None if there is no such item."""
    entry = find(content, kind, ref)
    if entry is None:
        return None
    return entry["value"] if kind == "figure" else entry["body" if kind == "section" else "text"]


def with_changes(content, changes):
    """`content` with each drafted change (a ReviewChange) applied, and its reason kept where it gives one."""
    content = copy.deepcopy(content)
    for change in changes:
        entry = find(content, change.kind, change.ref)
        if entry is None:
            continue
        if change.kind == "figure":
            entry["value"] = int(change.value) if change.value else None
            entry["quote"] = change.quote
        else:
            entry["body" if change.kind == "section" else "text"] = change.value
        if change.reason:
            entry["reason"] = change.reason
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
            Figure.objects.filter(compact=compact, kind=kind, ref=ref).update(
                value=int(change.value) if change.value else None, quote=change.quote
            )


# A figure and the wording it is read from ------------------------------------------------------------------------

QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'})


def _plain(text):
    """Text as compared for a quote: bullets dropped, curly quotes straight, white space collapsed."""
    text = re.sub(r"(?m)^\s*- ", "", str(text or ""))
    return " ".join(text.translate(QUOTES).split())


def amount(figure):
    """A figure's value in words, as a review shows it ("12 weeks")."""
    return f"{figure['value']} {figure['unit']}" if figure["value"] is not None else "no number"


def wording(content, source):
    """The printed words a figure is read from (`source`, "commitment:3.6"), as they stand in `content`."""
    kind, _, ref = source.partition(":")
    entry = find(content, kind, ref)
    if entry is None:
        return ""
    if kind == "section":
        return f"{entry['body']}\n\n{entry['body_after']}"
    return f"{entry.get('lead_in', '')} {entry['text']}"


def _place(content, source):
    kind, _, ref = source.partition(":")
    return name_of(content, kind, ref)


def name_of(content, kind, ref):
    """One part of the text in words, to go after a verb ("the text of “Funding”", "commitment 3.6", "the figure for
    the standard consultation period (commitment 3.6)")."""
    entry = find(content, kind, ref)
    if kind == "figure" and entry:
        entry = find(named(content), kind, ref)
        return f"the figure for the {entry['label'].lower()}" + (f" ({entry['of_name']})" if entry["of_name"] else "")
    if kind == "section" and entry:
        return f"the text of “{' '.join(filter(None, [entry['number'], entry['title']])) or 'untitled text'}”"
    entry = find(named(content), kind, ref)
    return _lower_first(entry["name"]) if entry else "an item no longer in the text"


@dataclass
class Mismatch:
    """A figure a review would leave saying something other than the words it is read from."""

    figure: str  # the figure's reference
    label: str
    message: str


def mismatches(published, changes):
    """The figures a review would leave out of step with their wording, unless it gives a reason: a figure whose new
    value keeps the old quote, or whose quote is not in its wording as that will read after the review (the drafted
    wording, or the published one); each figure the review changes, or whose wording it changes."""
    after = with_changes(published, changes)
    drafted = {(change.kind, change.ref): change for change in changes}
    found = []
    for figure in after["figures"]:
        before = find(published, "figure", figure["ref"])
        kind, _, ref = figure.get("source", "").partition(":")
        own, of_wording = drafted.get(("figure", figure["ref"])), drafted.get((kind, ref))
        if not (own or of_wording) or any(change and change.reason for change in (own, of_wording)):
            continue
        place, quote = _place(after, figure["source"]), figure["quote"]
        label = f"{figure['label']} ({place})"
        if figure["value"] != before["value"] and _plain(quote) == _plain(before["quote"]):
            found.append(
                Mismatch(
                    figure["ref"],
                    label,
                    f"The figure is now {amount(figure)}, but its quote still reads “{quote}”, the words "
                    f"{amount(before)} was read from: give the words that say {amount(figure)}, or say why not",
                )
            )
        elif _plain(quote) not in _plain(wording(after, figure["source"])) and (
            own or _plain(quote) in _plain(wording(published, figure["source"]))
        ):
            if own:
                message = (
                    f"The quote “{quote}” is not in the wording of {place}: change that wording in this review "
                    "first, or give the words as they read there, or say why not"
                )
            else:
                message = (
                    f"The new wording of {place} no longer says “{quote}”, the words its figure "
                    f"({figure['label'].lower()}, {amount(figure)}) is read from: change the figure in this "
                    "review too, or say why not"
                )
            found.append(Mismatch(figure["ref"], label, message))
    return found


# Showing a version ----------------------------------------------------------------------------------------------


@dataclass
class Run:
    """Consecutive commitments printed under one lead-in, shown once above them."""

    lead_in: str
    commitments: list


@dataclass
class Part:
    """One section of a version as the page shows it: its items by kind, its commitments in runs under their
    lead-ins, and (in a preview) the drafted change of its text."""

    section: dict
    items: dict
    runs: list
    drafted: object = None


@dataclass
class Drafted:
    """One change drafted in a review, as the preview and the check before publishing show it: what it changes,
    where it is, and the words taken out and put in."""

    label: str
    anchor: str
    diff: str
    reason: str
    kind: str = ""
    ref: str = ""
    before: str = ""  # the figure as published ("12 weeks"), for a figure
    after: str = ""  # the figure as drafted ("10 weeks"), for a figure


def _anchor(kind, ref):
    return f"{kind}-{ref}"


def first_words(text, count=12):
    """The first words of a printed text, as plain words: table rules, cell bars and list bullets taken out."""
    text = re.sub(r"(?m)^\s*- ", "", str(text or ""))
    words = text.replace("|", " ").split()
    return " ".join(words[:count]) + ("…" if len(words) > count else "")


def _section_name(section):
    return " ".join(filter(None, [section["number"], section["title"]]))


def name(content, kind, ref):
    """What a review calls one part of the text that may change, in words a reader knows it by: "Commitment 3.6",
    "Principle Respect", "The text of “4 Funding”", "Standard consultation period (commitment 3.6)". An item printed
    without a number or name is called by its first words, never by the portal's reference for it."""
    entry = find(content, kind, ref)
    if entry is None:
        return ref
    if kind == "section":
        return f"The text of “{_section_name(entry) or first_words(entry['body'], 6)}”"
    if kind == "figure":
        source_kind, _, source_ref = entry["source"].partition(":")
        if source_kind not in EDITABLE:
            return entry["label"]
        where = name(content, source_kind, source_ref)
        return f"{entry['label']} ({where[:1].lower()}{where[1:]})"
    if kind == "commitment" and not entry.get("number"):
        # By its place under its printed heading, as every page names it ("The first commitment under “…”"); content
        # already `named` (as the review's task list passes it) saves naming every item again.
        return entry.get("name") or find(named(content), kind, ref)["name"]
    label = entry.get("number") if kind == "commitment" else entry.get("label")
    return f"{EDITABLE[kind]} {label}" if label else f"{EDITABLE[kind]} “{first_words(entry['text'], 6)}”"


def drafted_changes(published, changes):
    """Each drafted change (ReviewChange) against the published content, in the order drafted."""
    marks = []
    published = named(published)
    for change in changes:
        entry = find(published, change.kind, change.ref)
        if entry is None:
            continue
        before = after = ""
        if change.kind == "figure":
            drafted = {**entry, "value": int(change.value) if change.value else None, "quote": change.quote}
            before, after = amount(entry), amount(drafted)
            before_words = f"{before}, read from “{entry['quote']}”"
            after_words = f"{after}, read from “{drafted['quote']}”"
        else:
            before_words = entry["body" if change.kind == "section" else "text"]
            after_words = change.value
        marks.append(
            Drafted(
                name(published, change.kind, change.ref),
                _anchor(change.kind, change.ref),
                word_diff(before_words, after_words),
                change.reason,
                change.kind,
                change.ref,
                before,
                after,
            )
        )
    return marks


def signature(changes):
    """The drafted changes (ReviewChanges) in one short string that differs when any of them differs: what an
    administrator checked before publishing, to be refused if the drafts changed since."""
    drafts = sorted((c.kind, c.ref, c.value, c.quote, c.reason) for c in changes)
    return hashlib.sha256(json.dumps(drafts).encode()).hexdigest()[:20]


@dataclass
class Task:
    """One part of the text a review may change, as the review page lists it."""

    kind: str
    ref: str
    name: str
    words: str  # its first words
    drafted: bool


@dataclass
class SectionTasks:
    """A section's parts that a review may change, with how many of them it has changed."""

    title: str
    tasks: list

    @property
    def drafted(self):
        return sum(task.drafted for task in self.tasks)


def review_tasks(published, changes):
    """Every part of the text a review may change, section by section in document order (the figures last), each
    named as published, with its first words as drafted and whether a change to it is drafted."""
    changed = {(change.kind, change.ref) for change in changes}
    content = with_changes(published, changes)
    published = named(published)

    def task(kind, ref, text):
        return Task(kind, ref, name(published, kind, ref), first_words(text), (kind, ref) in changed)

    by_section = {}
    for item in content["items"]:
        if item["kind"] in EDITABLE:
            by_section.setdefault(item["section"], []).append(task(item["kind"], item["ref"], item["text"]))
    sections = []
    for section in content["sections"]:
        tasks = [task("section", section["ref"], section["body"])] if section["body"].strip() else []
        tasks += by_section.get(section["ref"], [])
        if tasks:
            sections.append(SectionTasks(_section_name(section) or "Untitled text", tasks))
    figures = [
        task("figure", figure["ref"], f"{amount(figure)}, read from “{figure['quote']}”")
        for figure in content["figures"]
    ]
    return sections + ([SectionTasks("Figures the Compact commits to", figures)] if figures else [])


def document(content, drafted=()):
    """The content as the Compact page shows a document, section by section; `drafted` (Drafted, in a preview) marks
    the changes a review has drafted."""
    marks = {mark.anchor: mark for mark in drafted}
    by_section = {}
    for item in named(content)["items"]:
        item = {**item, "drafted": marks.get(_anchor(item["kind"], item["ref"]))}
        by_section.setdefault(item["section"], {}).setdefault(item["kind"], []).append(item)
    parts = []
    for section in content["sections"]:
        items = by_section.get(section["ref"], {})
        runs = [
            Run(lead_in, list(group))
            for lead_in, group in groupby(items.get("commitment", []), key=lambda c: c.get("lead_in", ""))
        ]
        parts.append(Part(section, items, runs, marks.get(_anchor("section", section["ref"]))))
    return parts


def figures_shown(content, drafted=()):
    """The content's figures, each with its drafted change in a preview."""
    marks = {mark.anchor: mark for mark in drafted}
    return [{**figure, "drafted": marks.get(_anchor("figure", figure["ref"]))} for figure in named(content)["figures"]]


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
    reason: str = ""  # why a figure and its wording differ, where the review that made the change said


@dataclass
class SectionChanges:
    title: str
    ref: str
    changes: list = field(default_factory=list)


def compare(older, newer):
    """What changed from one version's content to another's, section by section, in the newer one's order."""
    older, newer = named(older), named(newer)
    titles = {s["ref"]: " ".join(filter(None, [s["number"], s["title"]])) or "Untitled text" for s in newer["sections"]}
    for s in older["sections"]:
        titles.setdefault(s["ref"], " ".join(filter(None, [s["number"], s["title"]])) or "Untitled text")
    by_section = {ref: SectionChanges(title, ref) for ref, title in titles.items()}

    def record(section_ref, label, before, after, reason=""):
        if before == after:
            return
        what = "added" if before is None else "removed" if after is None else "changed"
        by_section[section_ref].changes.append(Change(label, what, word_diff(before or "", after or ""), reason))

    old_sections = {s["ref"]: s for s in older["sections"]}
    labels = {"title": "Heading", "body": "Text", "body_after": "Text after the items"}
    for section in newer["sections"]:
        old = old_sections.get(section["ref"])
        for part, label in labels.items():
            before = old[part] if old else None
            record(
                section["ref"],
                label,
                before,
                section[part] if old or section[part] else None,
                section.get("reason", "") if part == "body" else "",
            )
    old_items = {(i["kind"], i["ref"]): i for i in older["items"]}
    new_items = {(i["kind"], i["ref"]): i for i in newer["items"]}
    for key in [*new_items, *(k for k in old_items if k not in new_items)]:
        old, new = old_items.get(key), new_items.get(key)
        item = new or old
        record(
            item["section"],
            item["name"],
            old and old["text"],
            new and new["text"],
            (new or {}).get("reason", ""),
        )
    old_figures = {f["ref"]: f for f in older["figures"]}
    figures = SectionChanges("Figures the Compact commits to", "figures")
    for figure in newer["figures"]:
        old = old_figures.get(figure["ref"])
        before = f"{amount(old)}, read from “{old['quote']}”" if old else ""
        after = f"{amount(figure)}, read from “{figure['quote']}”"
        if before != after:
            of = f" ({figure['of_name']})" if figure["of_name"] else ""
            figures.changes.append(
                Change(
                    f"{figure['label']}{of}",
                    "changed" if old else "added",
                    word_diff(before, after),
                    figure.get("reason", ""),
                )
            )
    sections = [s for s in by_section.values() if s.changes]
    return sections + ([figures] if figures.changes else [])
