from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field
from django import forms
from django.contrib.auth import get_user_model

from compacts.forms import DateInputField, ListedModelChoiceField, ListedModelMultipleChoiceField, PlainErrors, helper
from compacts.models import OrganisationSector, WorkPlanStatus
from compacts.text import showable

from .filters import compact_choices
from .models import RecordKind, RecordVerdict, Theme

LABEL_LENGTH = 220


def shorten(text):
    """A commitment's first line, cut at a word with an ellipsis if it is long; and whether anything was left out."""
    first = text.strip().splitlines()[0] if text.strip() else ""
    if len(first) > LABEL_LENGTH:
        return first[: LABEL_LENGTH + 1].rsplit(" ", 1)[0].rstrip(" ,;:–-") + "…", True
    if first != text.strip():
        return f"{first} …", True
    return first, False


def commitment_choices(field, commitments):
    """Offer these commitments in a checkbox field (drawn by includes/_checkboxes.html): each by its number (or its
    place under its heading) and its first words, with the whole wording one click away where the label cuts it
    short."""
    choices, hints = [], {}
    for commitment in commitments:
        label, cut = shorten(commitment.text)
        choices.append((str(commitment.pk), f"{commitment.short_label} – {label}"))
        if cut:
            hints[str(commitment.pk)] = commitment.text
    field.choices, field.hints, field.hint_summary = choices, hints, "The whole commitment"


class CompareForm(PlainErrors, forms.Form):
    compacts = forms.MultipleChoiceField(
        label="Compacts to compare",
        help_text="Choose two or more.",
        choices=(),  # set per form, once (a callable would be run on every look-up)
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least two Compacts to compare",
            "invalid_choice": "Choose Compacts from the list",
        },
    )
    theme = ListedModelChoiceField(
        label="Theme",
        help_text="The commitments on this theme are shown side by side.",
        queryset=Theme.objects.all(),
        to_field_name="slug",
        empty_label="Choose a theme",
        error_messages={"required": "Choose a theme", "invalid_choice": "Choose a theme from the list"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["compacts"].choices = compact_choices()  # drawn by templates/commitments/_compare_form.html
        self.helper = FormHelper()  # for the error summary

    def clean_compacts(self):
        compacts = self.cleaned_data["compacts"]
        if len(compacts) < 2:
            raise forms.ValidationError("Choose at least two Compacts to compare")
        return compacts


# Records of Compact working ----------------------------------------------------------------------------------------

PUBLIC_NOTE = (
    "Records are public, with the names of the organisations, once the other side confirms them, or 20 working "
    "days after they are made if nobody has."
)
# For each kind of record: its fields, in order, and how each is asked.
RECORD_FIELDS = {
    RecordKind.CONSULTATION: ["about", "others", "title", "link", "starts_on", "ends_on"],
    RecordKind.FUNDING: [
        "about",
        "counterpart",
        "others",
        "recipient",
        "title",
        "identifier",
        "amount",
        "decided_on",
        "starts_on",
        "ends_on",
        "notice_on",
        "changes_on",
    ],
    RecordKind.PAYMENT: ["about", "counterpart", "others", "recipient", "title", "amount", "due_on", "paid_on"],
    RecordKind.OTHER: ["about", "others", "title", "link", "starts_on", "ends_on"],
}
RECORD_REQUIRED = {
    RecordKind.CONSULTATION: {"starts_on", "ends_on"},
    RecordKind.FUNDING: set(),
    RecordKind.PAYMENT: {"due_on", "paid_on"},
    RecordKind.OTHER: {"starts_on", "ends_on"},
}
RECORD_LABELS = {
    RecordKind.CONSULTATION: {
        "about": "Who ran the consultation?",
        "others": "Which organisations were consulted?",
        "title": "What was it about?",
        "link": "Link to the consultation (optional)",
        "starts_on": "When did it open?",
        "ends_on": "When did it close?",
    },
    RecordKind.FUNDING: {
        "about": "Who is the funder?",
        "others": "Who else should confirm or dispute it?",
        "title": "What is the funding for?",
        "starts_on": "First day of the funding (optional)",
        "ends_on": "Last day of the funding (optional)",
    },
    RecordKind.PAYMENT: {
        "about": "Who pays?",
        "others": "Who else should confirm or dispute it?",
        "title": "What is the payment for?",
    },
    RecordKind.OTHER: {
        "about": "Whose doing was it?",
        "others": "Which organisations did it involve?",
        "title": "What happened?",
        "link": "Link (optional)",
        "starts_on": "From",
        "ends_on": "To",
    },
}
# What to do about each required field left empty, where its label is a question (compacts.forms.PlainErrors).
RECORD_MESSAGES = {
    RecordKind.CONSULTATION: {
        "about": "Select who ran the consultation",
        "title": "Enter what the consultation was about",
        "starts_on": "Enter the date the consultation opened",
        "ends_on": "Enter the date the consultation closed",
    },
    RecordKind.FUNDING: {"about": "Select the funder", "title": "Enter what the funding is for"},
    RecordKind.PAYMENT: {
        "about": "Select who pays",
        "title": "Enter what the payment is for",
        "due_on": "Enter the date the money was due, invoiced, or the spending begun",
        "paid_on": "Enter the date it was paid",
    },
    RecordKind.OTHER: {
        "about": "Select whose doing it was",
        "title": "Enter what happened",
        "starts_on": "Enter the date it began",
        "ends_on": "Enter the date it ended",
    },
}
RECORD_COMMON_MESSAGES = {
    "recorded_for": "Select who you are recording for",
    "commitments": "Select the commitments it tests",
    "note": "Say what you corrected, and why",
}
# A record of an organisation's own doing is answered by the other side these name (services.OWN_NEEDS).
OTHERS_HELP = {
    RecordKind.CONSULTATION: (
        "If your organisation ran it, they are asked to confirm or dispute this record: choose at least one."
    ),
    RecordKind.FUNDING: (
        "If your organisation is the funder, the organisation funded (above) is asked to confirm or dispute this "
        "record, and so is each one you choose here. Where the organisation funded is not listed, choose at least "
        "one."
    ),
    RecordKind.PAYMENT: (
        "If your organisation pays, the organisation paid (above) is asked to confirm or dispute this record, and so "
        "is each one you choose here. Where the organisation paid is not listed, choose at least one."
    ),
    RecordKind.OTHER: (
        "If it was your organisation's doing, they are asked to confirm or dispute this record: choose at least one."
    ),
}
DATE_HELP = "For example, 27 3 2026."


class RecordForm(PlainErrors, forms.Form):
    """A record of one kind; only that kind's fields are asked. The dates a figure needs are named in the hints."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    recorded_for = forms.ChoiceField(label="Recording for")
    about = forms.ChoiceField(label="Organisation")
    counterpart = forms.ChoiceField(
        label="Which organisation was funded or paid? (optional)",
        required=False,
        help_text="If it signed this Compact. Otherwise give its name below.",
    )
    others = forms.MultipleChoiceField(label="Other organisations", required=False, widget=forms.CheckboxSelectMultiple)
    recipient = forms.CharField(
        label="Recipient or programme (optional)", required=False, max_length=300, help_text="As the funder names it."
    )
    title = forms.CharField(label="What it was", max_length=300)
    link = forms.URLField(label="Link (optional)", required=False, max_length=500, assume_scheme="https")
    identifier = forms.CharField(
        label="Grant identifier (optional)",
        required=False,
        max_length=200,
        help_text="As the funder publishes it, for example 360G-DCC-2026-014.",
    )
    amount = forms.DecimalField(
        label="Amount in pounds (optional)", required=False, min_value=0, max_digits=14, decimal_places=2
    )
    decided_on = DateInputField(label="When was the funding decided? (optional)", required=False, help_text=DATE_HELP)
    starts_on = DateInputField(label="From", required=False, help_text=DATE_HELP)
    ends_on = DateInputField(label="To", required=False, help_text=DATE_HELP)
    notice_on = DateInputField(
        label="When was notice given that the funding would end or change? (optional)",
        required=False,
        help_text=DATE_HELP,
    )
    changes_on = DateInputField(
        label="When did the funding end or change? (optional)", required=False, help_text=DATE_HELP
    )
    due_on = DateInputField(
        label="When was the money due, invoiced, or the spending begun?", required=False, help_text=DATE_HELP
    )
    paid_on = DateInputField(label="When was it paid?", required=False, help_text=DATE_HELP)
    commitments = forms.MultipleChoiceField(
        label="Which commitments does it test?",
        help_text="Commitments of this Compact with a figure this kind of record can be held against.",
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label="What did you correct, and why?",
        help_text="Kept with the record, beside the earlier version.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args, kind, recording_for, organisations, commitments, correcting=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        fields = RECORD_FIELDS[kind]
        for name, label in RECORD_LABELS[kind].items():
            self.fields[name].label = label
        for name in RECORD_REQUIRED[kind]:
            self.fields[name].required = True
        self.fields["recorded_for"].choices = recording_for
        choices = organisation_choices(organisations)
        self.fields["about"].choices = [("", "Choose an organisation"), *choices]
        self.fields["counterpart"].choices = [("", "Not one of these"), *choices]
        self.fields["others"].choices = [(str(o.pk), o.name) for o in sorted(organisations, key=lambda o: o.name)]
        self.fields["others"].help_text = OTHERS_HELP[kind]
        commitment_choices(self.fields["commitments"], commitments)
        keep = {"version", "recorded_for", *fields, "commitments", *(["note"] if correcting else [])}
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if correcting:
            self.fields["note"].required = True
        for name, message in {**RECORD_COMMON_MESSAGES, **RECORD_MESSAGES[kind]}.items():
            if name in self.fields:
                self.fields[name].error_messages["required"] = message
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        data = super().clean()
        dates = ("decided_on", "starts_on", "notice_on")
        if self.kind == RecordKind.FUNDING and not any(data.get(name) for name in dates):
            self.add_error("decided_on", "Give the date of the decision, of the start, or of the notice")
        return data


SECTOR_GROUPS = [
    (OrganisationSector.PUBLIC, "Public bodies"),
    (OrganisationSector.VCS, "Voluntary and community sector"),
    (OrganisationSector.OTHER, "Other organisations"),
]


def organisation_choices(organisations):
    """Organisations as choices grouped by sector, public bodies first (the usual answer), each group by name."""
    groups = []
    for sector, heading in SECTOR_GROUPS:
        members = sorted((o for o in organisations if o.sector == sector), key=lambda o: o.name)
        if members:
            groups.append((heading, [(o.pk, o.name) for o in members]))
    return groups


class RecordResponseForm(PlainErrors, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    verdict = forms.ChoiceField(
        label="Is this record right?",
        choices=[(RecordVerdict.CONFIRM, "Yes, confirm it"), (RecordVerdict.DISPUTE, "No, dispute it")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the record is right: confirm it or dispute it"},
    )
    comment = forms.CharField(
        label="Comment",
        help_text="Needed to dispute it: say what is wrong. It is shown beside the record.",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class CheckerPeriodForm(PlainErrors, forms.Form):
    start = DateInputField(label="From (optional)", required=False, help_text=DATE_HELP)
    end = DateInputField(label="To (optional)", required=False, help_text=DATE_HELP)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The end of the period must be on or after its start")
        return data


class RecordImportForm(PlainErrors, forms.Form):
    kind = forms.ChoiceField(
        label="What does the file hold?",
        choices=[
            (RecordKind.CONSULTATION, "Consultations"),
            (RecordKind.FUNDING, "Grants or funding decisions, in the portal's columns or 360Giving's"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the file holds"},
    )
    file = forms.FileField(
        label="The CSV file", required=False, help_text="Comma-separated, with the column names on its first line."
    )
    text = forms.CharField(
        label="Or the file's text",
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
        help_text="After a check, the file as read is here: correct the rows listed and import again.",
        max_length=2_000_000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload:
            if upload.size > 2_000_000:
                self.add_error("file", "The file must be smaller than 2 MB: split it")
                return data
            try:
                data["text"] = showable(upload.read().decode("utf-8-sig"))
            except UnicodeDecodeError:
                self.add_error("file", "The file must be saved as CSV in UTF-8")
                return data
        if not data.get("text", "").strip() and not self.errors:
            self.add_error("file", "Choose a CSV file")
        return data


class WorkPlanActionForm(PlainErrors, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    year = forms.IntegerField(label="Year of the work plan", min_value=2000, max_value=2100)
    title = forms.CharField(label="What will be done", max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
    lead = forms.CharField(
        label="Who leads it", max_length=200, help_text="An organisation, group or person, as the plan names them."
    )
    owner_email = forms.EmailField(
        label="Who to remind if it falls overdue (optional)",
        required=False,
        help_text="The email address of their portal account. Without one, the Compact's administrators are reminded.",
    )
    due_on = DateInputField(
        label="Due by",
        help_text="For example, 31 3 2027.",
        error_messages={"required": "Enter the date it is due by"},
    )
    status = forms.ChoiceField(label="Where it stands", choices=WorkPlanStatus.choices, widget=forms.RadioSelect)
    notes = forms.CharField(label="Notes (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    themes = ListedModelMultipleChoiceField(
        label="Themes it serves (optional)",
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    commitments = forms.MultipleChoiceField(
        label="Commitments it serves (optional)", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, themes, commitments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = Theme.objects.filter(pk__in=[theme.pk for theme in themes])
        self.fields["themes"].choices = [(theme.pk, theme.name) for theme in themes]
        commitment_choices(self.fields["commitments"], commitments)
        self.helper = helper(
            "version",
            "year",
            "title",
            "lead",
            "owner_email",
            "due_on",
            "status",
            "notes",
            Field("themes", template="includes/_checkboxes.html"),
            Field("commitments", template="includes/_checkboxes.html"),
        )

    def clean_owner_email(self):
        email = self.cleaned_data["owner_email"].strip()
        if not email:
            return None
        owner = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if owner is None:
            raise forms.ValidationError("Nobody has a portal account with that email address")
        return owner
