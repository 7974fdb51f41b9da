"""Author profiles on the web, for owners and admins: the list (with the sites and sectors that
chose each), a new one, edit, delete. The checks are system.author_profiles', shared with the API."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect

from igny8.accounts import access
from igny8.core.errors import DomainError
from igny8.system import author_profiles
from igny8.system.models import AuthorProfile, PointOfView, ReadingLevel
from igny8.system.voice import clustering_note
from igny8.web.errors import add_to_form
from igny8.web.render import page
from igny8.web.workspace import member_view

profiles_view = member_view(read_role=access.MANAGE, write_role=access.MANAGE)


class AuthorProfileForm(forms.Form):
    name = forms.CharField(label="Name", max_length=100)
    language = forms.CharField(
        label="Language", max_length=35, initial="en", help_text="A BCP 47 tag: en, de-AT, es-MX, pt-BR, ar."
    )
    country = forms.CharField(
        label="Country", max_length=2, required=False, help_text="Two letters: DE, ES, US."
    )
    tone = forms.CharField(
        label="Tone", max_length=200, required=False, help_text="e.g. warm, expert, playful"
    )
    point_of_view = forms.ChoiceField(label="Point of view", choices=PointOfView.choices, required=False)
    audience = forms.CharField(label="Audience", max_length=300, required=False)
    reading_level = forms.ChoiceField(label="Reading level", choices=ReadingLevel.choices, required=False)
    brand_voice = forms.CharField(
        label="Brand voice notes", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    words_to_use = forms.CharField(
        label="Words to use",
        required=False,
        help_text="Separated by commas or lines.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    words_to_avoid = forms.CharField(
        label="Words to avoid",
        required=False,
        help_text="Separated by commas or lines.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    article_length = forms.CharField(
        label="Default article length (words)",
        required=False,
        help_text="300 to 10000; empty: each task's own target.",
    )
    include_faq = forms.BooleanField(label="End articles with an FAQ section", required=False)
    example_passages = forms.CharField(
        label="Example passages",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="A few paragraphs in the voice; the model matches their style.",
    )


def _initial(profile: AuthorProfile) -> dict:
    values = {name: getattr(profile, name) for name in author_profiles.PROFILE_FIELDS}
    values["words_to_use"] = "\n".join(profile.words_to_use)
    values["words_to_avoid"] = "\n".join(profile.words_to_avoid)
    values["article_length"] = profile.article_length or ""
    return values


@profiles_view
def author_profile_list(request: HttpRequest) -> HttpResponse:
    rows = list(
        author_profiles.author_profile_list(account=request.workspace.account).prefetch_related(
            "sites", "sectors__site"
        )
    )
    for row in rows:
        row.clustering_note = clustering_note(row.language)
    return page(request, "web/settings/author_profiles.html", {"profiles": rows})


@profiles_view
def author_profile_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    account = request.workspace.account
    profile = get_object_or_404(AuthorProfile, account=account, pk=pk) if pk else None
    form = AuthorProfileForm(request.POST or None, initial=_initial(profile) if profile else None)
    if request.method == "POST" and form.is_valid():
        try:
            if profile is None:
                profile = author_profiles.author_profile_create(account=account, values=form.cleaned_data)
            else:
                author_profiles.author_profile_update(profile=profile, values=form.cleaned_data)
        except DomainError as error:
            add_to_form(form=form, error=error)
        else:
            messages.success(request, f"Author profile {profile.name} saved.")
            return redirect("web:author-profiles")
    context = {"form": form, "profile": profile}
    return page(request, "web/settings/author_profile_edit.html", context, status=400 if form.errors else 200)


@profiles_view
def author_profile_delete(request: HttpRequest, pk: int) -> HttpResponse:
    profile = get_object_or_404(AuthorProfile, account=request.workspace.account, pk=pk)
    if request.method == "POST":
        name = profile.name
        author_profiles.author_profile_delete(profile=profile)
        messages.success(
            request, f"Author profile {name} deleted; its sites and sectors use the default voice."
        )
    return redirect("web:author-profiles")
