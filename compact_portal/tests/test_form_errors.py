"""Every form of the portal, sent empty, says what to do about each field it needs, named for the field: never a
bare "This field is required." (issue 25, item 7)."""

import importlib
import re
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.template import Context, Template

from compacts.models import Organisation
from disputes.workflow import Action

pytestmark = pytest.mark.django_db

# Every app of ours with forms.
APPS = tuple(
    config.name
    for config in apps.get_app_configs()
    if Path(config.path).parent == Path(settings.BASE_DIR) and (Path(config.path) / "forms.py").exists()
)
# What a message may start with: what to do.
VERBS = ("Enter", "Select", "Choose", "Confirm", "Give", "Say", "Reload")


def _portal_form_classes():
    for app in APPS:
        importlib.import_module(f"{app}.forms")
    seen, todo = set(), [forms.BaseForm]
    while todo:
        for cls in todo.pop().__subclasses__():
            if cls not in seen:
                seen.add(cls)
                todo.append(cls)
    return sorted(
        (cls for cls in seen if cls.__module__.split(".")[0] in APPS and ".tests" not in cls.__module__),
        key=lambda cls: cls.__qualname__,
    )


def _ways_to_make(name):
    """Each way the portal makes a form of this class (its keyword arguments), in every shape it takes."""
    none = Organisation.objects.none()
    figure = {"value": 12, "unit": "weeks"}
    ways = {
        "ActionForm": [{"action": action} for action in Action if action not in (Action.EDIT, Action.SUBMIT)],
        "ChampionForm": [{"members": []}],
        "ComplaintForm": [{"organisations": [], "respondents": [], "commitments": []}],
        "InvitedRegisterForm": [{"email": "new@example.org"}],
        "RecordForm": [
            {"kind": kind, "recording_for": [], "organisations": [], "commitments": [], "correcting": correcting}
            for kind in ("consultation", "funding", "payment", "other")
            for correcting in (False, True)
        ],
        "ReviewChangeForm": [
            {"kind": "figure", "figure": figure},
            {"kind": "figure", "figure": {"value": None, "unit": ""}},
            {"kind": "commitment"},
            {"kind": "section"},
            {"kind": "term"},
        ],
        "PublishForm": [{"number": 2}],
        "SetPasswordForm": [{"user": None}],
        "SignInForm": [{"request": None}],
        "SignUpForm": [{"organisations": none}],
        "WorkPlanActionForm": [{"themes": [], "commitments": []}],
    }
    return ways.get(name, [{}])


FORM_CLASSES = _portal_form_classes()


def test_the_walk_finds_the_portals_forms():
    names = {cls.__name__ for cls in FORM_CLASSES}
    assert {"RegisterForm", "SignUpForm", "DecisionForm", "ChampionForm", "ReviewChangeForm", "RecordForm"} <= names
    assert {"ComplaintForm", "ActionForm", "WorkPlanActionForm", "SignInForm", "PasswordResetForm"} <= names


@pytest.mark.parametrize("form_class", FORM_CLASSES, ids=lambda cls: cls.__name__)
def test_an_empty_form_says_what_to_do_for_each_field_it_needs(form_class):
    for kwargs in _ways_to_make(form_class.__name__):
        form = form_class(data={}, **kwargs)
        assert not form.is_valid() or not any(field.required for field in form.fields.values())
        for name, errors in form.errors.items():
            for error in errors:
                assert error != "This field is required.", (form_class.__name__, kwargs, name)
                assert error.startswith(VERBS) and "?" not in error, (form_class.__name__, kwargs, name, error)
        for name, field in form.fields.items():
            if field.required and not field.widget.is_hidden:
                assert name in form.errors, (form_class.__name__, name)


@pytest.mark.parametrize(
    "label, widget, message",
    [
        ("Summary", forms.TextInput, "Enter the summary"),
        ("Your organisation", forms.Select, "Select your organisation"),
        ("Who leads it", forms.TextInput, "Enter who leads it"),
        ("Where it stands", forms.RadioSelect, "Select where it stands"),
        ("Champion", forms.Select, "Select the Champion"),
        ("Themes it serves (optional)", forms.CheckboxSelectMultiple, "Select the themes it serves"),
        ("A file in the portal's format", forms.ClearableFileInput, "Choose a file in the portal's format"),
    ],
)
def test_a_required_message_is_made_from_the_label_and_the_kind_of_input(label, widget, message):
    from compacts.forms import required_message

    assert required_message(forms.Field(label=label, widget=widget), "x") == message


def test_registration_names_each_field_and_marks_every_input_with_an_error(client):
    response = client.post("/accounts/register/", {"first_name": "", "email": ""})
    text = response.content.decode()
    assert response.status_code == 400
    start = text.index("govuk-error-summary")
    summary = text[start : text.index("</ul>", start)]
    assert "This field is required" not in text
    for message in ("Enter your first name", "Enter your last name", "Enter your email address", "Enter a password"):
        assert message in summary
    for name in ("first_name", "last_name", "email", "password1", "password2"):
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', text).group(0)
        assert "govuk-input--error" in tag, tag


def test_the_renderer_marks_an_email_and_a_password_input_with_an_error():
    class Form(forms.Form):
        email = forms.EmailField(label="Email address")
        password = forms.CharField(label="Password", widget=forms.PasswordInput)
        note = forms.CharField(label="Note", widget=forms.Textarea)
        kind = forms.ChoiceField(label="Kind", choices=[("a", "A")], widget=forms.Select)

    form = Form(data={})
    form.is_valid()
    html = Template("{% for field in form %}{{ field }}{% endfor %}").render(Context({"form": form}))
    assert len(re.findall(r'<input[^>]*class="[^"]*govuk-input--error', html)) == 2
    assert "govuk-textarea--error" in html and "govuk-select--error" in html


def test_resetting_a_password_with_no_address_says_what_to_do_in_a_summary_and_by_the_field(client):
    text = client.post("/accounts/password_reset/", {"email": ""}).content.decode()
    assert "There is a problem" in text and '<a href="#id_email">Enter the email address you sign in with</a>' in text
    assert re.search(r'<input class="govuk-input govuk-input--error" id="id_email"', text)
    assert "This field is required" not in text


def test_number_and_web_address_inputs_are_gov_uk_inputs_marked_on_error():
    from compacts.forms import PlainErrors, helper

    class Form(PlainErrors, forms.Form):
        link = forms.URLField(label="Link", assume_scheme="https")
        amount = forms.IntegerField(label="Amount")

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.helper = helper("link", "amount")

    form = Form(data={"link": "", "amount": ""})
    form.is_valid()
    html = Template("{% load crispy_forms_tags %}{% crispy form %}").render(Context({"form": form}))
    for name in ("link", "amount"):
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
        assert re.search(r'class="govuk-input[^"]*govuk-input--error', tag), tag
    assert "Enter the link" in html and "Enter the amount" in html
