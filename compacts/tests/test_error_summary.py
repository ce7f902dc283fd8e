"""The error summary's links go to something on the page that can take focus, for every kind of field."""

import re

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.layout import Field
from django import forms
from django.template import Context, Template

from compacts.forms import helper


class EveryKind(forms.Form):
    name = forms.CharField(label="Name")
    sector = forms.ChoiceField(label="Sector", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    themes = forms.MultipleChoiceField(
        label="Themes", choices=[("x", "X"), ("y", "Y")], widget=forms.CheckboxSelectMultiple
    )
    compacts = forms.MultipleChoiceField(
        label="Compacts", choices=[("p", "P"), ("q", "Q")], widget=forms.CheckboxSelectMultiple
    )
    due_on = DateInputField(label="Due by")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(
            "name", "sector", "themes", Field("compacts", template="includes/_checkboxes.html"), "due_on"
        )

    def clean(self):
        raise forms.ValidationError("Something about the whole form")


def test_every_error_link_goes_to_an_element_on_the_page():
    form = EveryKind(data={"due_on_0": "31", "due_on_1": "2"})
    assert not form.is_valid()
    html = Template("{% load crispy_forms_tags crispy_forms_gds %}{% error_summary form %}{% crispy form %}").render(
        Context({"form": form})
    )
    summary = html[: html.index("</ul>")]
    targets = re.findall(r'<a href="#([^"]+)"', summary)
    assert len(targets) == 6  # the form's own error, then one for each field
    ids = set(re.findall(r'\sid="([^"]+)"', html[len(summary) :]))
    focusable = set(re.findall(r'<(?:input|select|textarea)[^>]*\sid="([^"]+)"', html))
    assert all(target in ids and target in focusable for target in targets), (targets, focusable)
    assert targets[:5] == ["id_name", "id_name", "id_sector_1", "id_themes_1", "id_compacts_1"]
