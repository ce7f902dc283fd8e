"""Forms of the Compact side: they check input and nothing else (services make the changes)."""

import calendar
import datetime
import re

from crispy_forms_gds import fields as gds_fields
from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout, Size
from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.models import ModelChoiceIterator
from django.forms.renderers import TemplatesSetting

from .models import IdentifierScheme, Organisation, OrganisationKind, OrganisationSector
from .text import is_id

EMAIL_INVALID = "Enter an email address like name@example.org"
# Messages that say nothing of the field or of what to do: every form of the portal says what to do instead.
GENERIC_REQUIRED = {str(forms.Field.default_error_messages["required"]), "Enter the day, month and year"}
CHOOSING_WIDGETS = (forms.Select, forms.RadioSelect, forms.CheckboxSelectMultiple, forms.CheckboxInput)
# Words that keep their capital letter mid-sentence.
PROPER_WORDS = {"Compact", "Compacts", "Champion", "Champions"}
# Labels that already start the way a message should go on ("Enter your name", "Select who leads it").
KEEP_AS_THEY_ARE = {
    "your",
    "their",
    "its",
    "the",
    "a",
    "an",
    "what",
    "who",
    "whose",
    "when",
    "where",
    "which",
    "why",
    "how",
}


def required_message(field, name):
    """What to do about an empty required field, GOV.UK style, from its label and widget: "Enter the summary",
    "Select the outcome", "Choose a file". Labels a sentence cannot take (questions) get a message of their own
    from their form (error_messages={"required": ...})."""
    if field.widget.is_hidden:  # never typed: the page sent was not the whole form
        return "Reload the page and try again: part of the form was not sent"
    label = re.sub(r"\s*\(optional\)$", "", str(field.label or name.replace("_", " ").capitalize()).strip())
    if label.endswith("?"):  # a question: its form says what to do (a test sees that each does)
        return f"Answer the question “{label}”"
    label = label.rstrip(" .:")
    first, _, rest = label.partition(" ")
    if first not in PROPER_WORDS and not first[1:2].isupper():  # "GSS code" keeps its capitals
        first = first[:1].lower() + first[1:]
    phrase = f"{first} {rest}".strip()
    if first.lower() not in KEEP_AS_THEY_ARE:
        phrase = f"the {phrase}"
    widget = field.widget
    if isinstance(widget, forms.FileInput):
        return f"Choose {phrase}"
    if isinstance(widget, CHOOSING_WIDGETS):
        return f"Select {phrase}"
    return f"Enter {phrase}"


class PlainErrors:
    """For every form of the portal: a required field left empty says what to do, named for the field ("Enter your
    full name", "Select the organisation's sector"), never Django's bare "This field is required."; a message a
    form gives itself is kept. Labels may change after a form is made, so the messages are worked out when it is
    checked."""

    def full_clean(self):
        for name, field in self.fields.items():
            if str(field.error_messages.get("required")) in GENERIC_REQUIRED:
                field.error_messages["required"] = required_message(field, name)
        super().full_clean()


def add_refusal(form, refused):
    """Show a service's refusal (compacts.exceptions.Refused) on the form that asked for the change: each message
    beside the field it is about, and at the top where it is about a field the form does not show, or none."""
    for name, message in (refused.errors or {None: str(refused)}).items():
        form.add_error(name if name in form.fields else None, message)


# The GOV.UK class that gives a field with an error its red border, by the kind of input.
ERROR_CLASSES = {
    forms.Textarea: "govuk-textarea--error",
    forms.Select: "govuk-select--error",
    forms.FileInput: "govuk-file-upload--error",
    forms.widgets.Input: "govuk-input--error",
}


class PortalBoundField(BoundField):
    """A field with an error has the GOV.UK red border whatever its kind of input (crispy-forms-gds marks only text
    inputs, selects and text areas, so never an email or password input)."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if self.errors and not widget.is_hidden and not isinstance(widget, forms.MultiWidget):
            error_class = next((css for kind, css in ERROR_CLASSES.items() if isinstance(widget, kind)), None)
            if error_class and not isinstance(widget, (forms.CheckboxInput, forms.RadioSelect)):
                classes = (attrs.get("class") or widget.attrs.get("class") or "").split()
                attrs["class"] = " ".join([*classes, *([error_class] if error_class not in classes else [])])
        return attrs


class FormRenderer(TemplatesSetting):
    """The portal's form renderer (settings.FORM_RENDERER): Django's, with fields that show their errors."""

    bound_field_class = PortalBoundField


class DateInputField(gds_fields.DateInputField):
    """The GOV.UK date input (day, month, year), saying in plain words what is wrong with a date that does not
    exist ("February 2026 has 28 days: enter a day from 1 to 28"), never "day is out of range for month", and
    never failing on a number too large for a date."""

    def __init__(self, *, error_messages=None, **kwargs):
        super().__init__(**kwargs)
        self.error_messages.update(error_messages or {})

    def clean(self, value):
        # A date begun but not finished is said so, with the missing parts marked, never taken for no date at all.
        if isinstance(value, (list, tuple)):
            parts = [str(part).strip() if part is not None else "" for part in [*value, "", "", ""][:3]]
            missing = [name for name, part in zip(("day", "month", "year"), parts, strict=True) if not part]
            if missing and len(missing) < 3:
                message = f"The date must include {' and '.join(f'a {name}' for name in missing)}"
                for name, field in zip(("day", "month", "year"), self.fields, strict=True):
                    field.widget.errors = [message] if name in missing else []
                raise ValidationError(message, code="incomplete")
        return super().clean(value)

    def compress(self, data_list):
        day, month, year = data_list  # digits only: each box's own validator has checked
        if not (day and month and year):
            return None
        if len(year) != 4 or not 1000 <= int(year) <= 9999:
            raise ValidationError("Enter the year as four digits, like 2026")
        if len(month) > 2 or not 1 <= int(month) <= 12:
            raise ValidationError("Enter the month as a number from 1 to 12")
        year, month = int(year), int(month)
        last = calendar.monthrange(year, month)[1]
        if len(day) > 2 or not 1 <= int(day) <= last:
            raise ValidationError(f"{calendar.month_name[month]} {year} has {last} days: enter a day from 1 to {last}")
        return datetime.date(year, month, int(day))


class ListedChoiceIterator(ModelChoiceIterator):
    """A model choice field's choices read in one plain query, kept for the form's life. Django's own reads them
    through a server-side cursor on PostgreSQL (DECLARE, FETCH and CLOSE, about a millisecond a field), which suits
    long lists; a field's choices are a page's worth at most."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class IdsOnly:
    """A model choice field that refuses, as no choice, a number too big to be any row's id, before it reaches the
    database (where SQLite fails on it rather than finding nothing)."""

    def _refuse_non_ids(self, values):
        for value in values:
            if str(value).strip().isdigit() and not is_id(value):
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
                )

    def to_python(self, value):
        self._refuse_non_ids([value] if value not in self.empty_values else [])
        return super().to_python(value)

    def _check_values(self, value):
        self._refuse_non_ids(value)
        return super()._check_values(value)


class ListedModelChoiceField(IdsOnly, forms.ModelChoiceField):
    iterator = ListedChoiceIterator


class ListedModelMultipleChoiceField(IdsOnly, forms.ModelMultipleChoiceField):
    iterator = ListedChoiceIterator


def helper(*fields):
    """A crispy-forms helper for a GOV.UK form of these fields, with the page's own <form> tag."""
    form_helper = FormHelper()
    form_helper.form_tag = False
    form_helper.label_size = Size.SMALL
    form_helper.legend_size = Size.SMALL
    form_helper.layout = Layout(*fields)
    return form_helper


class SignInForm(PlainErrors, AuthenticationForm):
    """Django's sign-in form, saying in plain words what went wrong, and refusing an address longer than any
    account's before anyone is asked to check it (the record of failed sign-ins keeps 255 characters)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": (
            "The email address or password is not right. Check both and try again, or reset your password."
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Email address"
        self.fields["username"].error_messages["required"] = "Enter your email address"
        self.fields["password"].error_messages["required"] = "Enter your password"

    def clean(self):
        if len(self.data.get("username") or "") > 254:  # the longest email address there can be
            raise self.get_invalid_login_error()
        return super().clean()


class PasswordResetForm(PlainErrors, auth_forms.PasswordResetForm):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter the email address you sign in with",
            "invalid": EMAIL_INVALID,
        },
    )


class SetPasswordForm(PlainErrors, auth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].error_messages["required"] = "Enter the new password again"


def ask_for_a_password(form):
    """A new password and the same again, asked for in plain words."""
    form.fields["password1"].error_messages["required"] = "Enter a password"
    form.fields["password2"].error_messages["required"] = "Enter the password again"


class RegisterForm(PlainErrors, UserCreationForm):
    """Sign up: a person, and the organisation they act for (an existing one, or a new one to confirm). The
    organisations offered are grouped by the Compact they signed (`groups`, from
    selectors.registration_organisations), the group of `area` (a Compact's slug) first; with JavaScript, an area
    and a search narrow the list (portal.js)."""

    first_name = forms.CharField(
        label="First name", max_length=150, error_messages={"required": "Enter your first name"}
    )
    last_name = forms.CharField(label="Last name", max_length=150, error_messages={"required": "Enter your last name"})
    email = forms.EmailField(
        label="Email address",
        help_text="You will sign in with it.",
        error_messages={
            "required": "Enter your email address",
            "invalid": EMAIL_INVALID,
        },
    )
    organisation = ListedModelChoiceField(
        label="Your organisation",
        help_text="Listed under the Compact they signed. If yours is not there, leave this as “It is not listed” and "
        "give its name below.",
        queryset=Organisation.objects.filter(confirmed=True).order_by("name"),
        required=False,
        empty_label="It is not listed",
    )
    new_organisation = forms.CharField(
        label="If it is not listed, its name",
        required=False,
        max_length=200,
        help_text="An administrator will confirm it before you can raise a complaint.",
    )
    job_title = forms.CharField(label="Your role in it", required=False, max_length=200)

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ["first_name", "last_name", "email"]

    def __init__(self, *args, groups=(), area=None, **kwargs):
        super().__init__(*args, **kwargs)
        ask_for_a_password(self)
        groups = sorted(groups, key=lambda group: group[0].slug != area)  # the area asked for first
        field = self.fields["organisation"]
        field.choices = [
            ("", field.empty_label),
            *((f"{compact.short_name} Compact", list(members)) for compact, members in groups),
        ]
        field.widget.attrs["data-organisation-picker"] = ""
        chosen = next((compact for compact, _ in groups if compact.slug == area), None)
        if chosen is not None:
            field.widget.attrs["data-area"] = f"{chosen.short_name} Compact"
        self.helper = helper(
            "first_name",
            "last_name",
            "email",
            "password1",
            "password2",
            "organisation",
            "new_organisation",
            "job_title",
        )

    def clean_email(self):
        # Whether the address has an account is never said here (services.account_register emails its owner).
        return self.cleaned_data["email"].lower()

    def clean(self):
        cleaned = super().clean()
        name = cleaned.get("new_organisation", "").strip()
        if not cleaned.get("organisation") and name:
            known = Organisation.objects.filter(name__iexact=name).first()
            if known is not None and known.confirmed:
                cleaned["organisation"], cleaned["new_organisation"] = known, ""  # it is known: ask to join it
            elif known is not None:
                self.add_error(
                    "new_organisation",
                    "An organisation of that name is waiting for an administrator to confirm it. Once it is "
                    "confirmed, give its name here again to ask to join it",
                )
        elif not cleaned.get("organisation") and "organisation" not in self.errors:
            self.add_error("organisation", "Choose your organisation, or give its name if it is not listed")
        return cleaned


# An identifier's form, by scheme, and how it is written once checked.
IDENTIFIER_FORMS = {
    IdentifierScheme.CHARITY: (
        re.compile(r"^(\d{6,7}(-\d{1,2})?|SC\d{6}|NIC?\d{6})$"),
        "Enter a charity number as the register gives it, like 1123456, SC012345 or NIC100123",
    ),
    IdentifierScheme.COMPANY: (
        re.compile(r"^(\d{8}|[A-Z]{2}\d{6})$"),
        "Enter a company number of 8 characters, like 01234567 or SC123456",
    ),
    IdentifierScheme.PUBLIC_BODY: (
        re.compile(r"^([ENSW]\d{8}|[A-Z0-9]{3,5})$"),
        "Enter a GSS code like E06000059, or an NHS organisation code like RBD or 15N",
    ),
}


def clean_identifier(scheme, value):
    """The identifier written as its register writes it, or a ValidationError saying what is wrong with it."""
    value = re.sub(r"\s+", "", value).upper()
    if scheme == IdentifierScheme.COMPANY and value.isdigit() and len(value) < 8:
        value = value.zfill(8)  # Companies House numbers are 8 characters; people often leave the zeros off
    pattern, message = IDENTIFIER_FORMS[scheme]
    if not pattern.match(value):
        raise forms.ValidationError(message)
    return value


# "It has none", as the form sends it: the model's IdentifierScheme.NONE is "", which a required field takes for no
# answer at all ("This field is required").
NO_IDENTIFIER = "none"


class SignUpForm(PlainErrors, forms.Form):
    """The pledge: which organisation, its details and identifier, and who signs for it."""

    organisation = ListedModelChoiceField(label="Organisation", queryset=Organisation.objects.none(), empty_label=None)
    sector = forms.ChoiceField(
        label="Sector",
        choices=OrganisationSector.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the organisation's sector"},
    )
    kind = forms.ChoiceField(
        label="What kind of organisation is it?",
        choices=OrganisationKind.choices,
        error_messages={"required": "Select what kind of organisation it is"},
    )
    identifier_scheme = forms.ChoiceField(
        label="Its identifier",
        choices=[
            (IdentifierScheme.CHARITY, "Registered charity number"),
            (IdentifierScheme.COMPANY, "Company number (Companies House)"),
            Choice(IdentifierScheme.PUBLIC_BODY, "Public body code (GSS or NHS organisation code)", divider="or"),
            (NO_IDENTIFIER, "It has none (for example, an unregistered community group)"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of number it has, or that it has none"},
    )
    identifier = forms.CharField(
        label="The number or code",
        required=False,
        max_length=20,
        help_text="For example 1123456 (charity), 01234567 (company) or E06000059 (council). Leave it empty if it "
        "has none.",
    )
    signed_by_name = forms.CharField(label="Full name of the person signing", max_length=200)
    signed_by_role = forms.CharField(
        label="Their role in the organisation", max_length=200, help_text="For example: Chief Executive, Chair."
    )
    agree = forms.BooleanField(
        label="I have the authority to sign for this organisation, and it makes the pledge above",
        error_messages={"required": "Confirm that you may sign for the organisation and that it makes the pledge"},
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.helper = helper(*self.fields)

    def clean_identifier_scheme(self):
        scheme = self.cleaned_data["identifier_scheme"]
        return IdentifierScheme.NONE if scheme == NO_IDENTIFIER else scheme

    def clean(self):
        cleaned = super().clean()
        scheme, value = cleaned.get("identifier_scheme"), cleaned.get("identifier", "").strip()
        if scheme and scheme != IdentifierScheme.NONE:
            if not value:
                self.add_error("identifier", f"Enter its {IdentifierScheme(scheme).label.lower()}")
            else:
                try:
                    cleaned["identifier"] = clean_identifier(scheme, value)
                except forms.ValidationError as error:
                    self.add_error("identifier", error)
        elif scheme == IdentifierScheme.NONE:
            cleaned["identifier"] = ""
        return cleaned


class DecisionForm(PlainErrors, forms.Form):
    """Confirm or decline a request, with the reason if declined."""

    decision = forms.ChoiceField(
        label="Your decision", choices=[("confirm", "Confirm"), ("decline", "Decline")], widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label="Reason",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Needed if you decline: the person is told it.",
    )

    def __init__(self, *args, confirm_label="Confirm", decline_label="Decline", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [("confirm", confirm_label), ("decline", decline_label)]
        self.helper = helper("decision", "reason")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "decline" and not cleaned.get("reason", "").strip():
            self.add_error("reason", "Say why you decline it: the person will be told")
        return cleaned


class ChampionForm(PlainErrors, forms.Form):
    """Name an organisation's Champion for a Compact, from its confirmed members."""

    person = ListedModelChoiceField(
        label="Champion", queryset=get_user_model().objects.none(), empty_label="Choose a member"
    )
    public_contact = forms.BooleanField(
        label="They agree to their name and email address being shown on the Compact's page", required=False
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = get_user_model().objects.filter(pk__in=[user.pk for user in members])
        self.fields["person"].label_from_instance = lambda user: f"{user.get_full_name() or user.email} ({user.email})"
        self.helper = helper("person", "public_contact")


class InviteForm(PlainErrors, forms.Form):
    """Invite someone by email to answer for an organisation that has nobody in the portal."""

    email = forms.EmailField(
        label="Their email address",
        help_text="For example, the contact the document or the organisation's sign-up gives.",
        error_messages={
            "required": "Enter their email address",
            "invalid": EMAIL_INVALID,
        },
    )
    name = forms.CharField(label="Their name (optional)", required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper("email", "name")


class InvitedRegisterForm(PlainErrors, UserCreationForm):
    """An account for the address an invitation was sent to: the address is the invitation's, confirmed by its link
    (services.invitation_register makes it)."""

    first_name = forms.CharField(
        label="First name", max_length=150, error_messages={"required": "Enter your first name"}
    )
    last_name = forms.CharField(label="Last name", max_length=150, error_messages={"required": "Enter your last name"})

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ["first_name", "last_name"]

    def __init__(self, *args, email, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email
        ask_for_a_password(self)
        self.helper = helper("first_name", "last_name", "password1", "password2")


class WithdrawForm(PlainErrors, forms.Form):
    reason = forms.CharField(
        label="Why is it withdrawing? (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The Compact's administrators will see this.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper("reason")
