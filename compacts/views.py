from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from . import permissions, selectors, services
from .cache import public_page
from .exceptions import Refused
from .forms import (
    ChampionForm,
    DecisionForm,
    InvitedRegisterForm,
    InviteForm,
    RegisterForm,
    SignInForm,
    SignUpForm,
    WithdrawForm,
    add_refusal,
)


@public_page
def glossary(request):
    return render(request, "compacts/glossary.html", {"terms": selectors.glossary_terms()})


@public_page
def term(request, compact, slug):
    return render(request, "compacts/term.html", {"term": selectors.glossary_term(compact, slug)})


@public_page
def accessibility(request):
    return render(request, "compacts/accessibility.html")


def refused_page(request, reason="", back=None, status=403, *, template="compacts/refused.html", **context):
    """The page that says a person may not do this, why (`reason`, naming who may), and where to go back to: every
    app's views answer a refusal with it, and build no 403 of their own. Where the person can do something about it,
    `template` is a page of its own that says what (confirm their email address first, say), given `context`."""
    return render(request, template, {"reason": reason, "back": back, **context}, status=status)


def refused_only(request, compact, who_may):
    """The refusal on a Compact's pages, saying who may do this instead ("Only the Dorset Compact's administrators
    review its text."), with the way back to the Compact."""
    return refused_page(request, f"Only the {compact.short_name} Compact's {who_may}.", compact.get_absolute_url())


# Accounts --------------------------------------------------------------------------------------------------------


class SignInView(auth_views.LoginView):
    """Django's sign-in with the portal's form. With no page asked for, administrators land on Manage and everyone
    else on their complaints; someone sent here from signing an organisation up is told why they must sign in."""

    authentication_form = SignInForm

    def get_default_redirect_url(self):
        if permissions.is_administrator(self.request.user):
            return resolve_url("compacts:manage")
        return super().get_default_redirect_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["signing_up_to"] = _signing_up_to(context.get(self.redirect_field_name) or "")
        return context


def _signing_up_to(next_url):
    """The Compact whose sign-up page this address is, if it is one."""
    try:
        match = resolve(next_url.split("?")[0])
    except Resolver404:
        return None
    if match.view_name != "compacts:sign_up":
        return None
    return selectors.compact_or_none(match.kwargs["slug"])


@require_http_methods(["GET", "POST"])
def register(request):
    """Make an account, naming the organisation to join (or a new one); the address is confirmed by a link."""
    form = RegisterForm(
        request.POST or None, groups=selectors.registration_organisations(), area=request.GET.get("compact")
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.account_register(
            email=data["email"],
            password=data["password1"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            organisation=data["organisation"],
            new_name=data["new_organisation"].strip(),
            job_title=data["job_title"],
        )
        request.session["registered_email"] = data["email"]
        return redirect("compacts:registered")
    return render(request, "registration/register.html", {"form": form}, status=400 if form.errors else 200)


def registered(request):
    """Check your email: the same page whether the address was new or had an account (its owner was emailed)."""
    email = request.session.get("registered_email")
    if not email:
        return redirect("register")
    return render(request, "registration/register_done.html", {"email": email})


@login_required
def account(request):
    return render(request, "compacts/account.html", {"account": selectors.account(request.user)})


def confirm_email(request, token):
    """The link in the confirmation email. It works signed in or not: following it shows the person reads that
    address's email. Someone signed in as another person is refused."""
    signed_in = request.user if request.user.is_authenticated else None
    try:
        owner = services.email_confirm(token=token, user=signed_in)
    except Refused as refused:
        return render(request, "compacts/confirm_email.html", {"reason": str(refused)}, status=400)
    if signed_in is None:
        messages.success(request, f"Thank you: {owner.email} is confirmed. Sign in to go on.")
        return redirect("login")
    messages.success(request, f"Thank you: {owner.email} is confirmed.")
    return redirect("compacts:account")


@login_required
@require_POST
def resend_confirmation(request):
    services.email_confirmation_send(user=request.user)
    messages.success(request, f"We have emailed a new link to {request.user.email}.")
    return redirect("compacts:account")


# Signing up ------------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def sign_up(request, slug):
    """An organisation's pledge to sign the Compact."""
    compact = selectors.compact(slug)
    back = compact.get_absolute_url()
    if not permissions.email_confirmed(request.user):
        return refused_page(request, template="compacts/confirm_first.html", doing="sign an organisation up")
    choices = selectors.sign_up_choices(request.user)
    if choices.first is None:
        return refused_page(
            request,
            "Only confirmed members of an organisation can sign it up, and you are not a confirmed member of one yet. "
            "An administrator of a Compact your organisation has signed confirms who belongs to it.",
            back,
        )
    initial = {"signed_by_name": request.user.get_full_name()}
    first = choices.first
    initial.update(
        sector=first.sector,
        kind=first.kind,
        identifier_scheme=first.identifier_scheme or None,  # none on record: the person says, nothing is chosen
        identifier=first.identifier,
    )
    form = SignUpForm(request.POST or None, organisations=choices.organisations, initial=initial)
    pledge, source = services.pledge_for(compact, "your organisation")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.sign_up_request(
                by=request.user,
                compact=compact,
                organisation=data["organisation"],
                sector=data["sector"],
                kind=data["kind"],
                identifier_scheme=data["identifier_scheme"],
                identifier=data["identifier"],
                signed_by_name=data["signed_by_name"],
                signed_by_role=data["signed_by_role"],
            )
        except Refused as refused:
            add_refusal(form, refused)
        else:
            messages.success(
                request,
                f"{data['organisation']} has asked to sign the {compact.short_name} Compact. Its administrators "
                "will confirm it, and we will email you.",
            )
            return redirect("compacts:account")
    return render(
        request,
        "compacts/sign_up.html",
        {"compact": compact, "form": form, "pledge": pledge, "pledge_source": source},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def withdraw_sign_up(request, pk):
    sign_up = selectors.sign_up_of(pk)
    if not permissions.may_withdraw(request.user, sign_up):
        reason = "Only people of the organisation, or the Compact's administrators, can withdraw it."
        return refused_page(request, reason)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.sign_up_withdraw(sign_up=sign_up, by=request.user, reason=form.cleaned_data["reason"])
        except Refused as refused:
            add_refusal(form, refused)
        else:
            messages.success(
                request, f"{sign_up.organisation} no longer signs the {sign_up.compact.short_name} Compact."
            )
            return redirect("compacts:account")
    return render(
        request, "compacts/withdraw.html", {"sign_up": sign_up, "form": form}, status=400 if form.errors else 200
    )


# The manage area -------------------------------------------------------------------------------------------------


def _managed(request, slug):
    """The Compact, if the person administers it (else None)."""
    compact = selectors.compact(slug)
    return compact if permissions.administers(request.user, compact) else None


NOT_AN_ADMINISTRATOR = "Only the Compact's administrators can see and change this."


@login_required
def manage(request):
    page = selectors.managed_compacts(request.user, request.GET.get("page"))
    if not page.paginator.count:
        return refused_page(request, "You do not administer any Compact.")
    failed_emails = selectors.failed_email_count(request.user)
    return render(
        request,
        "compacts/manage/index.html",
        {"page": page, "compacts": page.object_list, "failed_emails": failed_emails},
    )


@login_required
def manage_compact(request, slug):
    compact = _managed(request, slug)
    if compact is None:
        return refused_page(request, NOT_AN_ADMINISTRATOR)
    return render(
        request, "compacts/manage/compact.html", {"compact": compact, "overview": selectors.manage_overview(compact)}
    )


@login_required
def manage_changes(request, slug):
    compact = _managed(request, slug)
    if compact is None:
        return refused_page(request, NOT_AN_ADMINISTRATOR)
    page = selectors.change_log(compact, request.GET.get("page"))
    return render(request, "compacts/manage/changes.html", {"compact": compact, "page": page})


def _decide(request, compact, thing, *, decide, template, labels, done):
    """A confirm-or-decline page: the form, the service's verdict, a message and back to the manage page."""
    form = DecisionForm(request.POST or None, confirm_label=labels[0], decline_label=labels[1])
    conflict = None
    if request.method == "POST" and form.is_valid():
        confirm = form.cleaned_data["decision"] == "confirm"
        try:
            decide(by=request.user, confirm=confirm, reason=form.cleaned_data["reason"])
        except Refused as refused:
            conflict = str(refused)
        else:
            messages.success(request, done(confirm))
            return redirect("compacts:manage_compact", compact.slug)
    context = {"compact": compact, "thing": thing, "form": form, "conflict": conflict}
    return render(request, template, context, status=409 if conflict else 400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def decide_sign_up(request, slug, pk):
    compact = _managed(request, slug)
    if compact is None:
        return refused_page(request, NOT_AN_ADMINISTRATOR)
    sign_up = selectors.sign_up_to_decide(compact, pk)
    return _decide(
        request,
        compact,
        sign_up,
        decide=lambda **kwargs: services.sign_up_decide(sign_up=sign_up, **kwargs),
        template="compacts/manage/decide_sign_up.html",
        labels=("Confirm: it signs the Compact", "Decline it"),
        done=lambda confirm: f"{sign_up.organisation} {'signs the Compact' if confirm else 'was declined'}.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def decide_membership(request, slug, pk):
    compact = _managed(request, slug)
    if compact is None:
        return refused_page(request, NOT_AN_ADMINISTRATOR)
    membership = selectors.membership_to_decide(pk)
    if not permissions.may_decide_membership(request.user, membership):
        return refused_page(request, "This organisation has not signed, or asked to sign, this Compact.")
    return _decide(
        request,
        compact,
        membership,
        decide=lambda **kwargs: services.membership_decide(membership=membership, **kwargs),
        template="compacts/manage/decide_membership.html",
        labels=("Confirm: they are a member", "Refuse it"),
        done=lambda confirm: (
            f"{membership.user.get_full_name() or membership.user.email} "
            f"{'is confirmed' if confirm else 'was refused'}."
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def champion(request, slug, organisation):
    """Name (or change) an organisation's Champion for the Compact, or remove them."""
    compact = _managed(request, slug)
    if compact is None:
        return refused_page(request, NOT_AN_ADMINISTRATOR)
    organisation = selectors.signatory_organisation(compact, organisation)
    current = organisation.champion
    initial = {"person": current.user_id, "public_contact": current.public_contact} if current else {}
    form = ChampionForm(
        request.POST if "appoint" in request.POST else None, members=organisation.confirmed_members, initial=initial
    )
    try:
        if "remove" in request.POST and current:
            services.champion_remove(champion=current, by=request.user)
            messages.success(request, f"{organisation} has no Champion for this Compact now.")
            return redirect("compacts:manage_compact", compact.slug)
        if form.is_bound and form.is_valid():
            person = form.cleaned_data["person"]
            services.champion_appoint(
                compact=compact,
                organisation=organisation,
                user=person,
                by=request.user,
                public_contact=form.cleaned_data["public_contact"],
            )
            messages.success(request, f"{person.get_full_name() or person.email} is {organisation}'s Champion.")
            return redirect("compacts:manage_compact", compact.slug)
    except Refused as refused:
        add_refusal(form, refused)
    return render(
        request,
        "compacts/manage/champion.html",
        {"compact": compact, "organisation": organisation, "current": current, "form": form},
        status=400 if form.errors else 200,
    )


# Who answers for an organisation that has no Champion --------------------------------------------------------------


def _back(request):
    """Where to send the administrator back to (a page of this site only), if the link gave one."""
    back = request.GET.get("back") or request.POST.get("back") or ""
    local = back.startswith("/") and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()})
    return back if local else ""


@login_required
@require_http_methods(["GET", "POST"])
def answerer(request, slug, organisation):
    """Who answers for an organisation of the Compact: name one of its confirmed members its contact, or invite its
    contact by email."""
    compact = _managed(request, slug)
    if compact is None:
        return refused_page(request, NOT_AN_ADMINISTRATOR)
    organisation = selectors.answering_organisation(compact, organisation)
    back = _back(request)
    form = InviteForm(request.POST if "invite" in request.POST else None)
    conflict = None
    try:
        if "contact" in request.POST:
            membership = selectors.organisation_member(organisation, request.POST["contact"])
            services.contact_name(compact=compact, membership=membership, by=request.user)
            messages.success(
                request, f"{membership.user.get_full_name() or membership.user.email} answers for {organisation} now."
            )
            return redirect(back or request.path)
        if form.is_bound and form.is_valid():
            invitation = services.invitation_send(
                compact=compact, organisation=organisation, by=request.user, **form.cleaned_data
            )
            messages.success(request, f"We have emailed {invitation.email} an invitation to answer for {organisation}.")
            return redirect(f"{request.path}?back={back}" if back else request.path)
    except Refused as refused:
        if form.is_bound:
            add_refusal(form, refused)
        else:  # naming a contact: no form of its own, so the page says why at the top
            conflict = str(refused)
    return render(
        request,
        "compacts/manage/answerer.html",
        {"compact": compact, "organisation": organisation, "form": form, "back": back, "conflict": conflict},
        status=409 if conflict else 400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def invitation(request, token):
    """The link in an invitation: make an account with the invited address (or sign in with it), and accept."""
    try:
        invitation = services.invitation_for(token)
    except Refused as refused:
        return refused_page(request, str(refused), status=400)
    has_account = selectors.has_account(invitation.email)
    form = None
    if not request.user.is_authenticated and not has_account:
        form = InvitedRegisterForm(request.POST or None, email=invitation.email)
    signed_in = request.user.is_authenticated
    if request.method == "POST" and (signed_in or form is not None) and (form is None or form.is_valid()):
        try:
            if signed_in:
                user = request.user
                services.invitation_accept(token=token, user=user)
            else:
                user = services.invitation_register(
                    token=token,
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                    password=form.cleaned_data["password1"],
                )
        except Refused as refused:
            return refused_page(request, str(refused), status=400)
        if not signed_in:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"You answer for {invitation.organisation} now.")
        return redirect("compacts:account")
    return render(
        request,
        "compacts/invitation.html",
        {"invitation": invitation, "form": form, "has_account": has_account},
        status=400 if form is not None and form.errors else 200,
    )
