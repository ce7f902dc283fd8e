from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms

from .filters import compact_choices
from .models import Theme


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
        self.fields["compacts"].choices = compact_choices()
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.legend_size = Size.MEDIUM
        self.helper.label_size = Size.MEDIUM
        self.helper.layout = Layout(Field("compacts", template="includes/_checkboxes.html"), "theme")

    def clean_compacts(self):
        compacts = self.cleaned_data["compacts"]
        if len(compacts) < 2:
            raise forms.ValidationError("Choose at least two Compacts to compare")
        return compacts
