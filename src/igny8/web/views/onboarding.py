"""Sign-up, a further account for a signed-in user, and the onboarding of an account: its site, the
site's sectors and the first keywords, in three steps that can each be revisited.

Sign-up goes through an emailed link (accounts/signup.py) so that it never tells whether an email is
registered. The writes are the REST API's: user_create + account_create (the owner membership and the
opening credits), site_create (the plan's max_sites, one name per account), sector_create (one
name per site) and the planner's import_jobs.import_start, the service behind POST /keywords/import/
(its file size limit, unreadable-file and plan-limit refusals included)."""

from __future__ import annotations

import csv
import io
import re

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from igny8.accounts import access, services
from igny8.accounts.models import Sector, Site, User
from igny8.accounts.signup import (
    SignupLinkInvalid,
    signup_complete,
    signup_from_token,
    signup_request,
)
from igny8.accounts.throttles import RateLimited, signup_check
from igny8.core.errors import DomainError, Invalid
from igny8.core.links import public_base
from igny8.planner import import_jobs
from igny8.planner.models import Keyword, KeywordImport
from igny8.web.errors import add_to_form, error_text, page_status
from igny8.web.forms import SiteForm
from igny8.web.render import page
from igny8.web.workspace import ACCOUNT_KEY, SITE_KEY, member_view, workspace_for

# Sites and sectors are managed by owners and admins in the API (SiteViewSet / SectorViewSet).
onboarding_view = member_view(read_role=access.MANAGE, write_role=access.MANAGE)

STEPS = (("site", "Site"), ("sectors", "Sectors"), ("keywords", "First keywords"))
# The importer's reason for a repeated row names the file line it repeats (planner/imports.py).
REPEATS = re.compile(r"repeats line (\d+)")


def signup_context(request: HttpRequest) -> dict:
    """Template context processor: whether to offer the sign-up link (login page, team page)."""
    return {"signup_open": settings.SIGNUP_OPEN}


# --- Sign-up and new accounts ----------------------------------------------------------------


class SignupForm(forms.Form):
    """The password is chosen behind the emailed link (SignupPasswordForm), so that this form
    answers the same whether or not the email is registered (accounts/signup.py)."""

    email = forms.EmailField(
        label="Email", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    full_name = forms.CharField(
        label="Full name", max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    account_name = forms.CharField(
        label="Account name",
        max_length=200,
        help_text="Your company or team. You can add people and more accounts later.",
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )


class SignupPasswordForm(SetPasswordForm):
    """Django's set-password form: the password validators (against the email and name) and the
    repeat, for a user that does not exist yet."""


class AccountForm(forms.Form):
    name = forms.CharField(
        label="Account name",
        max_length=200,
        help_text="A company, client or team: its own sites, members, credits and settings.",
    )


def _enter_account(request: HttpRequest, account_id: int) -> None:
    """Make the session act in this account, on its first site (none yet for a new account)."""
    request.session[ACCOUNT_KEY] = account_id
    request.session.pop(SITE_KEY, None)


def _account_creation_open(request: HttpRequest) -> bool:
    # Closing sign-up closes account creation too (each account opens with the plan's credits);
    # staff can still create accounts from the web app.
    return settings.SIGNUP_OPEN or request.user.is_staff


@never_cache
def signup(request):
    if not settings.SIGNUP_OPEN:
        raise Http404("Sign-up is closed on this instance.")
    if request.user.is_authenticated:
        return redirect("web:account-new")
    form = SignupForm(request.POST or None)
    if request.method == "POST":
        try:
            signup_check(request=request)
        except RateLimited as refusal:
            form = SignupForm(initial={k: request.POST.get(k, "") for k in SignupForm.base_fields})
            context = {"form": form, "throttled": refusal.message}
            return render(request, "registration/signup.html", context, status=429)
    if request.method == "POST" and form.is_valid():
        # Only queues the email (a worker sends it): nothing here waits on the SMTP server.
        signup_request(**form.cleaned_data, link_base=public_base(request=request))
        return redirect("web:signup-sent")
    status = 400 if form.errors else 200
    return render(request, "registration/signup.html", {"form": form}, status=status)


@never_cache
def signup_sent(request):
    if not settings.SIGNUP_OPEN:
        raise Http404("Sign-up is closed on this instance.")
    return render(request, "registration/signup_sent.html", {"hours": settings.SIGNUP_LINK_MAX_AGE_HOURS})


@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
def signup_confirm(request, token: str):
    """The emailed link: choose a password, and the user, their account and its owner membership
    are made at once (as before the link, by user_create + account_create)."""
    if not settings.SIGNUP_OPEN:
        raise Http404("Sign-up is closed on this instance.")
    try:
        details = signup_from_token(token=token)
    except SignupLinkInvalid as error:
        return render(request, "registration/signup_confirm.html", {"refused": error.message}, status=404)
    candidate = User(email=details.email, full_name=details.full_name)
    form = SignupPasswordForm(candidate, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user, account = signup_complete(details=details, password=form.cleaned_data["new_password1"])
        except IntegrityError:  # the same link followed twice at once
            refused = f"{details.email} already has a user here: sign in instead."
            return render(request, "registration/signup_confirm.html", {"refused": refused}, status=409)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        _enter_account(request, account.pk)
        return redirect("web:onboarding")
    context = {"form": form, "details": details}
    return render(request, "registration/signup_confirm.html", context, status=400 if form.errors else 200)


@login_required
def account_new(request):
    """Any signed-in user may open another account and own it, as at sign-up."""
    if not _account_creation_open(request):
        raise Http404("New accounts are closed on this instance.")
    form = AccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        account = services.account_create(name=form.cleaned_data["name"], owner=request.user)
        _enter_account(request, account.pk)
        messages.success(request, f"Account {account.name} created; you are its owner.")
        return redirect("web:onboarding")
    status = 400 if form.errors else 200
    try:
        request.workspace = workspace_for(request)
    except Http404:
        # A user with no account at all (e.g. they left their last one) still gets this page.
        return render(request, "web/onboarding/account_new.html", {"form": form}, status=status)
    return page(request, "web/onboarding/account_new.html", {"form": form}, status=status)


# --- Onboarding: site, sectors, first keywords ----------------------------------------------


class SectorsForm(forms.Form):
    names = forms.CharField(
        label="Sector names, one per line",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The topics or industries the site writes about, e.g. Espresso, Tea.",
    )


class KeywordsForm(forms.Form):
    keywords = forms.CharField(
        label="Keywords, one per line",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    file = forms.FileField(
        label="Or a CSV file",
        required=False,
        help_text="Columns: keyword, volume, difficulty, cpc, intent.",
    )
    sector = forms.TypedChoiceField(label="Sector", required=False, coerce=int, empty_value=None)

    def __init__(self, *args, sectors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = [("", "No sector"), *((s.pk, s.name) for s in sectors)]
        if sectors:
            self.fields["sector"].initial = sectors[0].pk

    def clean(self):
        cleaned = super().clean()
        upload, text = cleaned.get("file"), (cleaned.get("keywords") or "")
        if upload and text.strip():
            self.add_error("file", "Paste keywords or choose a file, not both.")
        elif not upload and not text.strip():
            self.add_error("keywords", "Paste at least one keyword, or choose a CSV file.")
        return cleaned


def pasted_csv(text: str) -> bytes:
    """One keyword per line as the one-column CSV the importer reads. Every cell is quoted, so a
    keyword holding a comma or semicolon stays one keyword; blank lines are kept (and skipped by
    the importer) so that line n of the file is line n + 1 of the paste."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(["keyword"])
    for line in text.splitlines():
        writer.writerow([line.strip()])
    return out.getvalue().encode("utf-8")


def _steps(request: HttpRequest, current: str, *, adding: bool = False) -> dict:
    """The progress indicator: every step links back, except those that need a site there is not."""
    site = request.workspace.site
    reachable = site is not None and not adding
    done = {
        "site": site is not None and not adding,
        "sectors": reachable and Sector.objects.filter(site=site).exists(),
        "keywords": reachable and Keyword.objects.filter(site=site).exists(),
    }
    steps = [
        {
            "key": key,
            "label": label,
            "number": number,
            "current": key == current,
            "done": done[key],
            "url": reverse(f"web:onboarding-{key}") if key == "site" or reachable else "",
        }
        for number, (key, label) in enumerate(STEPS, start=1)
    ]
    return {"steps": steps, "step": next(s for s in steps if s["current"]), "step_count": len(STEPS)}


@onboarding_view
def onboarding(request):
    """The first step not done yet."""
    site = request.workspace.site
    if site is None:
        return redirect("web:onboarding-site")
    if not Sector.objects.filter(site=site).exists():
        return redirect("web:onboarding-sectors")
    return redirect("web:onboarding-keywords")


@onboarding_view
def onboarding_site(request):
    """Creates the account's site (or another one with ?new=1); revisited, it edits the current site."""
    ws = request.workspace
    adding = ws.site is None or request.GET.get("new") == "1" or request.POST.get("new") == "1"
    site: Site | None = None if adding else ws.site
    initial = {} if site is None else {"name": site.name, "url": site.url}
    form = SiteForm(request.POST or None, initial=initial)
    refusal, status = "", 200
    if adding:
        try:
            services.site_check_limit(account=ws.account)
        except DomainError as error:  # 402: the plan's max_sites
            refusal = error_text(error, with_fields=False)
            status = page_status(error) if request.method == "POST" else 200
    if request.method == "POST" and not refusal:
        if form.is_valid():
            try:
                if site is None:
                    site = services.site_create(account=ws.account, **form.cleaned_data)
                else:
                    services.site_update(instance=site, **form.cleaned_data)
            except Invalid as error:  # the name is taken (whatever the case)
                add_to_form(form=form, error=error)
                status = 400
            except DomainError as error:  # another site was added meanwhile
                refusal, status = error_text(error, with_fields=False), page_status(error)
            else:
                request.session[SITE_KEY] = site.pk
                return redirect("web:onboarding-sectors")
        else:
            status = 400
    context = {
        **_steps(request, "site", adding=adding),
        "form": form,
        "adding": adding,
        "refusal": refusal,
        "plan": ws.account.plan,
    }
    return page(request, "web/onboarding/site.html", context, status=status)


def _sectors_create(*, site: Site, names: list[tuple[int, str]]) -> list[str]:
    """All the names or none: each is checked by sector_create, as for the API (a name of at most
    200 characters, one per site whatever the case)."""
    problems: list[str] = []
    first_line: dict[str, int] = {}
    with transaction.atomic():
        for line, name in names:
            if name.casefold() in first_line:
                problems.append(f"Line {line} “{name}”: repeats line {first_line[name.casefold()]}.")
                continue
            first_line[name.casefold()] = line
            try:
                with transaction.atomic():
                    services.sector_create(site=site, name=name)
            except Invalid as error:
                problems += [f"Line {line} “{name}”: {m}" for errs in error.errors.values() for m in errs]
        if problems:
            transaction.set_rollback(True)
    return problems


@onboarding_view
def onboarding_sectors(request):
    ws = request.workspace
    if ws.site is None:
        return redirect("web:onboarding-site")
    existing = list(Sector.objects.filter(site=ws.site).order_by("name", "id"))
    form = SectorsForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        lines = form.cleaned_data["names"].splitlines()
        names = [(number, line.strip()) for number, line in enumerate(lines, start=1) if line.strip()]
        if not names and existing:
            return redirect("web:onboarding-keywords")
        if not names:
            form.add_error("names", "Enter at least one sector name.")
        else:
            problems = _sectors_create(site=ws.site, names=names)
            if not problems:
                messages.success(request, f"Added {len(names)} sector(s) to {ws.site.name}.")
                return redirect("web:onboarding-keywords")
            for problem in problems:
                form.add_error("names", problem)
    if form.errors:
        status = 400
    context = {**_steps(request, "sectors"), "form": form, "existing": existing}
    return page(request, "web/onboarding/sectors.html", context, status=status)


def _report_context(report, *, pasted: bool) -> dict:
    """The import report; for pasted text the line numbers are those of the paste (no header)."""
    data = report.as_dict()
    if not pasted:
        return data

    def shifted(issue: dict) -> dict:
        reason = REPEATS.sub(lambda m: f"repeats line {int(m.group(1)) - 1}", issue["reason"])
        return {**issue, "row": issue["row"] - 1, "reason": reason}

    for kind in ("duplicates", "skipped"):
        data[kind] = [shifted(issue) for issue in data[kind]]
    return data


@onboarding_view
def onboarding_keywords(request):
    ws = request.workspace
    if ws.site is None:
        return redirect("web:onboarding-site")
    sectors = list(Sector.objects.filter(site=ws.site).order_by("name", "id"))
    form = KeywordsForm(request.POST or None, request.FILES or None, sectors=sectors)
    report, status = None, 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            chosen = form.cleaned_data["sector"]
            sector = next((s for s in sectors if s.pk == chosen), None)
            source = upload or ContentFile(pasted_csv(form.cleaned_data["keywords"]), name="pasted.csv")
            try:
                result = import_jobs.import_start(site=ws.site, sector=sector, uploaded_file=source)
            except Invalid as error:  # 400: the size limit or an unreadable file
                form.add_error("file" if upload else "keywords", error_text(error, with_fields=False))
            except DomainError as error:  # 402: the plan's max_keywords; nothing was imported
                form.add_error(None, error_text(error, with_fields=False))
                status = page_status(error)
            else:
                if isinstance(result, KeywordImport):  # a big file: the keywords page shows its progress
                    return redirect(f"{reverse('web:keywords')}?import={result.pk}#import")
                report = _report_context(result, pasted=upload is None)
                status = 200
                form = KeywordsForm(sectors=sectors, initial={"sector": chosen})
    context = {**_steps(request, "keywords"), "form": form, "report": report, "sectors": sectors}
    return page(request, "web/onboarding/keywords.html", context, status=status)
