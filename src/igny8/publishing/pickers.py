"""The category and author pickers of the publish form: read from the site's WordPress, kept in
the cache for a few minutes (the form opens often, the lists change rarely), and the check that a
publish request names only categories and an author the site has.

The lists are read while a web request waits (the picker, the API's wp_choices, a publish request's
check), so each call has one try and OUTBOUND_REQUEST_TIMEOUT_SECONDS (5 s), not the publisher's
30 s and three tries: an unreachable WordPress costs seconds and says so (Unavailable, 502)."""

from __future__ import annotations

import hashlib
import html
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from igny8.accounts.models import Site
from igny8.core.errors import Conflict, Invalid, Unavailable
from igny8.publishing.wordpress.client import client_for_site
from igny8.publishing.wordpress.errors import WordPressError
from igny8.publishing.wordpress.urls import UnsafeURL

CACHE_SECONDS = 300


@dataclass(frozen=True)
class Choice:
    id: int
    name: str

    def as_dict(self) -> dict:
        return {"id": self.id, "name": self.name}


@dataclass(frozen=True)
class Choices:
    categories: list[Choice]
    authors: list[Choice]

    def as_dict(self) -> dict:
        return {
            "categories": [c.as_dict() for c in self.categories],
            "authors": [a.as_dict() for a in self.authors],
        }


def _key(site: Site) -> str:
    # The address and user are in the key (changing the connection reads the lists afresh), as a
    # digest: they may hold any character, and cache keys must stay safe for every backend.
    connection = hashlib.sha256(f"{site.wp_url or site.url}\n{site.wp_username}".encode()).hexdigest()[:24]
    return f"wp-pickers:{site.pk}:{connection}"


def _read(site: Site, client=None) -> Choices:
    own = client is None
    # Read while someone waits (the panel, the API, a publish request's check): one short try per
    # call, not the publisher's 30 s and retries (issue 12 point 7); a failure says why.
    client = client or client_for_site(
        site, timeout=settings.OUTBOUND_REQUEST_TIMEOUT_SECONDS, max_attempts=1
    )
    try:
        categories = [
            Choice(int(c["id"]), html.unescape(str(c.get("name", ""))))  # WordPress escapes names
            for c in client.categories()
        ]
        authors = [
            Choice(int(a["id"]), str(a.get("name") or a.get("slug") or a["id"])) for a in client.authors()
        ]
    finally:
        if own:
            client.close()
    return Choices(
        categories=sorted(categories, key=lambda c: c.name.lower()),
        authors=sorted(authors, key=lambda a: a.name.lower()),
    )


NOT_CONNECTED = (
    "The site has no WordPress connection yet; set its username and application password in "
    "the site's settings to pick categories and an author."
)


def connected(*, site: Site) -> bool:
    return bool(site.wp_username and (site.wp_secrets or {}).get("app_password"))


def site_choices(*, site: Site, refresh: bool = False, client=None) -> Choices:
    """The site's categories and authors; Unavailable saying why when WordPress cannot be read."""
    if not connected(site=site):
        # Our side's state, not WordPress failing: a 409 the person can act on, not a 502.
        raise Conflict(NOT_CONNECTED)
    key = _key(site)
    cached = None if refresh else cache.get(key)
    if cached is not None:
        return Choices(
            categories=[Choice(**c) for c in cached["categories"]],
            authors=[Choice(**a) for a in cached["authors"]],
        )
    try:
        found = _read(site, client)
    except UnsafeURL as error:
        raise Invalid(str(error), field="wp_url") from error
    except WordPressError as error:
        raise Unavailable(f"Could not read the site's categories and authors: {error}") from error
    cache.set(key, found.as_dict(), CACHE_SECONDS)
    return found


def choices_check(*, site: Site, category_ids: list[int] | None, author: int | None, client=None) -> None:
    """Invalid naming the field when a category id or the author is not one of the site's."""
    if not category_ids and author is None:
        return
    choices = site_choices(site=site, client=client)
    known = {c.id for c in choices.categories}
    unknown = [str(i) for i in category_ids or [] if i not in known]
    errors = {}
    if unknown:
        errors["categories"] = [
            f"The site's WordPress has no category with id {', '.join(unknown)}; pick one of its categories."
        ]
    if author is not None and author not in {a.id for a in choices.authors}:
        errors["author"] = [f"The site's WordPress has no author with id {author}; pick one of its authors."]
    if errors:
        raise Invalid(errors=errors)
