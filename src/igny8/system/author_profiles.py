"""Author profiles: reads, writes, the choice per site and sector, and the voice of a run's item
(a batch's profile and overrides > the sector's profile > the site's profile > the plain default)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction

from igny8.accounts.models import Account, Sector, Site
from igny8.core.errors import Conflict, Invalid, NotFound
from igny8.system.models import AuthorProfile, PointOfView, ReadingLevel
from igny8.system.voice import (
    CONTENT_STRUCTURES,
    MAX_WORDS,
    MIN_WORDS,
    Voice,
    country_problem,
    language_problem,
    normalise_language,
)

# What a batch (the run's payload) may set: a profile and overrides that win over it.
GENERATION_FIELDS = ("author_profile_id", "content_structure", "word_count", "include_faq")
PROFILE_FIELDS = (
    "name",
    "language",
    "country",
    "tone",
    "point_of_view",
    "audience",
    "reading_level",
    "brand_voice",
    "words_to_use",
    "words_to_avoid",
    "article_length",
    "include_faq",
    "example_passages",
)
MAX_WORDS_LISTED = 50


# -- reads ----------------------------------------------------------------------------------------
def author_profile_list(*, account: Account):
    return AuthorProfile.objects.filter(account=account).order_by("name", "pk")


def author_profile_get(
    *, account: Account, profile_id: object, field: str = "author_profile_id"
) -> AuthorProfile:
    if type(profile_id) is not int:
        raise Invalid("Send the author profile's id (a number).", field=field)
    profile = AuthorProfile.objects.filter(account=account, pk=profile_id).first()
    if profile is None:
        raise NotFound(f"No author profile {profile_id} in this account.", field=field)
    return profile


def author_profile_view(profile: AuthorProfile) -> dict:
    return {
        "id": profile.pk,
        **{name: getattr(profile, name) for name in PROFILE_FIELDS},
        "site_ids": sorted(profile.sites.values_list("pk", flat=True)),
        "sector_ids": sorted(profile.sectors.values_list("pk", flat=True)),
        "created_at": profile.created_at,
        "updated_at": profile.updated_at,
    }


# -- checks ---------------------------------------------------------------------------------------
def _words(value: object, *, field: str, label: str) -> list[str]:
    if isinstance(value, str):  # "a, b\nc" from a form
        value = [part for line in value.splitlines() for part in line.split(",")]
    if not isinstance(value, list) or not all(isinstance(word, str) for word in value):
        raise Invalid(f"{label}: send a list of words or phrases.", field=field)
    words = list(dict.fromkeys(word.strip() for word in value if word.strip()))
    if len(words) > MAX_WORDS_LISTED or any(len(word) > 100 for word in words):
        raise Invalid(f"{label}: at most {MAX_WORDS_LISTED}, each at most 100 characters.", field=field)
    return words


def _text(value: object, *, field: str, label: str, max_length: int, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise Invalid(f"{label}: send text.", field=field)
    value = value.strip()
    if required and not value:
        raise Invalid(f"{label} is required.", field=field)
    if len(value) > max_length:
        raise Invalid(f"{label}: at most {max_length} characters ({len(value)} sent).", field=field)
    return value


def _length(value: object, *, field: str, label: str) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if type(value) is not int or not MIN_WORDS <= value <= MAX_WORDS:
        raise Invalid(f"{label}: a number of words from {MIN_WORDS} to {MAX_WORDS}.", field=field)
    return value


def _flag(value: object, *, field: str, label: str) -> bool:
    if isinstance(value, bool):
        return value
    raise Invalid(f"{label}: send true or false.", field=field)


def _choice(value: object, *, field: str, label: str, choices) -> str:
    value = "" if value is None else value
    if value not in choices.values:
        allowed = ", ".join(v for v in choices.values if v)
        raise Invalid(f"{label}: one of {allowed}, or empty.", field=field)
    return value


def profile_values(values: dict, *, partial: bool = False) -> dict:
    """Checked, normalised field values; raises Invalid naming the first bad field in words."""
    unknown = sorted(set(values) - set(PROFILE_FIELDS))
    if unknown:
        raise Invalid(f"Unknown field(s): {', '.join(unknown)}.", field=unknown[0])
    clean: dict = {}
    for name in PROFILE_FIELDS:
        # A new profile must have a name; any other field left out keeps its default.
        if name not in values and (partial or name != "name"):
            continue
        value = values.get(name)
        if name == "name":
            clean[name] = _text(value, field=name, label="Name", max_length=100, required=True)
        elif name == "language":
            tag = _text(value, field=name, label="Language", max_length=35, required=True)
            problem = language_problem(tag)
            if problem:
                raise Invalid(f"Language: {problem}", field=name)
            clean[name] = normalise_language(tag)
        elif name == "country":
            code = _text(value, field=name, label="Country", max_length=2).upper()
            problem = country_problem(code)
            if problem:
                raise Invalid(f"Country: {problem}", field=name)
            clean[name] = code
        elif name in ("tone", "audience"):
            clean[name] = _text(
                value, field=name, label=name.capitalize(), max_length=300 if name == "audience" else 200
            )
        elif name == "point_of_view":
            clean[name] = _choice(value, field=name, label="Point of view", choices=PointOfView)
        elif name == "reading_level":
            clean[name] = _choice(value, field=name, label="Reading level", choices=ReadingLevel)
        elif name in ("brand_voice", "example_passages"):
            label = "Brand voice notes" if name == "brand_voice" else "Example passages"
            clean[name] = _text(value, field=name, label=label, max_length=5000)
        elif name in ("words_to_use", "words_to_avoid"):
            label = "Words to use" if name == "words_to_use" else "Words to avoid"
            clean[name] = _words(value if value is not None else [], field=name, label=label)
        elif name == "article_length":
            clean[name] = _length(value, field=name, label="Default article length")
        elif name == "include_faq":
            clean[name] = _flag(value, field=name, label="FAQ section")
    return clean


# -- writes ---------------------------------------------------------------------------------------
def _saved(profile: AuthorProfile) -> AuthorProfile:
    try:
        with transaction.atomic():
            profile.save()
    except IntegrityError as error:
        raise Conflict(f"An author profile named {profile.name!r} exists already.", field="name") from error
    return profile


def author_profile_create(*, account: Account, values: dict) -> AuthorProfile:
    return _saved(AuthorProfile(account=account, **profile_values(values)))


def author_profile_update(*, profile: AuthorProfile, values: dict) -> AuthorProfile:
    for name, value in profile_values(values, partial=True).items():
        setattr(profile, name, value)
    return _saved(profile)


def author_profile_delete(*, profile: AuthorProfile) -> None:
    """Sites and sectors that chose it fall back (SET_NULL) to the site's profile or the default."""
    profile.delete()


def _chosen(*, account: Account, profile_id: object) -> AuthorProfile | None:
    if profile_id in (None, ""):
        return None
    if isinstance(profile_id, str) and profile_id.isdigit():
        profile_id = int(profile_id)
    return author_profile_get(account=account, profile_id=profile_id, field="author_profile_id")


def site_choose_author_profile(*, site: Site, profile_id: object) -> Site:
    site.author_profile = _chosen(account=site.account, profile_id=profile_id)
    site.save(update_fields=["author_profile", "updated_at"])
    return site


def sector_choose_author_profile(*, sector: Sector, profile_id: object) -> Sector:
    """None: the sector writes in its site's voice."""
    sector.author_profile = _chosen(account=sector.account, profile_id=profile_id)
    sector.save(update_fields=["author_profile", "updated_at"])
    return sector


# -- a run's voice --------------------------------------------------------------------------------
@dataclass(frozen=True)
class GenerationSettings:
    """A batch's choice: a profile (None: each site's or sector's own) and overrides (None: the
    profile's)."""

    profile: AuthorProfile | None = None
    content_structure: str = ""
    word_count: int | None = None
    include_faq: bool | None = None

    def record(self) -> dict:
        """What the AI run row keeps of it."""
        return {
            "author_profile_id": self.profile.pk if self.profile else None,
            "author_profile": self.profile.name if self.profile else None,
            "content_structure": self.content_structure or None,
            "word_count": self.word_count,
            "include_faq": self.include_faq,
        }


def generation_settings(*, account: Account, payload: dict) -> GenerationSettings:
    """The batch's settings from a run's payload, checked (Invalid names the field)."""
    structure = payload.get("content_structure") or ""
    if structure not in ("", *CONTENT_STRUCTURES):
        raise Invalid(
            f"Content type: one of {', '.join(CONTENT_STRUCTURES)}; got {structure!r}.",
            field="content_structure",
        )
    include_faq = payload.get("include_faq")
    return GenerationSettings(
        profile=_chosen(account=account, profile_id=payload.get("author_profile_id")),
        content_structure=structure,
        word_count=_length(payload.get("word_count"), field="word_count", label="Article length"),
        include_faq=None
        if include_faq is None
        else _flag(include_faq, field="include_faq", label="FAQ section"),
    )


def _from_profile(profile: AuthorProfile | None) -> Voice:
    if profile is None:
        return Voice()
    return Voice(
        profile_id=profile.pk,
        profile_name=profile.name,
        **{name: getattr(profile, name) for name in PROFILE_FIELDS if name != "name"},
    )


def voice_for(*, site: Site | None, sector: Sector | None, batch: GenerationSettings | None = None) -> Voice:
    batch = batch or GenerationSettings()
    profile = (
        batch.profile
        or (sector.author_profile if sector else None)
        or (site.author_profile if site else None)
    )
    voice = _from_profile(profile)
    return Voice(
        **{
            **voice.as_dict(),
            "content_structure": batch.content_structure,
            "article_length": batch.word_count or voice.article_length,
            "include_faq": voice.include_faq if batch.include_faq is None else batch.include_faq,
        }
    )
