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

import datetime
import re
import shlex
from pathlib import Path

import yaml
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction

from commitments.models import Figure, Theme
from compacts import content as registry
from compacts.content import COMPACT_FIELDS
from compacts.models import Compact, CompactEvent, Organisation, Section, SectionPart, Signatory
from disputes.models import Procedure, Stage

# The structured items printed under a section are the kinds of content the registry says are written as blocks
# (compacts.content): each with its name, its fields written as attributes, and its printed words as the content.
# What a figure's number means (commitments.models.Figure): written out with it, read back where given.
FIGURE_MEANING = ["bound", "firmness", "qualifier_words", "whose", "measures"]
FENCE = re.compile(r"^::: ?(\S+)(.*)$")
NEEDS_QUOTES = re.compile(r"[\s\"'=\\#{}]")


class FormatError(Exception):
    """The file cannot be read as a Compact; the message says where and why."""


EXAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "example-compact.md"  # a short, made-up Compact


def _known_blocks():
    """The blocks the format knows, for a message: "::: principle, ... or ::: after"."""
    return ", ".join(f"::: {kind}" for kind in registry.blocks()) + " or ::: after"


LINE = re.compile(r"^Line (\d+)\b")
AROUND = 2  # lines shown either side of a line with a problem


def line_of(message):
    """The line a FormatError's message (or a refusal passing one on) names first ("Line 94: …"), or None."""
    match = LINE.match(message)
    return int(match[1]) if match else None


def lines_around(text, number, around=AROUND):
    """The lines of `text` from `around` before line `number` to `around` after it: (number, line, is it that
    line), for quoting a problem where it is."""
    lines = text.replace("\r\n", "\n").split("\n")
    if not 1 <= number <= len(lines):
        return []
    first, last = max(1, number - around), min(len(lines), number + around)
    return [(n, lines[n - 1], n == number) for n in range(first, last + 1)]


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
    for kind in registry.blocks().values():
        for item in kind.model.objects.filter(compact=compact).select_related("section").order_by("order", "id"):
            names.update([item.organisation.name] if kind.name == "contact" and item.organisation_id else [])
            items.setdefault(item.section_id, []).append((item.order, kind, item))
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
                ("part", section.part if section.part != SectionPart.COMPACT else ""),
            ]
        )
        lines.append(
            f"{'#' * section.level} {section.title}".rstrip() + f" {{#{section.ref}{' ' + extra if extra else ''}}}"
        )
        lines.append("")
        if section.body:
            lines += [section.body, ""]
        for order, kind, item in sorted(items.get(section.id, []), key=lambda entry: entry[0]):
            fields = kind.block.attributes
            attributes = _attributes([("order", order), *((name, _value(item, name)) for name in fields)])
            lines += [f"::: {kind.name} {attributes}", getattr(item, kind.text), ":::", ""]
        if section.body_after:
            lines += ["::: after", section.body_after, ":::", ""]
    return "\n".join(lines)


# Reading ---------------------------------------------------------------------------------------------------------

# The file comes from outside the portal, so what it can cost to read is bounded: the front matter's size and depth
# (the portal's own exports are under 20 KB, five levels deep), and no YAML aliases at all, since a few lines of
# nested aliases expand to gigabytes.
MAX_FRONT_MATTER_BYTES = 256 * 1024
MAX_DEPTH = 20
# What no database column can hold: a NUL (PostgreSQL refuses it) or half of a character (a lone surrogate, which
# cannot be written as UTF-8). Either can be written in YAML as an escape ("\0", "\ud800").
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _excerpt(text, length=40):
    return text if len(text) <= length else text[: length - 1] + "…"


def _line(mark):
    """A YAML position as the line of the whole file: the front matter starts on line 2."""
    return mark.line + 2


class Mapping(dict):
    """A mapping read from the front matter, with the file's line it starts on and the line of each key, so that a
    message about any value can say where it is."""

    def __init__(self, line=None):
        super().__init__()
        self.line = line
        self.lines = {}


class Sequence(list):
    """A list read from the front matter, with the file's line it starts on and the line of each item."""

    def __init__(self, line=None):
        super().__init__()
        self.line = line
        self.lines = []


if yaml.__with_libyaml__:

    class _Parser(yaml.cyaml.CParser):
        """libyaml's parser: about five times as fast as PyYAML's own, and giving the same events."""

else:

    class _Parser(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):
        def __init__(self, stream):
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)


class _FrontMatterLoader(yaml.composer.Composer, _Parser, yaml.constructor.SafeConstructor, yaml.resolver.Resolver):
    """YAML's safe loader, refusing what makes reading a small file expensive: an alias or anchor anywhere, and
    nesting deeper than MAX_DEPTH. It is yaml.SafeLoader (or CSafeLoader) but for composing the document in Python,
    event by event, so that each event is checked before anything is built from it; and it builds Mapping and
    Sequence, which remember their lines."""

    def __init__(self, stream):
        _Parser.__init__(self, stream)
        yaml.composer.Composer.__init__(self)
        yaml.constructor.SafeConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)
        self.depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise FormatError(
                f"Line {_line(event.start_mark)}: the front matter uses an alias (*{event.anchor}): "
                "write the value out in full."
            )
        if event.anchor is not None:
            raise FormatError(
                f"Line {_line(event.start_mark)}: the front matter uses an anchor (&{event.anchor}), which only an "
                "alias could use: the portal does not read aliases, so write each value out in full."
            )
        if self.depth >= MAX_DEPTH:
            raise FormatError(
                f"Line {_line(event.start_mark)}: the front matter is nested more than {MAX_DEPTH} levels deep."
            )
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, OverflowError) as error:  # a date such as 2026-02-30, or a number too long to read
            if node.tag == "tag:yaml.org,2002:int":
                problem = "is too long to read as a number"
            else:
                problem = f"cannot be read ({error})"
            raise FormatError(f"Line {_line(node.start_mark)}: “{_excerpt(node.value)}” {problem}.") from error

    def construct_mapping_with_lines(self, node):
        data = Mapping(_line(node.start_mark))
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                raise FormatError(
                    f"Line {_line(key_node.start_mark)}: each name in the front matter must be a word, such as "
                    "“title”, not a number, a date or a list."
                )
            if key in data:
                raise FormatError(f"Line {_line(key_node.start_mark)}: “{key}” is given twice.")
            data[key] = self.construct_object(value_node, deep=True)
            data.lines[key] = _line(key_node.start_mark)
        return data

    def construct_sequence_with_lines(self, node):
        data = Sequence(_line(node.start_mark))
        data.extend(self.construct_object(child, deep=True) for child in node.value)
        data.lines = [_line(child.start_mark) for child in node.value]
        return data


_FrontMatterLoader.add_constructor("tag:yaml.org,2002:map", _FrontMatterLoader.construct_mapping_with_lines)
_FrontMatterLoader.add_constructor("tag:yaml.org,2002:seq", _FrontMatterLoader.construct_sequence_with_lines)


def _load_front_matter(text):
    """The front matter read as YAML, safely (see _FrontMatterLoader); FormatError, with the line, if it cannot be."""
    if len(text.encode("utf-8")) > MAX_FRONT_MATTER_BYTES:
        raise FormatError(
            f"The front matter is larger than {MAX_FRONT_MATTER_BYTES // 1024} KB: the portal reads front matter up "
            "to that size (a Compact's own is under 20 KB). Put long text in the sections, not the front matter."
        )
    unreadable = yaml.reader.Reader.NON_PRINTABLE.search(text)
    if unreadable:
        raise FormatError(
            f"Line {text.count(chr(10), 0, unreadable.start()) + 2}: the front matter has a character YAML does not "
            f"allow (#x{ord(unreadable[0]):04x}): remove it."
        )
    loader = _FrontMatterLoader(text)
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"Line {_line(mark)}: " if mark else ""
        context = f" ({error.context})" if error.context else ""
        raise FormatError(f"{where}the front matter is not valid YAML: {error.problem}{context}.") from error
    except yaml.YAMLError as error:
        raise FormatError(f"The front matter is not valid YAML: {error}") from error
    finally:
        loader.dispose()


class _Kind:
    """What a value in the front matter must be, in words for a message."""

    def __init__(self, words, test):
        self.words, self.test = words, test


def _is_number(value):
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 32767


TEXT = _Kind("text", lambda value: isinstance(value, str))
TEXT_OR_EMPTY = _Kind("text, or empty", lambda value: value is None or isinstance(value, str))
NUMBER = _Kind("a whole number from 0 to 32767", _is_number)
NUMBER_OR_EMPTY = _Kind("a whole number from 0 to 32767, or empty", lambda value: value is None or _is_number(value))
FLAG = _Kind("true or false", lambda value: isinstance(value, bool))
DATE = _Kind("a date, such as 2026-04-01", lambda value: isinstance(value, (str, datetime.date)))


class _Shape:
    """What one mapping in the front matter may give (each name, with the kind of its value) and must give."""

    def __init__(self, article, noun, required, optional):
        self.article, self.noun, self.required, self.optional = article, noun, required, optional
        self.keys = {**required, **optional}

    @property
    def described(self):
        optional = f" (and, where need be, {', '.join(self.optional)})" if self.required and self.optional else ""
        return ", ".join(self.required or self.optional) + optional


class _ListOf:
    def __init__(self, shape, plural):
        self.shape, self.plural = shape, plural


class _MappingOf:
    def __init__(self, shape):
        self.shape = shape


ORGANISATION = _Shape("an", "organisation", {"name": TEXT, "sector": TEXT, "kind": TEXT}, {})
EVENT = _Shape(
    "an",
    "event",
    {"order": NUMBER, "kind": TEXT, "date": DATE, "description": TEXT},
    {"precision": TEXT, "dates_document": FLAG},
)
SIGNATORY = _Shape(
    "a",
    "signatory",
    {"organisation": TEXT, "section": TEXT, "order": NUMBER, "role": TEXT, "printed_name": TEXT},
    {},
)
FIGURE = _Shape(
    "a",
    "figure",
    {"kind": TEXT, "quote": TEXT},
    {
        "ref": TEXT,
        "value": NUMBER_OR_EMPTY,
        "unit": TEXT_OR_EMPTY,
        "bound": TEXT,
        "firmness": TEXT,
        "qualifier_words": TEXT_OR_EMPTY,
        "whose": TEXT_OR_EMPTY,
        "measures": TEXT,
        "commitment": TEXT_OR_EMPTY,
        "case_study": TEXT_OR_EMPTY,
        "section": TEXT_OR_EMPTY,
    },
)
STAGE = _Shape(
    "a",
    "stage",
    {"order": NUMBER, "origin": TEXT, "name": TEXT, "text": TEXT, "handler": TEXT, "moves_on": TEXT},
    {
        "section": TEXT_OR_EMPTY,
        "label": TEXT_OR_EMPTY,
        "body": TEXT_OR_EMPTY,
        "time_limit": NUMBER_OR_EMPTY,
        "time_unit": TEXT_OR_EMPTY,
        "time_limit_origin": TEXT_OR_EMPTY,
        "time_limit_source": TEXT_OR_EMPTY,
        "time_limit_case_study": TEXT_OR_EMPTY,
    },
)
PROCEDURE = _Shape("a", "procedure", {"origin": TEXT, "summary": TEXT}, {"stages": _ListOf(STAGE, "stages")})
FRONT_MATTER = _Shape(
    "the",
    "front matter",
    {},
    {
        **{name: TEXT_OR_EMPTY for name in COMPACT_FIELDS},
        "review_cycle_months": NUMBER_OR_EMPTY,
        "owner": TEXT_OR_EMPTY,
        "organisations": _ListOf(ORGANISATION, "organisations"),
        "events": _ListOf(EVENT, "events"),
        "signatories": _ListOf(SIGNATORY, "signatories"),
        "figures": _ListOf(FIGURE, "figures"),
        "procedure": _MappingOf(PROCEDURE),
    },
)


def _what_it_is(value):
    if value is None:
        return "empty"
    if isinstance(value, Mapping):
        return "names with values"
    if isinstance(value, (list, tuple, set)):
        return "a list"
    if isinstance(value, str):
        return "text"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int):
        return "a number"
    if isinstance(value, float):
        return "a decimal number"
    if isinstance(value, datetime.date):
        return "a date"
    return "something else"


def _instead(kind, value):
    """What a value must be, and what it is instead, as a message ends."""
    if kind in (NUMBER, NUMBER_OR_EMPTY) and isinstance(value, int) and not isinstance(value, bool):
        return kind.words
    if kind in (TEXT, TEXT_OR_EMPTY) and isinstance(value, (int, float, datetime.date)):
        return f"{kind.words}, not {_what_it_is(value)}: put it in quotes to make it text"
    return f"{kind.words}, not {_what_it_is(value)}"


def _check_shape(mapping, shape):
    """Check a mapping of the front matter against what it may give, so that create() and the page that shows what
    was read only ever see the kinds of value they expect: FormatError, with the line, at the first that is not."""
    for key, value in mapping.items():
        line = mapping.lines[key]
        kind = shape.keys.get(key)
        if kind is None:
            raise FormatError(
                f"Line {line}: “{key}” is not something {shape.article} {shape.noun} gives: "
                f"{shape.article} {shape.noun} gives {shape.described}."
            )
        if isinstance(kind, _ListOf):
            if value is None:
                continue
            if isinstance(value, Sequence):
                wrong = [at for item, at in zip(value, value.lines, strict=True) if not isinstance(item, Mapping)]
            else:
                wrong = [line]
            if wrong:
                raise FormatError(
                    f"Line {wrong[0]}: “{key}” must be a list of {kind.plural}, each with {kind.shape.described}."
                )
            for item in value:
                _check_shape(item, kind.shape)
        elif isinstance(kind, _MappingOf):
            if value is None:
                continue
            if not isinstance(value, Mapping):
                raise FormatError(
                    f"Line {line}: “{key}” must be {kind.shape.article} {kind.shape.noun} with "
                    f"{kind.shape.described}, not {_what_it_is(value)}."
                )
            _check_shape(value, kind.shape)
        elif not kind.test(value):
            raise FormatError(f"Line {line}: {shape.article} {shape.noun}'s “{key}” must be {_instead(kind, value)}.")
        elif isinstance(value, str) and UNSTORABLE.search(value):
            raise FormatError(
                f"Line {line}: “{key}” has a character that cannot be stored (a NUL, or half of a character): "
                "remove it."
            )
    missing = [key for key in shape.required if key not in mapping]
    if missing:
        raise FormatError(
            f"Line {mapping.line}: this {shape.noun} gives no “{missing[0]}”: {shape.article} {shape.noun} gives "
            f"{shape.described}."
        )


def _heading(line):
    """A section's heading line read into (its #s, title, ref, the rest of its attributes), or None.

    The heading is `# Title {#ref attributes}`: one to four #s, the title, then the braces, the line's last. Read
    in one pass: a regular expression for it took minutes over a few thousand characters of "{#"."""
    hashes = len(line) - len(line.lstrip("#"))
    if not hashes:
        return None
    marks = "#" * min(hashes, 4)
    rest = line[len(marks) :]
    rest = rest[1:] if rest.startswith(" ") else rest
    text = rest.rstrip()
    if not text.endswith("}"):
        return None
    close = len(text) - 1
    start = text.find("{#", text.rfind("}", 0, close) + 1, close)
    while start != -1 and (start + 2 == close or text[start + 2].isspace()):
        start = text.find("{#", start + 1, close)
    if start == -1:
        return None
    end = start + 2
    while end < close and not text[end].isspace():
        end += 1
    return marks, text[:start].rstrip(), text[start + 2 : end], text[end:close]


def parse(text):
    """The file read into its parts: (front matter, sections), each section a dict with its items; and the lines
    that could not be placed, with their numbers. Raises FormatError if there is no front matter to read, or the
    front matter or an attribute cannot be read or does not have the shape create() expects (the page that shows
    what was read relies on that too)."""
    unstorable = UNSTORABLE.search(text)
    if unstorable:
        raise FormatError(
            f"Line {text.count(chr(10), 0, unstorable.start()) + 1}: the file has a character that cannot be stored "
            "(a NUL, or half of a character): remove it."
        )
    lines = text.replace("\r\n", "\n").split("\n")
    if not lines or lines[0].strip() != "---" or "---" not in [line.strip() for line in lines[1:]]:
        raise FormatError("The file must start with front matter between two lines of three dashes (---).")
    end = 1 + [line.strip() for line in lines[1:]].index("---")
    front = _load_front_matter("\n".join(lines[1:end]))
    if front is None:
        front = Mapping(2)
    if not isinstance(front, Mapping):
        raise FormatError(
            "Line 2: the front matter must be names with their values, one to a line (“title: …”, “slug: …”), "
            f"not {_what_it_is(front)}."
        )
    _check_shape(front, FRONT_MATTER)
    sections, unplaced, block, section = [], [], None, None
    blocks = registry.blocks()
    for number, line in enumerate(lines[end + 1 :], start=end + 2):
        if block is not None:
            if line.strip() == ":::":
                block["text"] = "\n".join(block["lines"]).strip("\n")
                del block["lines"]
                if block["kind"] is not None:  # a block of a kind the portal does not know is not one of the items
                    (section["after"] if block["kind"] == "after" else section["items"]).append(block)
                block = None
            else:
                block["lines"].append(line)
            continue
        heading = _heading(line)
        fence = FENCE.match(line)
        if heading:
            marks, title, ref, rest = heading
            section = {
                "ref": ref,
                "line": number,
                "level": len(marks),
                "title": title,
                "body": [],
                "items": [],
                "after": [],
                **_read_attributes(rest, number, "a heading", ["order", "number", "part"]),
            }
            sections.append(section)
        elif fence and section is not None:
            kind, rest = fence.groups()
            if kind != "after" and kind not in blocks:
                unplaced.append(
                    (number, line, f"“{kind}” is not a kind of item the portal knows: write {_known_blocks()} instead")
                )
                block = {"kind": None, "line": number, "lines": []}  # read to its end, and left out
                continue
            names = [] if kind == "after" else ["order", *blocks[kind].block.attributes]
            block = {
                "kind": kind,
                "line": number,
                "lines": [],
                **_read_attributes(rest, number, f"::: {kind}", names),
            }
        elif section is None:
            if line.strip():
                unplaced.append(
                    (number, line, "before the first heading: move it under a section's heading, or delete it")
                )
        elif section["items"] and line.strip():
            unplaced.append((number, line, "text after an item: put it in an ::: after block, or before the items"))
        else:
            section["body"].append(line)
    if block is not None:
        unplaced.append(
            (
                block["line"],
                lines[block["line"] - 1],
                "this block is never closed: add a line of three colons (:::) where its words end",
            )
        )
    for section in sections:
        section["body"] = "\n".join(section["body"]).strip("\n")
        section["after"] = "\n\n".join(part["text"] for part in section["after"])
    return front, sections, unplaced


def _read_attributes(text, number, what, names):
    """The `key=value` attributes of a heading or block; only those it has (`names`), so none can stand in for the
    parts parse() keeps under other names."""
    try:
        parts = shlex.split(text)
    except ValueError as error:
        raise FormatError(f"Line {number}: the attributes cannot be read ({error}).") from error
    attributes = {}
    for part in parts:
        key, _, value = part.partition("=")
        if key not in names:
            takes = f"takes {', '.join(names)}" if names else "takes no attributes"
            raise FormatError(f"Line {number}: “{key}” is not an attribute of {what}, which {takes}.")
        attributes[key] = value
    return attributes


# Making the Compact ----------------------------------------------------------------------------------------------

# The models' own checks that span fields, in plain words for a message (Django says only "Constraint … is violated").
CONSTRAINTS = {
    "figure_value_has_unit": "a figure with a value gives its unit, and one with no value gives no unit",
    "figure_has_one_source": "a figure comes from exactly one of a commitment, a case study or a section",
    "stage_time_limit_complete": "a stage with a time limit (above 0) gives its time_unit and time_limit_origin, "
    "and one with none gives neither",
    "stage_document_has_section": "a stage from the document (origin: document) names its section, and one the "
    "portal adds (origin: portal_default) names none",
    "contact_has_details_or_placeholder": "a contact gives its details, or a placeholder where none are printed",
    "commitment_ref_path_safe": "a commitment's ref must be given, and have no /",
    "one_document_date_per_compact": "only one event can date the document (dates_document: true)",
    "section_level_range": "a heading has one to four #s",
}
VIOLATED = re.compile(r"Constraint “(\w+)” is violated")


def _save(model, what, line, lines=None, **values):
    """Save a new row only once the model's own checks (its fields, choices, lengths, uniqueness and constraints)
    pass, so that a value the file gets wrong is a FormatError naming its line, never a database error. `what`
    names the row in the message ("the signatory's"); `lines` are the front-matter lines of its values."""
    fields = {field.name: field for field in model._meta.concrete_fields}
    row = model(
        **{
            name: "" if value is None and fields[name].empty_strings_allowed and not fields[name].null else value
            for name, value in values.items()
        }
    )
    try:
        row.full_clean()
    except ValidationError as error:
        name, problems = next(iter(error.error_dict.items()))
        where = (lines or {}).get(name, line)
        message = " ".join(_in_plain_words(problem, model, fields.get(name)) for problem in problems)
        if name == NON_FIELD_ERRORS:
            raise FormatError(f"Line {where}: {message}") from error
        raise FormatError(f"Line {where}: {what} “{name}”: {message}") from error
    row.save()
    return row


def _in_plain_words(problem, model, field):
    """A model's message about a value, said in the file's terms: Django's own names the table's columns ("Section
    with this Compact and Order already exists") or a constraint ("Constraint … is violated")."""
    if problem.code == "unique_together":
        names = [name for name in problem.params["unique_check"] if name not in ("compact", "procedure")]
        return f"another {model._meta.verbose_name} has the same {' and '.join(names)}."
    if problem.code == "unique":
        return f"another {model._meta.verbose_name} already has this one."
    message = problem.messages[0]
    violated = VIOLATED.search(message)
    if violated and violated[1] in CONSTRAINTS:
        return CONSTRAINTS[violated[1]] + "."
    if problem.code == "invalid_choice" and field is not None:
        message += f" Choose one of: {', '.join(str(choice) for choice, _ in field.flatchoices)}."
    return message


def _order(value, default, line):
    """An `order=` attribute as a number; its place in the file where none is given."""
    if not value:
        return default
    if not re.fullmatch("[0-9]{1,5}", value):
        raise FormatError(f"Line {line}: “order” must be a whole number, such as order=3, not “{value}”.")
    return int(value)


def _named(table, name, line, what):
    """The row a value names (an organisation, a section, an item), or FormatError at its line if there is none.
    `what` says what names it, as a message starts: "the signatory names organisation"."""
    if name not in table:
        hint = ": add it under “organisations”" if what.endswith("organisation") else ""
        raise FormatError(f"Line {line}: {what} “{name}”, and there is none by that name{hint}.")
    return table[name]


def _refers(entry, name, table, noun):
    """The row a front-matter entry's value names (`name`, looked up in `table`): None where it names none."""
    if not entry.get(name):
        return None
    what = f"the {noun} names {'organisation' if name == 'body' else name.replace('_', ' ')}"
    return _named(table, entry[name], entry.lines[name], what)


@transaction.atomic
def create(front, sections):
    """Make the Compact the parsed file describes. Raises FormatError (nothing is saved) where it cannot: every value
    is checked as its row is made, so no other error comes from a file that parse() read."""
    missing = [
        name for name in ("slug", "title", "short_name", "area", "reference_prefix", "status") if not front.get(name)
    ]
    if missing:
        raise FormatError(f"The front matter must give {', '.join(missing)}.")
    if Compact.objects.filter(slug=front["slug"]).exists():
        raise FormatError(f"There is already a Compact called “{front['slug']}”: give this one another slug.")
    for organisation in front.get("organisations") or []:
        if not Organisation.objects.filter(name=organisation["name"]).exists():
            _save(Organisation, "the organisation's", organisation.line, organisation.lines, **organisation)
    organisations = {o.name: o for o in Organisation.objects.all()}
    owner = None
    if front.get("owner"):
        owner = _named(organisations, front["owner"], front.lines["owner"], "the owner is organisation")
    compact = _save(
        Compact,
        "the Compact's",
        front.line,
        front.lines,
        owner=owner,
        **{name: front.get(name) for name in COMPACT_FIELDS},
    )
    for event in front.get("events") or []:
        _save(CompactEvent, "the event's", event.line, event.lines, compact=compact, **event)
    by_ref, items_by_ref, blocks = {}, {}, registry.blocks()
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    for position, data in enumerate(sections, start=1):
        line = data["line"]
        section = _save(
            Section,
            "the section's",
            line,
            compact=compact,
            ref=data["ref"],
            order=_order(data.get("order"), position, line),
            part=data.get("part") or SectionPart.COMPACT,
            level=data["level"],
            number=data.get("number", ""),
            title=data["title"],
            body=data["body"],
            body_after=data["after"],
        )
        by_ref[section.ref] = section
        for position_in_section, item in enumerate(data["items"], start=1):
            line = item["line"]
            if item["kind"] not in blocks:
                raise FormatError(f"Line {line}: this block is not a kind of item the portal knows.")
            kind = blocks[item["kind"]]
            model, fields, text = kind.model, kind.block.attributes, kind.text
            values = {name: item.get(name, "") for name in fields}
            if "theme" in values:
                if values["theme"] not in themes:
                    raise FormatError(f"Line {line}: there is no theme called “{values['theme']}”.")
                values["theme"] = themes[values["theme"]]
            if "organisation" in values:
                name = values["organisation"]
                values["organisation"] = (
                    _named(organisations, name, line, "the contact names organisation") if name else None
                )
            for flag in ("is_champion", "is_contact_point"):
                if flag in values:
                    if values[flag] not in ("", "true", "false"):
                        raise FormatError(f"Line {line}: “{flag}” must be true or false, not “{values[flag]}”.")
                    values[flag] = values[flag] == "true"
            if values.get("is_champion"):
                values["is_contact_point"] = True  # every Champion is a point of contact
            created = _save(
                model,
                f"the {item['kind'].replace('_', ' ')}'s",
                line,
                compact=compact,
                section=section,
                order=_order(item.get("order"), position_in_section, line),
                **{text: item["text"]},
                **values,
            )
            items_by_ref[(item["kind"], values.get("ref"))] = created
    for signatory in front.get("signatories") or []:
        lines = signatory.lines
        _save(
            Signatory,
            "the signatory's",
            signatory.line,
            lines,
            compact=compact,
            organisation=_named(
                organisations, signatory["organisation"], lines["organisation"], "the signatory names organisation"
            ),
            section=_named(by_ref, signatory["section"], lines["section"], "the signatory names section"),
            order=signatory["order"],
            role=signatory["role"],
            printed_name=signatory["printed_name"],
        )
    case_studies = {ref: item for (kind, ref), item in items_by_ref.items() if kind == "case_study"}
    named = {  # what a figure's or a stage's value may name, by the name the file gives it
        "commitment": {ref: item for (kind, ref), item in items_by_ref.items() if kind == "commitment"},
        "case_study": case_studies,
        "section": by_ref,
        "body": organisations,
        "time_limit_case_study": case_studies,
    }
    for figure in front.get("figures") or []:
        values = dict(figure)
        for name in ("commitment", "case_study", "section"):
            values[name] = _refers(figure, name, named[name], "figure")
        _save(Figure, "the figure's", figure.line, figure.lines, compact=compact, **values)
    procedure_data = front.get("procedure")
    if procedure_data:
        procedure = _save(
            Procedure,
            "the procedure's",
            procedure_data.line,
            procedure_data.lines,
            compact=compact,
            origin=procedure_data["origin"],
            summary=procedure_data["summary"],
        )
        for stage in procedure_data.get("stages") or []:
            values = dict(stage)
            for name in ("section", "body", "time_limit_case_study"):
                values[name] = _refers(stage, name, named[name], "stage")
            _save(Stage, "the stage's", stage.line, stage.lines, procedure=procedure, **values)
    return compact
