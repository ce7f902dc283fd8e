from crispy_forms_gds.helper import FormHelper
from django import forms

from .filters import compact_choices
from .models import Theme

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
    """Offer these commitments in a checkbox field (drawn by includes/_checkboxes.html): each by its number and its
    first words, with the whole wording one click away where the label cuts it short."""
    choices, hints = [], {}
    for commitment in commitments:
        label, cut = shorten(commitment.text)
        choices.append((str(commitment.pk), f"{commitment.number or commitment.ref} – {label}"))
        if cut:
            hints[str(commitment.pk)] = commitment.text
    field.choices, field.hints, field.hint_summary = choices, hints, "The whole commitment"


class CompareForm(forms.Form):
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
    theme = forms.ModelChoiceField(
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
