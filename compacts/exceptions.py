"""The two things a service of any app raises when it will not do what it was asked, each with its reason in words
for the person asking. Pure Python (no Django), so that pure rule modules such as disputes.workflow can raise them.

- Refused: the person may not do this now, or what they entered will not do. Views show the message: beside the
  form's fields it is about (compacts.forms.add_refusal), or on a page of its own (compacts.views.refused_page).
- Conflict: someone changed the thing meanwhile, since the person read it (compacts.locking.check_version); a kind
  of Refused, so a page that shows every refusal the same way shows this one too, and one that offers to try again
  against the thing as it is now catches it first.

Subclasses, where a caller must tell one refusal from another: disputes.workflow.NotAllowed (the action is not open
on the complaint now: the page goes back to the complaint, rather than marking the form), disputes'
AlreadySubmitted (a draft sent twice: answered as the send that won) and commitments' ImportRefused (a file's rows,
listed beside it)."""


class Refused(Exception):
    """The person may not do this now, or what they entered will not do; the message says why, to them. `errors`
    maps the form's fields it is about to what is wrong with each: one (`field`), several at once (`errors`), or
    none (a refusal of the whole thing)."""

    def __init__(self, message="", field=None, *, errors=None):
        self.field = field
        self.errors = dict(errors) if errors else ({field: message} if field else {})
        super().__init__(message or "; ".join(f"{name}: {text}" for name, text in self.errors.items()))


class Conflict(Refused):
    """Someone changed the thing since the person read it, so what they sent was made from a copy that no longer
    stands; the message says what changed. `events`, where the thing keeps a timeline, are the ones added meanwhile,
    oldest first."""

    def __init__(self, message, events=()):
        super().__init__(message)
        self.events = list(events)
