"""Forms for reviewing a Compact's text, publishing a version and importing a new Compact."""

from crispy_forms_gds.layout import Field
from django import forms

from compacts.forms import DateInputField, PlainErrors, helper
from compacts.text import showable

# The kinds of change a figure's agreement with its wording depends on: a figure, and the wording it can be read from.
FIGURE_SOURCES = {"figure", "commitment", "section"}


class ReviewChangeForm(PlainErrors, forms.Form):
    """The new wording of one part of the text, or a figure's new value and the words it is read from; and, where a
    figure and the wording it is read from will not say the same, why not."""

    value = forms.CharField(
        label="New wording",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="A blank line starts a new paragraph. Lines that start “- ” are a bulleted list; lines like "
        "“| Status | Live |” are the rows of a table.",
    )
    quote = forms.CharField(
        label="The words it is read from",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="As they will be printed after this review: they must be in that wording.",
    )
    reason = forms.CharField(
        label="Why a figure and its wording will not say the same (only if they will not)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Recorded with the change and shown with the new version.",
    )

    def __init__(self, *args, kind, figure=None, **kwargs):
        super().__init__(*args, **kwargs)
        layout = {}
        if kind == "figure":
            if figure["value"] is None:
                del self.fields["value"]  # printed without a number: only its words can change
            else:
                unit = figure["unit"] or "units"
                what = f"Enter the new figure as a whole number of {unit}, from 1 to 999, like {figure['value']}"
                self.fields["value"] = forms.IntegerField(
                    label="New figure",
                    min_value=1,
                    max_value=999,
                    help_text=f"A whole number of {unit}.",
                    error_messages={key: what for key in ("required", "invalid", "min_value", "max_value")},
                    widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
                )
                self.fields["value"].suffix = figure["unit"]  # shown after the box, as GOV.UK's input suffix
                layout["value"] = Field("value", template="includes/_input_suffix.html")
        else:
            del self.fields["quote"]
        if kind not in FIGURE_SOURCES:
            del self.fields["reason"]
        self.helper = helper(*(layout.get(name, name) for name in self.fields))


class PublishForm(PlainErrors, forms.Form):
    """The date a new version takes effect (chosen each time, never filled in for the administrator), a note for
    readers, and the drafts as they were when checked (versions.signature)."""

    published_on = DateInputField(label="Date it takes effect")
    note = forms.CharField(
        label="What this version changes, for readers (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown with the version on its page and in the list of versions.",
    )
    checked = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, number, **kwargs):
        super().__init__(*args, **kwargs)
        date = self.fields["published_on"]
        date.label = f"Date version {number} takes effect"
        date.help_text = "The date readers will see on the version. For example, 1 4 2027."
        date.error_messages["required"] = f"Enter the date version {number} takes effect"
        self.helper = helper("published_on", "note", "checked")


MAX_IMPORT_BYTES = 2 * 1024 * 1024


class ImportForm(PlainErrors, forms.Form):
    """A Compact's text in the portal's plain text format: a file, or pasted (and corrected) here."""

    file = forms.FileField(
        label="A file in the portal's format (optional)", required=False, help_text="Markdown, up to 2 MB."
    )
    text = forms.CharField(
        label="Or the text itself",
        required=False,
        widget=forms.Textarea(attrs={"rows": 18, "spellcheck": "false"}),
        help_text="After a check, correct any lines it could not place here, then check again.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper("file")  # the text, with the problems found in it, is templates/…/_import_text_field.html

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload:
            if upload.size > MAX_IMPORT_BYTES:
                self.add_error("file", "The file is larger than 2 MB")
                return cleaned
            try:
                cleaned["text"] = showable(upload.read().decode("utf-8-sig"))
            except UnicodeDecodeError:
                self.add_error("file", "The file must be plain text in UTF-8 (a .md file), not a Word or PDF document")
                return cleaned
        if not cleaned.get("text", "").strip() and not self.errors:
            self.add_error("text", "Choose a file or paste the Compact's text")
        return cleaned
