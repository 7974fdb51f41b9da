"""Sites and their sectors, for owners and admins: rename, change the address, delete.

The rules are the services' (accounts/services.py), shared with the API: one name per account for
a site and per site for a sector, whatever the case. Deleting asks first and spells out what goes
with it (selectors.deletion_summary walks the same cascade delete() does)."""

from __future__ import annotations

from functools import partial

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect

from igny8.accounts import access, services
from igny8.accounts.models import Sector
from igny8.accounts.selectors import deletion_summary, sector_list, site_list
from igny8.core.errors import Invalid
from igny8.system.models import AuthorProfile
from igny8.web.errors import add_to_form
from igny8.web.forms import SiteForm
from igny8.web.render import page
from igny8.web.workspace import SITE_KEY, member_view

# As in the API (SiteViewSet / SectorViewSet): sites and sectors are managed by owners and admins.
sites_view = member_view(read_role=access.MANAGE, write_role=access.MANAGE)


def _profile_field(*, account, empty: str) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label="Author profile",
        queryset=AuthorProfile.objects.filter(account=account).order_by("name"),
        required=False,
        empty_label=empty,
        help_text="The voice and language of the articles (Settings > Author profiles).",
    )


class SectorEditForm(forms.Form):
    name = forms.CharField(label="Sector name", max_length=200)
    description = forms.CharField(
        label="Description",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Industry or topic context that the prompts use.",
    )


@sites_view
def site_list_view(request: HttpRequest) -> HttpResponse:
    ws = request.workspace
    sectors = list(sector_list(account=ws.account))
    rows = [
        {"site": s, "sectors": [x for x in sectors if x.site_id == s.pk]}
        for s in site_list(account=ws.account)
    ]
    return page(request, "web/settings/sites.html", {"rows": rows, "plan": ws.account.plan})


def _save(*, form: forms.Form, save) -> bool:
    """Runs the service; its refusal (a name taken, whatever the case) lands on the form's field."""
    if not form.is_valid():
        return False
    try:
        save(**form.cleaned_data)
    except Invalid as error:
        add_to_form(form=form, error=error)
        return False
    return True


@sites_view
def site_edit(request: HttpRequest, pk: int) -> HttpResponse:
    site = get_object_or_404(site_list(account=request.workspace.account), pk=pk)
    form = SiteForm(
        request.POST or None,
        initial={"name": site.name, "url": site.url, "author_profile": site.author_profile_id},
    )
    form.fields["author_profile"] = _profile_field(account=site.account, empty="Default (English, plain)")
    if request.method == "POST" and _save(form=form, save=partial(services.site_update, instance=site)):
        messages.success(request, f"Site {site.name} saved.")
        return redirect("web:sites")
    context = {"form": form, "site": site}
    return page(request, "web/settings/site_edit.html", context, status=400 if form.errors else 200)


@sites_view
def sector_edit(request: HttpRequest, pk: int) -> HttpResponse:
    sector = get_object_or_404(sector_list(account=request.workspace.account).select_related("site"), pk=pk)
    form = SectorEditForm(
        request.POST or None,
        initial={
            "name": sector.name,
            "description": sector.description,
            "author_profile": sector.author_profile_id,
        },
    )
    form.fields["author_profile"] = _profile_field(account=sector.account, empty="The site's profile")
    if request.method == "POST" and _save(form=form, save=partial(services.sector_update, instance=sector)):
        messages.success(request, f"Sector {sector.name} of {sector.site.name} saved.")
        return redirect("web:sites")
    context = {"form": form, "sector": sector}
    return page(request, "web/settings/sector_edit.html", context, status=400 if form.errors else 200)


@sites_view
def site_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks, naming what goes with the site; POST with the site's name typed again deletes."""
    site = get_object_or_404(site_list(account=request.workspace.account), pk=pk)
    error, status = "", 200
    if request.method == "POST":
        if request.POST.get("confirm_name", "").strip() == site.name:
            name = site.name
            services.site_delete(site=site)
            if request.session.get(SITE_KEY) == pk:
                request.session.pop(SITE_KEY, None)
            messages.success(request, f"Site {name} and everything of it were deleted.")
            return redirect("web:sites")
        error, status = f"Type the site's name, {site.name}, to confirm.", 400
    context = {"target": site, "kind": "site", "summary": deletion_summary(instance=site), "error": error}
    return page(request, "web/settings/delete.html", context, status=status)


@sites_view
def sector_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    sector: Sector = get_object_or_404(
        sector_list(account=request.workspace.account).select_related("site"), pk=pk
    )
    if request.method == "POST":
        services.sector_delete(sector=sector)
        messages.success(request, f"Sector {sector.name} of {sector.site.name} was deleted.")
        return redirect("web:sites")
    context = {"target": sector, "kind": "sector", "summary": deletion_summary(instance=sector)}
    return page(request, "web/settings/delete.html", context)
