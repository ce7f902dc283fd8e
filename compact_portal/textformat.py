"""A Compact as one plain text file, and back: the portal's import and export format.

The file is Markdown. YAML front matter holds what is data rather than running text: the Compact's own fields,
the organisations it names, its dated history, its signatories as printed, the figures it commits to and its
dispute procedure. The body is the document in order: a heading for each section, its text as printed, and a
fenced block for each structured item printed under it:

    ## Funding and support {#funding-and-support number="4."}

    The text of the section, as printed.

    ::: commitment ref=funding-1 sector=public theme=funding lead_in="Public bodies will:"
    Give three months' notice in writing before funding ends.
    :::

    ::: after
    Text printed after the items.
    :::

Attributes are written `key=value`, quoted where a value has spaces. Every field of every item is kept, so a
Compact exported and imported again is the same Compact (a test checks it for the five documents).
"""

import re
import shlex

import yaml
from django.db import transaction

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
# Structured items printed under a section: the block's name, the model, and the fields written as attributes
# (the item's long text is the block's content).
# What a figure's number means (commitments.models.Figure): written out with it, read back where given.
FIGURE_MEANING = ["bound", "firmness", "qualifier_words", "whose", "measures"]
BLOCKS = {
    "principle": (Principle, ["ref", "name"], "text"),
    "commitment": (Commitment, ["ref", "number", "sector", "theme", "lead_in"], "text"),
    "glossary": (GlossaryTerm, ["term"], "text"),
    "code": (CodeOfPractice, ["ref", "title"], "text"),
    "case_study": (CaseStudy, ["ref", "title"], "body"),
    "contact": (
        Contact,
        [
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
        ],
        "details",
    ),
}
HEADING = re.compile(r"^(#{1,4}) ?(.*?)\s*\{#([^\s}]+)([^}]*)\}\s*$")
FENCE = re.compile(r"^::: ?(\S+)(.*)$")
NEEDS_QUOTES = re.compile(r"[\s\"'=\\#{}]")


class FormatError(Exception):
    """The file cannot be read as a Compact; the message says where and why."""


# Writing ---------------------------------------------------------------------------------------------------------


def _value(item, name):
    value = getattr(item, name)
    if name == "organisation":
        return value.name if value else ""
    if name == "theme":
        return value.slug
    return value


def _attributes(pairs):
    parts = []
    for key, value in pairs:
        if value in ("", None, False):
            continue
        text = "true" if value is True else str(value)
        parts.append(f"{key}={shlex.quote(text) if NEEDS_QUOTES.search(text) else text}")
    return " ".join(parts)


def export(compact):
    """The Compact as the portal's plain text format."""
    front = {name: getattr(compact, name) for name in COMPACT_FIELDS}
    front["owner"] = compact.owner.name if compact.owner_id else None
    names = set()
    front["events"] = [
        {
            "order": e.order,
            "kind": e.kind,
            "date": e.date.isoformat(),
            "precision": e.precision,
            "description": e.description,
            **({"dates_document": True} if e.dates_document else {}),
        }
        for e in CompactEvent.objects.filter(compact=compact).order_by("order")
    ]
    front["signatories"] = []
    for s in Signatory.objects.filter(compact=compact, joined_on__isnull=True).select_related(
        "organisation", "section"
    ):
        names.add(s.organisation.name)
        front["signatories"].append(
            {
                "organisation": s.organisation.name,
                "section": s.section.ref,
                "order": s.order,
                "role": s.role,
                "printed_name": s.printed_name,
            }
        )
    front["figures"] = [
        {
            "kind": f.kind,
            "ref": f.ref,
            "value": f.value,
            "unit": f.unit,
            **{name: getattr(f, name) for name in FIGURE_MEANING},
            "quote": f.quote,
            "commitment": f.commitment.ref if f.commitment_id else None,
            "case_study": f.case_study.ref if f.case_study_id else None,
            "section": f.section.ref if f.section_id else None,
        }
        for f in Figure.objects.filter(compact=compact)
        .select_related("commitment", "case_study", "section")
        .order_by("id")
    ]
    procedure = Procedure.objects.filter(compact=compact).first()
    if procedure:
        stage_fields = [f.name for f in Stage._meta.concrete_fields if f.name not in ("id", "procedure")]
        stages = []
        for stage in procedure.stages.select_related("section", "time_limit_case_study", "body").order_by("order"):
            row = {name: getattr(stage, name) for name in stage_fields}
            row["section"] = stage.section.ref if stage.section_id else None
            row["body"] = stage.body.name if stage.body_id else None
            names.update([stage.body.name] if stage.body_id else [])
            row["time_limit_case_study"] = stage.time_limit_case_study.ref if stage.time_limit_case_study_id else None
            stages.append(row)
        front["procedure"] = {"origin": procedure.origin, "summary": procedure.summary, "stages": stages}
    items = {}
    for kind, (model, fields, text) in BLOCKS.items():
        for item in model.objects.filter(compact=compact).select_related("section").order_by("order", "id"):
            names.update([item.organisation.name] if kind == "contact" and item.organisation_id else [])
            items.setdefault(item.section_id, []).append((item.order, kind, item, fields, text))
    for organisation in [compact.owner] if compact.owner_id else []:
        names.add(organisation.name)
    front["organisations"] = [
        {"name": o.name, "sector": o.sector, "kind": o.kind} for o in Organisation.objects.filter(name__in=names)
    ]
    lines = ["---", yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=100).rstrip(), "---", ""]
    for section in Section.objects.filter(compact=compact).order_by("order"):
        extra = _attributes(
            [
                ("order", section.order),
                ("number", section.number),
                ("part", section.part if section.part != "compact" else ""),
            ]
        )
        lines.append(
            f"{'#' * section.level} {section.title}".rstrip() + f" {{#{section.ref}{' ' + extra if extra else ''}}}"
        )
        lines.append("")
        if section.body:
            lines += [section.body, ""]
        for order, kind, item, fields, text in sorted(items.get(section.id, []), key=lambda entry: entry[0]):
            attributes = _attributes([("order", order), *((name, _value(item, name)) for name in fields)])
            lines += [f"::: {kind} {attributes}", getattr(item, text), ":::", ""]
        if section.body_after:
            lines += ["::: after", section.body_after, ":::", ""]
    return "\n".join(lines)


# Reading ---------------------------------------------------------------------------------------------------------


def parse(text):
    """The file read into its parts: (front matter, sections), each section a dict with its items; and the lines
    that could not be placed, with their numbers. Raises FormatError if there is no front matter to read."""
    lines = text.replace("\r\n", "\n").split("\n")
    if not lines or lines[0].strip() != "---" or "---" not in [line.strip() for line in lines[1:]]:
        raise FormatError("The file must start with front matter between two lines of three dashes (---).")
    end = 1 + [line.strip() for line in lines[1:]].index("---")
    try:
        front = yaml.safe_load("\n".join(lines[1:end])) or {}
    except yaml.YAMLError as error:
        raise FormatError(f"The front matter is not valid YAML: {error}") from error
    sections, unplaced, block, section = [], [], None, None
    for number, line in enumerate(lines[end + 1 :], start=end + 2):
        if block is not None:
            if line.strip() == ":::":
                block["text"] = "\n".join(block["lines"]).strip("\n")
                del block["lines"]
                (section["after"] if block["kind"] == "after" else section["items"]).append(block)
                block = None
            else:
                block["lines"].append(line)
            continue
        heading = HEADING.match(line)
        fence = FENCE.match(line)
        if heading:
            marks, title, ref, rest = heading.groups()
            section = {
                "ref": ref,
                "level": len(marks),
                "title": title,
                "body": [],
                "items": [],
                "after": [],
                **_read_attributes(rest, number),
            }
            sections.append(section)
        elif fence and section is not None:
            kind, rest = fence.groups()
            if kind != "after" and kind not in BLOCKS:
                unplaced.append((number, line, f"“{kind}” is not a kind of item the portal knows"))
                block = {"kind": "unknown", "lines": []}
                continue
            block = {"kind": kind, "line": number, "lines": [], **_read_attributes(rest, number)}
        elif section is None:
            if line.strip():
                unplaced.append((number, line, "before the first heading"))
        elif section["items"] and line.strip():
            unplaced.append((number, line, "text after an item: put it in an ::: after block, or before the items"))
        else:
            section["body"].append(line)
    if block is not None:
        unplaced.append((block.get("line", len(lines)), f"::: {block['kind']}", "this block is never closed with :::"))
    for section in sections:
        section["body"] = "\n".join(section["body"]).strip("\n")
        section["after"] = "\n\n".join(part["text"] for part in section["after"])
    return front, sections, unplaced


def _read_attributes(text, number):
    try:
        parts = shlex.split(text)
    except ValueError as error:
        raise FormatError(f"Line {number}: the attributes cannot be read ({error}).") from error
    attributes = {}
    for part in parts:
        key, _, value = part.partition("=")
        attributes[key] = value
    return attributes


@transaction.atomic
def create(front, sections):
    """Make the Compact the parsed file describes. Raises FormatError (nothing is saved) where it cannot."""
    missing = [
        name for name in ("slug", "title", "short_name", "area", "reference_prefix", "status") if not front.get(name)
    ]
    if missing:
        raise FormatError(f"The front matter must give {', '.join(missing)}.")
    if Compact.objects.filter(slug=front["slug"]).exists():
        raise FormatError(f"There is already a Compact called “{front['slug']}”: give this one another slug.")
    for organisation in front.get("organisations") or []:
        Organisation.objects.get_or_create(
            name=organisation["name"], defaults={"sector": organisation["sector"], "kind": organisation["kind"]}
        )
    owner = Organisation.objects.filter(name=front["owner"]).first() if front.get("owner") else None
    compact = Compact.objects.create(
        owner=owner,
        **{
            name: front.get(name) if name == "review_cycle_months" else front.get(name) or "" for name in COMPACT_FIELDS
        },
    )
    for event in front.get("events") or []:
        CompactEvent.objects.create(compact=compact, **event)
    by_ref, items_by_ref = {}, {}
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    organisations = {o.name: o for o in Organisation.objects.all()}
    for position, data in enumerate(sections, start=1):
        section = Section.objects.create(
            compact=compact,
            ref=data["ref"],
            order=int(data.get("order") or position),
            part=data.get("part") or "compact",
            level=data["level"],
            number=data.get("number", ""),
            title=data["title"],
            body=data["body"],
            body_after=data["after"],
        )
        by_ref[section.ref] = section
        for position_in_section, item in enumerate(data["items"], start=1):
            model, fields, text = BLOCKS[item["kind"]]
            values = {name: item.get(name, "") for name in fields}
            if "theme" in values:
                if values["theme"] not in themes:
                    raise FormatError(f"Line {item['line']}: there is no theme called “{values['theme']}”.")
                values["theme"] = themes[values["theme"]]
            if "organisation" in values:
                values["organisation"] = organisations.get(values["organisation"]) if values["organisation"] else None
            for flag in ("is_champion", "is_contact_point"):
                if flag in values:
                    values[flag] = values[flag] == "true"
            if values.get("is_champion"):
                values["is_contact_point"] = True  # every Champion is a point of contact
            created = model.objects.create(
                compact=compact,
                section=section,
                order=int(item.get("order") or position_in_section),
                **{text: item["text"]},
                **values,
            )
            items_by_ref[(item["kind"], values.get("ref"))] = created
    for signatory in front.get("signatories") or []:
        Signatory.objects.create(
            compact=compact,
            organisation=organisations[signatory["organisation"]],
            section=by_ref[signatory["section"]],
            order=signatory["order"],
            role=signatory["role"],
            printed_name=signatory["printed_name"],
        )
    for figure in front.get("figures") or []:
        Figure.objects.create(
            compact=compact,
            kind=figure["kind"],
            ref=figure["ref"],
            value=figure["value"],
            unit=figure["unit"] or "",
            **{name: figure[name] for name in FIGURE_MEANING if name in figure},
            quote=figure["quote"],
            commitment=items_by_ref.get(("commitment", figure.get("commitment"))),
            case_study=items_by_ref.get(("case_study", figure.get("case_study"))),
            section=by_ref.get(figure.get("section")),
        )
    if front.get("procedure"):
        procedure = Procedure.objects.create(
            compact=compact, origin=front["procedure"]["origin"], summary=front["procedure"]["summary"]
        )
        for stage in front["procedure"].get("stages") or []:
            Stage.objects.create(
                procedure=procedure,
                **{
                    **stage,
                    "section": by_ref.get(stage.get("section")),
                    "body": organisations.get(stage.get("body")) if stage.get("body") else None,
                    "time_limit_case_study": items_by_ref.get(("case_study", stage.get("time_limit_case_study"))),
                },
            )
    return compact
