"""Reviewing a Compact's text, publishing a version of it, and importing a new Compact: one function per action."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import capfirst

from compacts import audit, cache
from compacts import content as registry
from compacts.exceptions import Conflict, Refused
from compacts.locking import check_version
from compacts.models import (
    Compact,
    CompactRole,
    CompactRoleKind,
    CompactVersion,
    Review,
    ReviewChange,
    ReviewStatus,
)
from compacts.permissions import is_site_admin, require_administrator
from compacts.text import long_date

from . import textformat, versions

# Reviews and versions ----------------------------------------------------------------------------------------------


def _first_version(compact, by):
    """Version 1, the text as loaded, kept before a review first changes it. It is dated by the document itself (its
    events), not by a day of publishing here."""
    if not CompactVersion.objects.filter(compact=compact).exists():
        CompactVersion.objects.create(
            compact=compact,
            number=1,
            published_on=None,
            note="The document as loaded into the portal.",
            content=versions.content_of(compact),
            published_by=None,
        )
        cache.content_changed()


@transaction.atomic
def review_open(*, compact, by):
    """An administrator opens a review of the Compact's text (one at a time)."""
    require_administrator(by, compact)
    Compact.objects.select_for_update().get(pk=compact.pk)
    current = Review.objects.filter(compact=compact, status=ReviewStatus.OPEN).select_related("opened_by").first()
    if current:
        who = current.opened_by.get_full_name() or current.opened_by.email if current.opened_by else "someone"
        opened = long_date(timezone.localtime(current.opened_at))
        raise Refused(f"A review is already open: {who} opened it on {opened}.")
    _first_version(compact, by)
    review = Review.objects.create(compact=compact, opened_by=by)
    audit.record(compact, by, "Review opened", compact.title)
    return review


def _open_review(review):
    review = Review.objects.select_for_update(of=("self",)).select_related("compact").get(pk=review.pk)
    if review.status != ReviewStatus.OPEN:
        raise Refused("This review has been published; open a new one to change the text again.")
    return review


def _figure_draft(entry, value, quote):
    """A figure's drafted value ("" where it has no number) and quote, checked."""
    quote = str(quote).strip()
    if entry["value"] is None:
        if str(value).strip():
            raise Refused("This figure has no number printed: change the words it is read from only", field="value")
        value = ""
    else:
        if not str(value).strip().isdigit() or int(value) <= 0:
            raise Refused("Enter the figure as a whole number, like 12", field="value")
        value = str(int(value))
    if not quote:
        raise Refused("Enter the words the figure is read from, as they will be printed", field="quote")
    return value, quote


def _draft_state(kind, value, quote, reason):
    """A drafted change as its record shows it."""
    state = {"figure": value, "quote": quote} if kind == "figure" else {"wording": value}
    return {**state, **({"why not": reason} if reason else {})}


@transaction.atomic
def review_change(*, review, by, kind, ref, value, quote="", reason=""):
    """Draft the new wording of one item, or a figure's new value and the words it is read from, in an open review;
    the same as the published text takes the draft back out. A drafted figure must agree with the wording it is read
    from as that will stand after the review (a new value needs new words, and its words must be in that wording),
    unless `reason` says why not."""
    review = _open_review(review)
    require_administrator(by, review.compact)
    if kind not in registry.editable():
        raise Refused("That part of the text cannot be changed in a review.")
    published = versions.content_of(review.compact)
    entry = versions.find(published, kind, ref)
    if entry is None:
        raise Refused("There is no such item in this Compact's text.")
    reason = str(reason).strip()
    if kind == "figure":
        value, quote = _figure_draft(entry, value, quote)
        unchanged = value == ("" if entry["value"] is None else str(entry["value"])) and quote == entry["quote"]
        now = _draft_state(kind, "" if entry["value"] is None else str(entry["value"]), entry["quote"], "")
    else:
        if not str(value).strip():
            raise Refused("Enter the new wording: a review cannot leave an item empty", field="value")
        value, quote = str(value), ""
        unchanged = value == versions.current_value(published, kind, ref)
        now = _draft_state(kind, versions.current_value(published, kind, ref), "", "")
    drafted = ReviewChange.objects.filter(review=review, kind=kind, ref=ref).first()
    before = _draft_state(kind, drafted.value, drafted.quote, drafted.reason) if drafted else now
    if unchanged:
        change = None
        ReviewChange.objects.filter(review=review, kind=kind, ref=ref).delete()
    else:
        change = ReviewChange(review=review, kind=kind, ref=ref, value=value, quote=quote, reason=reason)
        if kind == "figure":
            others = [c for c in review.changes.all() if (c.kind, c.ref) != (kind, ref)]
            for mismatch in versions.mismatches(published, [*others, change]):
                if mismatch.figure == ref:
                    raise Refused(mismatch.message, field="quote")
        change, _ = ReviewChange.objects.update_or_create(
            review=review,
            kind=kind,
            ref=ref,
            defaults={
                "value": value,
                "quote": quote,
                "reason": reason,
                "changed_by": by,
                "changed_at": timezone.now(),
            },
        )
    after = _draft_state(kind, change.value, change.quote, change.reason) if change else now
    if before != after:
        audit.record(
            review.compact,
            by,
            "Review draft changed" if change else "Review draft taken back out",
            capfirst(versions.name_of(published, kind, ref)),
            before=before,
            after=after,
        )
    return change


@transaction.atomic
def review_publish(*, review, by, published_on, note, checked=None):
    """Publish the review's changes as the Compact's next version: into the tables, and kept whole as that version,
    with the reasons given for any figure that differs from its wording. Refused while a drafted change leaves a
    figure out of step with its wording and no reason says why, and, given `checked` (versions.signature of the
    drafts an administrator checked before publishing), if the drafts have changed since."""
    review = _open_review(review)
    compact = review.compact
    require_administrator(by, compact)
    changes = list(review.changes.all())
    if not changes:
        raise Refused("Nothing has been changed in this review yet, so there is nothing to publish.")
    if checked is not None:
        check_version(checked, versions.signature(changes), _drafts_changed_meanwhile)
    out_of_step = versions.mismatches(versions.content_of(compact), changes)
    if out_of_step:
        raise Refused(
            "Some figures would not say what their wording says: "
            + "; ".join(f"{m.label}: {m.message}" for m in out_of_step)
            + ". Change them in this review, or say why not, then publish."
        )
    last = CompactVersion.objects.filter(compact=compact).order_by("-number").first()
    versions.write(compact, changes)
    version = CompactVersion.objects.create(
        compact=compact,
        number=last.number + 1,
        published_on=published_on,
        note=note.strip(),
        content=versions.with_changes(versions.content_of(compact), [c for c in changes if c.reason]),
        published_by=by,
    )
    review.status, review.published = ReviewStatus.PUBLISHED, version
    review.save(update_fields=["status", "published"])
    cache.content_changed()
    audit.record(
        compact,
        by,
        f"Version {version.number} published",
        compact.title,
        before={"version": last.number},
        after={"version": version.number, "changes": len(changes), **({"note": version.note} if version.note else {})},
    )
    return version


def _drafts_changed_meanwhile():
    return Conflict(
        "The drafted changes have changed since you checked them (someone drafted, changed or took out a "
        "change). Nothing was published: check the changes as they are now, then publish."
    )


# A new Compact ---------------------------------------------------------------------------------------------------


@transaction.atomic
def compact_import(*, by, text):
    """A site administrator adds a Compact from its text in the portal's plain text format (documents.textformat)
    and becomes its first administrator. Refused, with nothing saved, if any line could not be placed or the file
    does not describe a whole Compact."""
    if not is_site_admin(by):
        raise Refused("Only the site's administrators can add a Compact.")
    try:
        front, sections, unplaced = textformat.parse(text)
        if unplaced:
            raise Refused(
                f"{len(unplaced)} line{'s' if len(unplaced) > 1 else ''} could not be placed: correct them first."
            )
        with transaction.atomic():
            compact = textformat.create(front, sections)
    except textformat.FormatError as error:
        raise Refused(str(error)) from error
    except IntegrityError as error:  # every value was checked, but someone else's row took its place meanwhile
        raise Refused(
            "The Compact could not be added: something it gives was added by someone else at the same moment "
            "(another Compact with its slug or reference prefix, say). Check the text again."
        ) from error
    CompactRole.objects.create(user=by, compact=compact, role=CompactRoleKind.ADMINISTRATOR)
    cache.content_changed()
    audit.record(
        compact,
        by,
        "Compact imported",
        compact.title,
        after={"sections": len(sections), "items": sum(len(section["items"]) for section in sections)},
    )
    return compact
