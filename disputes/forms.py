"""Forms: they check input and nothing else (services make the changes)."""

from crispy_forms_gds.layout import HTML, Div, Field, Fieldset, Size
from django import forms
from django.contrib.auth import get_user_model

from commitments.forms import commitment_choices, organisation_choices
from compacts.forms import DateInputField, ListedModelChoiceField, ListedModelMultipleChoiceField, PlainErrors
from compacts.forms import helper as _helper
from compacts.models import Organisation

from .models import ReferralBody
from .workflow import Action


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Any number of files; each is checked by its content when it is saved."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        """Every file sent, good or bad, in order: each is checked when it is saved (disputes.filetypes), and any
        refused is named with why, so that one bad file (an empty one, say) never loses the others."""
        items = data if isinstance(data, (list, tuple)) else [data]
        return [item for item in items if item and hasattr(item, "size")]


FILES_HELP = "PDF, Word, OpenDocument, plain text, PNG or JPEG; up to 10 MB each."


class ComplaintForm(PlainErrors, forms.Form):
    """The complaint: what the draft holds. Every field may be empty in a draft."""

    complainant = ListedModelChoiceField(
        label="Complaining on behalf of",
        queryset=Organisation.objects.none(),
        empty_label=None,
        error_messages={"required": "Select the organisation you are complaining for"},
    )
    respondent = ListedModelChoiceField(
        label="Which organisation broke the commitment?",
        help_text="Organisations that signed or support this Compact.",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="Choose an organisation",
        error_messages={"invalid_choice": "Choose an organisation from the list"},
    )
    summary = forms.CharField(
        label="Summary", help_text="One line, for example: Grant cut without notice", max_length=200, required=False
    )
    find = forms.CharField(
        label="Find commitments by words",
        help_text="Narrows the list below; commitments you have chosen stay chosen.",
        required=False,
        max_length=100,
    )
    commitments = forms.MultipleChoiceField(
        label="Which commitments were broken?",
        help_text="Choose at least one.",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        choices=(),
    )
    what_happened = forms.CharField(
        label="What happened?",
        help_text="Say what was done or not done, by whom and when.",
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        max_length=20_000,
    )
    happened_on = DateInputField(
        label="When did it happen?",
        help_text="For example, 27 3 2026. Leave blank if it is still going on.",
        required=False,
    )
    outcome_wanted = forms.CharField(
        label="What outcome do you want?", widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=5_000
    )
    files = MultipleFileField(label="Evidence", help_text=FILES_HELP)

    def __init__(self, *args, organisations, respondents, commitments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["complainant"].queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations])
        respondent = self.fields["respondent"]
        respondent.queryset = Organisation.objects.filter(pk__in=[o.pk for o in respondents])
        respondent.choices = [("", respondent.empty_label), *organisation_choices(respondents)]
        commitment_choices(self.fields["commitments"], commitments)
        self.helper = _helper(
            "complainant",
            "respondent",
            "summary",
            Fieldset(
                # The box filters the list below as the person types (portal.js); without JavaScript, its button
                # (right after it) sends only the search.
                Field("find", autocomplete="off", data_app_filter="commitments-list"),
                HTML('{% include "disputes/_find_commitments.html" %}'),
                Div(Field("commitments", template="includes/_checkboxes.html"), css_id="commitments-list"),
                legend="The commitments",
                legend_size=Size.MEDIUM,
            ),
            "what_happened",
            "happened_on",
            "outcome_wanted",
            "files",
        )


class ActionForm(PlainErrors, forms.Form):
    """The details of one action on a complaint; which fields show depends on the action."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    held_on = DateInputField(label="Date of the meeting", required=False)
    attendees = forms.CharField(label="Who attended", required=False, max_length=500)
    chair = ListedModelChoiceField(
        label="Panel chair",
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label="Choose who chairs the panel",
    )
    members = ListedModelMultipleChoiceField(
        label="Panel members",
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Nobody from an organisation that is a party, and nobody who handled an earlier stage.",
    )
    officers = ListedModelMultipleChoiceField(
        label="Officers who will answer it",
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="People in your organisation. They will see the complaint and be told of every step.",
    )
    body = forms.ChoiceField(
        label="Referred to",
        required=False,
        choices=[("", "Choose where"), *ReferralBody.choices],
    )
    outcome = forms.ChoiceField(label="Outcome", required=False, choices=(), widget=forms.RadioSelect)
    understood = forms.BooleanField(required=False)
    new_due_on = DateInputField(label="New due date", required=False)
    text = forms.CharField(label="Details", widget=forms.Textarea(attrs={"rows": 8}), required=False, max_length=20_000)
    recommendations = forms.CharField(
        label="Recommendations", widget=forms.Textarea(attrs={"rows": 5}), required=False, max_length=10_000
    )
    files = MultipleFileField(label="Files", help_text=FILES_HELP)

    FIELDS = {
        Action.ACKNOWLEDGE: ["text"],
        Action.MEETING: ["held_on", "attendees", "text", "files"],
        Action.LODGE: ["text", "files"],
        Action.RESPOND: ["text", "files"],
        Action.ESCALATE: ["text", "understood"],
        Action.CONVENE: ["chair", "members", "text"],
        Action.FINDINGS: ["text", "recommendations", "files"],
        Action.REFER: ["body", "text", "files"],
        Action.REFERRAL_RESULT: ["text", "files"],
        Action.RESOLVE: ["outcome", "text"],
        Action.WITHDRAW: ["text"],
        Action.EXTEND: ["new_due_on", "text"],
        Action.OFFICERS: ["officers", "text"],
    }
    TEXT_LABELS = {
        Action.ACKNOWLEDGE: "Message to the complainant (optional)",
        Action.MEETING: "What was discussed and agreed",
        Action.LODGE: "The complaint, set out in writing",
        Action.RESPOND: "The formal response",
        Action.ESCALATE: "Why it should move to the next stage",
        Action.CONVENE: "Note for the panel (optional)",
        Action.FINDINGS: "Findings",
        Action.REFER: "What was sent, and to whom",
        Action.REFERRAL_RESULT: "The result",
        Action.RESOLVE: "Summary of the outcome",
        Action.WITHDRAW: "Why you are withdrawing it (optional)",
        Action.EXTEND: "Why the deadline changes",
        Action.OFFICERS: "Note to them (optional)",
    }

    def __init__(self, *args, action, outcomes=(), candidates=(), staff=(), closed_body=None, **kwargs):
        """`closed_body`: where escalating sends the complaint to a body that no longer exists, that body."""
        super().__init__(*args, **kwargs)
        self.action = action
        keep = {"version", *self.FIELDS[action]} - (set() if closed_body else {"understood"})
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        self.fields["text"].label = self.TEXT_LABELS[action]
        if "understood" in self.fields:
            self.fields[
                "understood"
            ].label = f"I understand that the body this stage goes to, {closed_body}, no longer exists"
        if "outcome" in self.fields:
            self.fields["outcome"].choices = outcomes
        if "chair" in self.fields:
            people = get_user_model().objects.filter(pk__in=[c.pk for c in candidates]).order_by("first_name")
            self.fields["chair"].queryset = people
            self.fields["members"].queryset = people
            self.fields["chair"].label_from_instance = self.fields["members"].label_from_instance = _person
        if "officers" in self.fields:
            self.fields["officers"].queryset = get_user_model().objects.filter(pk__in=[s.pk for s in staff])
            self.fields["officers"].label_from_instance = _person
        self.helper = _helper(*[name for name in self.fields if name != "version"], "version")

    def details(self):
        """The cleaned details to pass to the service, without the form's own bookkeeping."""
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data.pop("files", None)
        for name in ("members", "officers"):
            if name in data:
                data[name] = list(data[name])
        return data


def _person(user):
    return f"{user.get_full_name() or user.email} ({user.email})"
