"""Records of Compact working from a CSV file: consultations, or grants (in the portal's columns or in the
360Giving data standard's). Every row is read and checked before anything is saved; `read` returns the facts of
each good row and, for each bad one, its line and what is wrong, so that a file with any bad row imports nothing.

Organisations are found among the Compact's signatories by name (any case) or by identifier: a charity or company
number, a public body code, or a 360Giving organisation identifier (GB-CHC-1234567, GB-COH-01234567).

An imported record is made by an administrator for no organisation, so its other side (permissions.other_sides) is
the organisation whose doing it is, the `run_by` or `funder`, asked by the same rule as any record
(permissions.answering); a recipient found among the signatories is kept as the organisation funded (counterpart),
not asked, and no other organisations are named.
"""

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from compacts.models import IdentifierScheme

from .checking import UNKNOWN, check, kinds_measured
from .models import RecordKind

MAX_ROWS = 5000

# The portal's own columns, in order, with what each holds (the template file and
# docs/guides/compact-administrators.md say the same).
COLUMNS = {
    RecordKind.CONSULTATION: [
        ("run_by", "Who ran the consultation: an organisation that signed the Compact, by name or identifier"),
        ("title", "What it was about"),
        ("opened", "The day it opened: 2026-06-01 or 01/06/2026"),
        ("closed", "The day it closed"),
        ("link", "A link to it (optional)"),
        ("commitments", "Commitment numbers it tests, separated by ; (optional: else every one its dates measure)"),
    ],
    RecordKind.FUNDING: [
        ("funder", "Who funds it: an organisation that signed the Compact, by name or identifier"),
        ("recipient", "Who is funded, or the programme"),
        ("title", "What the funding is for"),
        ("identifier", "The grant's identifier (optional; unique in the Compact)"),
        ("amount", "Amount in pounds (optional)"),
        ("decided", "The day it was decided (optional)"),
        ("starts", "The first day of the funding (optional)"),
        ("ends", "The last day of the funding (optional)"),
        ("notice", "The day notice was given that it would end or change (optional)"),
        ("changes", "The day it ended or changed (optional)"),
        ("commitments", "Commitment numbers it tests, separated by ; (optional: else every one its dates measure)"),
    ],
}
# 360Giving's column names for a grant, and the portal's column each stands for.
THREESIXTY = {
    "Identifier": "identifier",
    "Title": "title",
    "Amount Awarded": "amount",
    "Award Date": "decided",
    "Recipient Org:Name": "recipient",
    "Recipient Org:Identifier": "recipient_id",
    "Funding Org:Name": "funder",
    "Funding Org:Identifier": "funder_id",
    "Planned Dates:Start Date": "starts",
    "Planned Dates:End Date": "ends",
}
SCHEMES = {"GB-CHC": IdentifierScheme.CHARITY, "GB-COH": IdentifierScheme.COMPANY}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


@dataclass
class Read:
    rows: list = field(default_factory=list)  # (line, facts, commitments) of every good row
    problems: list = field(default_factory=list)  # (line, column, what is wrong)
    standard: str = ""  # "portal" or "360Giving"


def template(kind):
    """A CSV file with the portal's columns for this kind and one example row."""
    example = {
        RecordKind.CONSULTATION: [
            "Derbyshire County Council",
            "Changes to day services for older people",
            "2026-06-01",
            "2026-08-24",
            "https://example.org/consultations/day-services",
            "3.6",
        ],
        RecordKind.FUNDING: [
            "Derbyshire County Council",
            "Derby City Partnership",
            "Community transport",
            "360G-EXAMPLE-0001",
            "25000",
            "2026-01-15",
            "2026-04-01",
            "2029-03-31",
            "",
            "",
            "9.1;9.2",
        ],
    }[kind]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([name for name, _ in COLUMNS[kind]])
    writer.writerow(example)
    return out.getvalue()


def read(text, *, compact, kind, organisations, commitments, figures):
    """Check every row of a CSV file for this Compact. `organisations` are its signatories; `commitments` those
    a record of this kind can be held against, and `figures` theirs (commitment id to figures)."""
    result = Read()
    try:
        return _read(text, result, compact, kind, organisations, commitments, figures)
    except csv.Error as error:  # a quote never closed, say: the rows after it cannot be told apart
        result.problems.append((getattr(error, "line", "") or "", "", f"The file cannot be read as CSV: {error}"))
        result.rows = []
        return result


def _read(text, result, compact, kind, organisations, commitments, figures):
    # newline="": a line may end in \r, \n or both (files saved on any machine), and csv reads quoted line breaks
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    headers = [h.strip() for h in reader.fieldnames or []]
    reader.fieldnames = headers
    if kind == RecordKind.FUNDING and "Identifier" in headers and "Funding Org:Name" in headers:
        result.standard = "360Giving"
    else:
        result.standard = "portal"
        missing = [name for name, _ in COLUMNS[kind] if name not in headers and name not in OPTIONAL[kind]]
        if missing:
            result.problems.append((1, ", ".join(missing), "These columns are missing from the first line"))
            return result
    finder = _Finder(organisations)
    by_ref = {c.number or c.ref: c for c in commitments} | {c.ref: c for c in commitments}
    seen = {}
    for line, raw in enumerate(reader, start=2):
        if line - 1 > MAX_ROWS:
            result.problems.append((line, "", f"A file may hold at most {MAX_ROWS:,} rows: split it"))
            break
        row = {
            (THREESIXTY.get(k, k) if result.standard == "360Giving" else k): (v or "").strip()
            for k, v in raw.items()
            if k
        }
        if not any(row.values()):
            continue
        problems = []
        facts, chosen = _facts(kind, row, finder, by_ref, problems)
        identifier = facts.get("identifier")
        if identifier:
            if identifier in seen:
                problems.append(("identifier", f"The same identifier is on line {seen[identifier]}"))
            seen.setdefault(identifier, line)
        if not problems and not chosen:
            chosen = _measured(kind, facts, commitments, figures)
            if not chosen:
                problems.append(
                    ("commitments", "No commitment's figure can be held against these dates: name the commitments")
                )
        result.problems += [(line, column, message) for column, message in problems]
        if not problems:
            result.rows.append((line, facts, chosen))
    if not result.rows and not result.problems:
        result.problems.append((2, "", "The file has no rows under its first line"))
    return result


OPTIONAL = {
    RecordKind.CONSULTATION: {"link", "commitments"},
    RecordKind.FUNDING: {
        "identifier",
        "amount",
        "decided",
        "starts",
        "ends",
        "notice",
        "changes",
        "commitments",
        "recipient",
    },
}


class _Finder:
    def __init__(self, organisations):
        self.by_name = {o.name.casefold(): o for o in organisations}
        self.by_id = {}
        for o in organisations:
            if o.identifier:
                self.by_id[o.identifier.upper()] = o
                self.by_id[f"{o.identifier_scheme}:{o.identifier}".upper()] = o

    def find(self, name, identifier=""):
        if identifier:
            found = self.by_id.get(identifier.upper())
            prefix, _, number = identifier.rpartition("-")
            scheme = SCHEMES.get(prefix.upper())
            if found is None and scheme:
                found = self.by_id.get(f"{scheme}:{number}".upper())
            if found is not None:
                return found
        return self.by_name.get(name.casefold()) or self.by_id.get(name.upper())


def _date(value, column, problems):
    if not value:
        return None
    text = value[:10] if re.match(r"\d{4}-\d\d-\d\dT", value) else value
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    problems.append((column, f"“{value}” is not a date: write it as 2026-06-01 or 01/06/2026"))
    return None


def _facts(kind, row, finder, by_ref, problems):
    who = "run_by" if kind == RecordKind.CONSULTATION else "funder"
    about = finder.find(row.get(who, ""), row.get("funder_id", ""))
    if about is None:
        label = row.get(who) or row.get("funder_id") or "(empty)"
        problems.append((who, f"“{label}” is not an organisation that signed this Compact"))
    facts = {"about": about, "title": row.get("title", "")[:300]}
    if not facts["title"]:
        problems.append(("title", "Say what it was"))
    chosen = []
    for ref in filter(None, (part.strip() for part in row.get("commitments", "").split(";"))):
        if ref in by_ref:
            chosen.append(by_ref[ref])
        else:
            problems.append(
                ("commitments", f"“{ref}” is not a commitment with a figure this record can be held against")
            )
    if kind == RecordKind.CONSULTATION:
        facts["starts_on"] = _date(row.get("opened", ""), "opened", problems)
        facts["ends_on"] = _date(row.get("closed", ""), "closed", problems)
        for column, name in (("opened", "starts_on"), ("closed", "ends_on")):
            if facts[name] is None and not any(c == column for c, _ in problems):
                problems.append((column, "Give the day"))
        facts["link"] = row.get("link", "")[:500]
    else:
        facts["recipient"] = row.get("recipient", "")[:300]
        counterpart = finder.find(row.get("recipient", ""), row.get("recipient_id", ""))
        facts["counterpart"] = counterpart if counterpart is not None and counterpart != about else None
        facts["identifier"] = row.get("identifier", "")[:200]
        amount = row.get("amount", "").replace(",", "").replace("£", "")
        try:
            facts["amount"] = Decimal(amount) if amount else None
        except InvalidOperation:
            problems.append(("amount", f"“{row['amount']}” is not an amount of money"))
        for column, name in (
            ("decided", "decided_on"),
            ("starts", "starts_on"),
            ("ends", "ends_on"),
            ("notice", "notice_on"),
            ("changes", "changes_on"),
        ):
            facts[name] = _date(row.get(column, ""), column, problems)
        if not any(facts[name] for name in ("decided_on", "starts_on", "notice_on")) and not problems:
            problems.append(("decided", "Give the day it was decided, the first day of the funding, or the notice"))
    if facts.get("starts_on") and facts.get("ends_on") and facts["ends_on"] < facts["starts_on"]:
        column = "closed" if kind == RecordKind.CONSULTATION else "ends"
        problems.append((column, "This day is before the first one"))
    return facts, chosen


class _Facts:
    """A row's facts with the attribute names a check reads."""

    def __init__(self, facts):
        self.__dict__.update(
            {
                name: None
                for name in ("starts_on", "ends_on", "decided_on", "notice_on", "changes_on", "due_on", "paid_on")
            }
        )
        self.__dict__.update(facts)


def _measured(kind, facts, commitments, figures):
    """The commitments a row's dates can be held against, where the file names none."""
    row = _Facts(facts)
    kinds = kinds_measured(kind)
    return [
        c
        for c in commitments
        if any(f.kind in kinds and check(f, row).outcome != UNKNOWN for f in figures.get(c.pk, []))
    ]
