"""Reads of commitments, each in a fixed number of queries."""

from dataclasses import dataclass
from itertools import groupby

from django.core.paginator import Paginator
from django.db.models import BooleanField, Count, Exists, OuterRef, Prefetch, Q, Subquery, Value
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from compacts.models import Compact, Organisation, OrganisationKind, WorkPlanAction, WorkPlanStatus
from compacts.text import is_id

from . import permissions
from .checking import kinds_measured
from .filters import CommitmentFilter
from .models import (
    RECORD_FACTS,
    CheckOutcome,
    Commitment,
    CommitmentSector,
    Figure,
    FigureKind,
    Record,
    RecordCheck,
    RecordImport,
    RecordKind,
    RecordResponse,
    RecordVersion,
    Theme,
)
from .search import STOP_WORDS, closest_themes, content_words, suggestion, vocabulary, word_overlap, words

OTHER_COMPACTS_SHOWN = 12
LONG_TEXTS = [
    "section__body",
    "section__body_after",
    "compact__summary",
    "compact__status_note",
    "compact__owner_note",
    "compact__source_description",
    "compact__pledge",
    "theme__description",
]


def commitment_list():
    """All commitments in reading order, with what a list of them shows (and
    not the long texts of their Compact and section, which lists never show)."""
    return (
        Commitment.objects.select_related("compact", "section", "theme")
        .defer(*LONG_TEXTS)
        .order_by("compact__short_name", "section__order", "order")
    )


def commitment_filter(params):
    """The explorer's filters bound to the request's parameters."""
    return CommitmentFilter(params, queryset=commitment_list())


def commitments_to_export(params):
    """The explorer's commitments for a download, by the same filters (none, where they are not valid), each with its
    figures in order (`figures`), read 2,000 at a time."""
    filterset = commitment_filter(params)
    queryset = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    queryset = queryset.prefetch_related(Prefetch("figures", queryset=Figure.objects.order_by("kind", "ref")))
    return queryset.iterator(chunk_size=2000)


def spelling_suggestion(search, *, found_some):
    """The search with each word no commitment contains replaced by the closest word one does use, or None
    (search.suggestion, against the words of every commitment)."""
    return suggestion(search, vocabulary(Commitment.objects.all()), found_some=found_some)


def themes_like(text):
    """The themes whose words are closest to a search's, best first (search.closest_themes)."""
    return closest_themes(text, Theme.objects.all())


# Words of Compacts' names too common to name one by themselves ("county" is in many; "compact" in all).
COMMON_NAME_WORDS = frozenset(
    {
        *("compact", "compacts", "county", "counties", "borough", "city", "district"),
        *("council", "councils", "metropolitan", "unitary", "area", "local"),
    }
)
COMPACTS_NAMED_SHOWN = 5


@dataclass
class NamedCompact:
    """A Compact whose title, short name or area has a word of a search, and the words of the search left over
    once the words of its name are taken out (what to search its commitments for)."""

    slug: str
    title: str
    short_name: str
    area: str
    name_words: frozenset  # the words of the search that are words of its name
    rest: str

    def get_absolute_url(self):
        return reverse("documents:detail", args=[self.slug])


def compacts_named(text, compacts):
    """Those of `compacts` ((slug, title, short name, area), as CommitmentFilter.compacts has them: no query)
    that a search's words name, at most five, in the same order: those whose title, short name or area has a word
    of the search as a whole word, whatever the case, other than a stop word or a word many Compacts' names share
    ("county", "compact")."""
    typed = words(text)
    wanted = {word for word in typed if word not in STOP_WORDS and word not in COMMON_NAME_WORDS and len(word) > 1}
    named = []
    for slug, title, short_name, area in compacts if wanted else ():
        own = set(words(f"{title} {short_name} {area}"))
        if not wanted & own:
            continue
        rest = [word for word in typed if word not in own]
        rest = " ".join(rest) if set(rest) - STOP_WORDS else ""
        named.append(NamedCompact(slug, title, short_name, area, name_words=frozenset(typed) & own, rest=rest))
        if len(named) == COMPACTS_NAMED_SHOWN:
            break
    return named


def commitment_detail(compact_slug, ref):
    """One commitment with its figures and, for comparison, the closest commitment on the same theme in each of
    up to a dozen other Compacts (see same_theme_elsewhere); 404 if there is none with that reference."""
    commitment = (
        Commitment.objects.select_related("compact", "section__compact", "theme")
        .prefetch_related("figures")
        .filter(compact__slug=compact_slug, ref=ref)
        .first()
    )
    if commitment is None:
        raise Http404("There is no commitment with that reference in that Compact.")
    commitment.elsewhere = same_theme_elsewhere(commitment)
    return commitment


def same_theme_elsewhere(commitment):
    """The commitment on the same theme closest to this one in each of the first dozen other Compacts (A to Z)
    that have one, in one query: one with a figure of a kind this one has comes first, then the one sharing the
    most of its content words (word_overlap), then the first printed. Its figures must be read already."""
    kinds = {figure.kind for figure in commitment.figures.all()}
    others = (
        Compact.objects.exclude(pk=commitment.compact_id)
        .filter(Exists(Commitment.objects.filter(compact=OuterRef("pk"), theme=commitment.theme_id)))
        .order_by("short_name", "pk")
        .values("pk")[:OTHER_COMPACTS_SHOWN]
    )
    same_kind = (
        Exists(Figure.objects.filter(commitment=OuterRef("pk"), kind__in=kinds))
        if kinds
        else Value(False, output_field=BooleanField())
    )
    candidates = (
        commitment_list().filter(theme=commitment.theme_id, compact__in=Subquery(others)).annotate(same_kind=same_kind)
    )
    words = content_words(commitment.text)
    best = {}  # by Compact, in reading order: the first of equally close ones is the first printed
    for other in candidates:
        closeness = (other.same_kind, word_overlap(words, content_words(other.text)))
        if other.compact_id not in best or closeness > best[other.compact_id][0]:
            best[other.compact_id] = (closeness, other)
    return [other for _, other in best.values()]


def comparison(compact_slugs, theme_slug, visible):
    """Commitments of the chosen Compacts on one theme, side by side, and the
    figures each commits to, lined up by kind; each figure of a commitment with
    whether it was followed (`followed`, a CheckerRow of the records `visible`,
    from permissions.visible, lets the person see)."""
    figures = Figure.objects.select_related("commitment__compact", "case_study", "section")
    compacts = list(
        Compact.objects.filter(slug__in=compact_slugs)
        .order_by("short_name")
        .prefetch_related(
            Prefetch(
                "commitments",
                queryset=commitment_list().filter(theme__slug=theme_slug),
                to_attr="theme_commitments",
            ),
            Prefetch("figures", queryset=figures, to_attr="all_figures"),
        )
    )
    counts = followed_counts(compacts, None, None, visible)
    for compact in compacts:
        for figure in compact.all_figures:
            if figure.commitment_id:
                found = counts.get((compact.pk, figure.commitment_id), {})
                figure.followed = CheckerRow(
                    commitment=figure.commitment,
                    figures=[figure],
                    **{name: found.get(name, 0) for name in ("total", "met", "missed", "unknown")},
                )
    rows = []
    for kind in FigureKind:
        cells = [[f for f in compact.all_figures if f.kind == kind] for compact in compacts]
        if any(cells):
            rows.append((kind.label, cells))
    return compacts, rows


def compact_counts(compacts, themes=None):
    """Counts of the Compacts' commitments by sector and by theme (every theme, as given if read already)."""
    themes = list(Theme.objects.all() if themes is None else themes)
    counts = {}
    rows = (
        Commitment.objects.filter(compact__in=compacts)
        .values("compact_id", "sector", "theme_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        for key in (("sector", row["sector"]), ("theme", row["theme_id"]), ("all", None)):
            counts[(row["compact_id"], *key)] = counts.get((row["compact_id"], *key), 0) + row["n"]
    sector_rows = [
        (label, [counts.get((c.id, "sector", value), 0) for c in compacts]) for value, label in CommitmentSector.choices
    ]
    theme_rows = [(theme, [counts.get((c.id, "theme", theme.id), 0) for c in compacts]) for theme in themes]
    totals = [counts.get((c.id, "all", None), 0) for c in compacts]
    return sector_rows, theme_rows, totals


# Records of Compact working and the checker ------------------------------------------------------------------------


def record_detail(compact_slug, pk):
    """One record with its checks, the other organisations it names, the other side's answers and every version;
    404 if there is none."""
    record = (
        Record.objects.select_related("compact", "about", "counterpart", "recorded_for", "recorded_by")
        .prefetch_related(
            Prefetch("others", queryset=Organisation.objects.only("name", "sector", "kind")),
            Prefetch("checks", queryset=RecordCheck.objects.select_related("commitment__section", "figure")),
            Prefetch("responses", queryset=RecordResponse.objects.select_related("organisation", "by")),
            Prefetch("versions", queryset=RecordVersion.objects.select_related("by").order_by("-number")),
            Prefetch(
                "commitments",
                queryset=Commitment.objects.select_related("section").order_by("order"),
            ),
        )
        .filter(compact__slug=compact_slug, pk=pk)
        .first()
    )
    if record is None:
        raise Http404("There is no record with that number in that Compact.")
    for commitment in [check.commitment for check in record.checks.all()] + list(record.commitments.all()):
        commitment.compact = record.compact  # for their addresses, without a query each
    return record


@dataclass
class RecordFormChoices:
    """What the form for a record of one kind offers a person in one Compact: whom they may record for
    (permissions.Recorder, and its choices), the organisations that signed it (A to Z), the commitments such a
    record can be held against, and what the form starts with (a record being corrected; else, for a consultation,
    the Compact's VCS infrastructure body as consulted, unless it is the recorder's own)."""

    recorder: permissions.Recorder
    recording_for: list
    organisations: list
    commitments: list
    initial: dict | None


def record_form_choices(user, compact, kind, record=None):
    """The form for a record of this kind in this Compact, as this person may fill it in (or correct `record`)."""
    recorder = permissions.recorder(user, compact)
    organisations = list(
        Organisation.objects.filter(signatures__compact=compact)
        .distinct()
        .order_by("name")
        .only("name", "sector", "kind")
    )
    commitments = record_commitments(compact, kind)
    initial = None
    if record is None and kind in (RecordKind.CONSULTATION, RecordKind.OTHER):
        # Consulted, by default: the Compact's VCS infrastructure body, unless it is the recorder's own.
        mine = recorder.organisations
        initial = {
            "others": [str(o.pk) for o in organisations if o.kind == OrganisationKind.INFRASTRUCTURE and o not in mine]
        }
    if record is not None:
        initial = {name: getattr(record, name) for name in RECORD_FACTS if name not in ("about", "counterpart")}
        initial.update(
            version=record.version,
            about=str(record.about_id),
            counterpart=str(record.counterpart_id or ""),
            others=[str(o.pk) for o in record.others.all()],
            recorded_for=str(record.recorded_for_id or ""),
            commitments=[str(c.pk) for c in record.commitments.all()],
        )
    return RecordFormChoices(
        recorder=recorder,
        recording_for=recorder.choices(record),
        organisations=organisations,
        commitments=commitments,
        initial=initial,
    )


def record_commitments(compact, kind):
    """The commitments of a Compact a record of this kind can be held against: those with such a figure."""
    kinds = kinds_measured(kind)
    return list(
        Commitment.objects.filter(compact=compact, figures__kind__in=kinds)
        .select_related("section")
        .distinct()
        .order_by("section__order", "order")
    )


def recordable_kinds(compact):
    """The kinds of record (RecordKind values, in their order) this Compact's figures can check: a kind is offered only
    where a commitment of the Compact has a figure of a kind it measures (Darlington prints no consultation period,
    so a consultation has nothing to be checked against there). One query."""
    measured = set(Figure.objects.filter(compact=compact, commitment__isnull=False).values_list("kind", flat=True))
    return [kind for kind in RecordKind if measured & set(kinds_measured(kind))]


def import_context(compact, kind):
    """What `imports.read` checks a file of this kind against, for a Compact: its signatories, the commitments
    such a record can be held against, and their figures (commitment id to figures). Three queries."""
    commitments = record_commitments(compact, kind)
    figures = {}
    for figure in Figure.objects.filter(commitment__in=commitments):
        figures.setdefault(figure.commitment_id, []).append(figure)
    organisations = list(Organisation.objects.filter(signatures__compact=compact).distinct())
    return {"organisations": organisations, "commitments": commitments, "figures": figures}


def import_to_correct(compact, pk):
    """An earlier import of the Compact's (?again=), whose text the form opens with to correct; None if it has none
    of that number."""
    return RecordImport.objects.filter(compact=compact, pk=int(pk)).first() if is_id(pk) else None


def import_job(compact, pk):
    """One of the Compact's imports with who made it (not its text); 404 if it has none of that number."""
    job = get_object_or_404(RecordImport.objects.select_related("by").defer("text"), compact=compact, pk=pk)
    job.compact = compact
    return job


def recent_imports(compact, most=10):
    """The Compact's latest record imports, newest first, with who made them (one query)."""
    jobs = list(RecordImport.objects.filter(compact=compact).select_related("by").defer("text")[:most])
    for job in jobs:
        job.compact = compact
    return jobs


@dataclass
class CheckerRow:
    commitment: Commitment
    figures: list
    total: int = 0
    met: int = 0
    missed: int = 0
    unknown: int = 0

    def share(self, count):
        return round(100 * count / self.total) if self.total else None

    @property
    def shares(self):
        return {outcome: self.share(getattr(self, outcome)) for outcome in CheckOutcome.values}


def _visible_checks(compacts, start, end, visible):
    checks = RecordCheck.objects.filter(visible, compact__in=compacts)
    if start:
        checks = checks.filter(occurred_on__gte=start)
    if end:
        checks = checks.filter(occurred_on__lte=end)
    return checks


def followed_counts(compacts, start, end, visible):
    """(compact id, commitment id) to the counts of its records, met, missed and cannot be told: one query."""
    return {
        (row["compact_id"], row["commitment_id"]): row
        for row in _visible_checks(compacts, start, end, visible)
        .values("compact_id", "commitment_id")
        .annotate(
            total=Count("record_id", distinct=True),
            met=Count("id", filter=Q(outcome=CheckOutcome.MET)),
            missed=Count("id", filter=Q(outcome=CheckOutcome.MISSED)),
            unknown=Count("id", filter=Q(outcome=CheckOutcome.UNKNOWN)),
        )
        .order_by()
    }


def checker(compacts, start, end, visible):
    """For each figure commitment of these Compacts, the records in the period that `visible` (a filter from
    permissions.visible) lets the person see, by the date each counts under, and how many met, missed or could
    not be told: counted in the database, in two queries."""
    counts = followed_counts(compacts, start, end, visible)
    figures = (
        Figure.objects.filter(compact__in=compacts, commitment__isnull=False)
        .select_related("commitment__section")
        .defer("commitment__search_vector")
        .order_by("compact_id", "commitment__section__order", "commitment__order", "kind")
    )
    by_pk = {compact.pk: compact for compact in compacts}
    rows = {}
    for figure in figures:
        figure.commitment.compact = by_pk[figure.compact_id]  # for its address, without a query each
        key = (figure.compact_id, figure.commitment_id)
        if key not in rows:
            found = counts.get(key, {})
            rows[key] = CheckerRow(
                commitment=figure.commitment,
                figures=[],
                **{name: found.get(name, 0) for name in ("total", "met", "missed", "unknown")},
            )
        rows[key].figures.append(figure)
    by_compact = {compact.pk: [] for compact in compacts}
    for (compact_id, _), row in rows.items():
        by_compact[compact_id].append(row)
    return by_compact


def checker_records(commitment, start, end, visible):
    """The records of one figure commitment in the period the person may see, newest first, each with its check."""
    return (
        _visible_checks([commitment.compact_id], start, end, visible)
        .filter(commitment=commitment)
        .select_related("record__about", "record__recorded_for", "figure")
        .order_by("-occurred_on", "-record_id", "figure__kind")
    )


# The work plan ------------------------------------------------------------------------------------------------------


def latest_work_plan(compact):
    actions = list(WorkPlanAction.objects.filter(compact=compact).order_by("-year", "due_on", "id"))
    latest = [action for action in actions if action.year == actions[0].year] if actions else []
    today = timezone.localdate()
    for action in latest:
        action.overdue = action.is_overdue(today)
    return latest


@dataclass
class WorkPlanYear:
    year: int
    actions: list
    done: int
    overdue: int


def work_plan(compact):
    """Every year of a Compact's work plan, latest first, each action with its themes and commitments and whether
    it is overdue; in a fixed number of queries."""
    actions = (
        WorkPlanAction.objects.filter(compact=compact)
        .select_related("owner")
        .prefetch_related(
            Prefetch("themes", queryset=Theme.objects.order_by("order")),
            Prefetch(
                "commitments",
                queryset=Commitment.objects.select_related("section").order_by("section__order", "order"),
            ),
        )
        .order_by("-year", "due_on", "id")
    )
    today = timezone.localdate()
    years = []
    for year, group in groupby(actions, key=lambda action: action.year):
        group = list(group)
        for action in group:
            action.overdue = action.is_overdue(today)
            for commitment in action.commitments.all():
                commitment.compact = compact
        years.append(
            WorkPlanYear(
                year,
                group,
                done=sum(action.status == WorkPlanStatus.DONE for action in group),
                overdue=sum(action.overdue for action in group),
            )
        )
    return years


def work_plan_action_form(compact, pk=None):
    """What the form for one work-plan action offers: the action (None for a new one; 404 if not this Compact's),
    every theme, and the Compact's commitments in the document's order."""
    action = None
    if pk is not None:
        action = WorkPlanAction.objects.select_related("owner").filter(pk=pk, compact=compact).first()
        if action is None:
            raise Http404("No such action in this work plan.")
    themes = list(Theme.objects.order_by("order"))
    commitments = list(
        Commitment.objects.filter(compact=compact).select_related("section").order_by("section__order", "order")
    )
    return action, themes, commitments


def checker_commitment(compact_slug, ref):
    """A commitment for the checker's page of its records, with its Compact and section; 404 if there is none."""
    return get_object_or_404(
        Commitment.objects.select_related("compact", "section"),
        compact__slug=compact_slug,
        ref=ref,
    )


def checker_records_page(commitment, start, end, visible, number, per_page=50):
    """A page of checker_records."""
    return Paginator(checker_records(commitment, start, end, visible), per_page).get_page(number)
