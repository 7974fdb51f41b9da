"""HTTP to one WordPress site: timeouts always, bounded retries on 429/5xx/transport errors
(Retry-After wins, every wait capped), errors as WordPressError with the likely cause. No database."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import httpx
from django.conf import settings
from tenacity import Retrying, retry_if_exception, stop_after_attempt

from igny8.core import outbound
from igny8.publishing.wordpress.errors import WordPressError, explain
from igny8.publishing.wordpress.urls import check_url

USER_AGENT = "IGNY8-publisher/1.0"


def _retry_after(error: WordPressError) -> float | None:
    value = error.data.get("retry_after") if isinstance(error.data, dict) else None
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


class WordPressClient:
    def __init__(
        self,
        *,
        base_url: str,
        username: str,
        app_password: str,
        timeout: float | None = None,
        max_attempts: int | None = None,
        retry_base: float | None = None,
        retry_max: float | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.username = username
        self.max_attempts = max_attempts or settings.WORDPRESS_MAX_ATTEMPTS
        self.retry_base = settings.WORDPRESS_RETRY_BASE_SECONDS if retry_base is None else retry_base
        self.retry_max = settings.WORDPRESS_RETRY_MAX_SECONDS if retry_max is None else retry_max
        # Application passwords are shown with spaces; WordPress accepts them either way.
        self.http = httpx.Client(
            auth=httpx.BasicAuth(username, app_password) if username else None,
            timeout=timeout or settings.WORDPRESS_TIMEOUT_SECONDS,
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            transport=transport or outbound.httpx_transport(),
            follow_redirects=False,
            trust_env=False,
        )
        self._capabilities: dict | None = None

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> WordPressClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- plumbing ---------------------------------------------------------------------------------
    def url(self, route: str) -> str:
        return f"{self.base_url}/wp-json/{route.lstrip('/')}"

    def _wait(self, state) -> float:
        error = state.outcome.exception()
        server = _retry_after(error) if isinstance(error, WordPressError) else None
        backoff = self.retry_base * (2 ** (state.attempt_number - 1))
        return min(server if server is not None else backoff, self.retry_max)

    def request(self, method: str, route: str, **kwargs: Any) -> Any:
        retrying = Retrying(
            stop=stop_after_attempt(self.max_attempts),
            wait=self._wait,
            retry=retry_if_exception(lambda e: isinstance(e, WordPressError) and e.retryable),
            reraise=True,
        )
        return retrying(self._request_once, method, route, **kwargs)

    def _request_once(self, method: str, route: str, *, anonymous: bool = False, **kwargs: Any) -> Any:
        url = route if route.startswith("http") else self.url(route)
        try:
            if anonymous:  # the REST index must answer without credentials; None disables auth
                kwargs["auth"] = None
            response = self.http.request(method, url, **kwargs)
        except httpx.TimeoutException as error:
            raise WordPressError(f"WordPress did not answer in time ({url}).", retryable=True) from error
        except httpx.TransportError as error:
            raise WordPressError(
                f"Could not reach WordPress at {self.base_url}: {error}", retryable=True
            ) from error
        return self._decode(response)

    @staticmethod
    def _decode(response: httpx.Response) -> Any:
        try:
            body = response.json()
        except (json.JSONDecodeError, ValueError):
            body = None
        if response.is_success:
            if body is None:
                raise WordPressError(
                    f"WordPress answered {response.request.url} with something that is not JSON "
                    "(an HTML page?): the REST API is blocked, or this is not the site's root address.",
                    status=response.status_code,
                    code="not_json",
                )
            return body
        status = response.status_code
        # An upload refused for want of upload_files says "create posts"; its hint says what is missing.
        upload = response.request.method == "POST" and response.request.url.path.rstrip("/").endswith(
            "/wp/v2/media"
        )
        code, message, data = "", "", {}
        if isinstance(body, dict):
            code = str(body.get("code") or "")
            message = str(body.get("message") or "")
            data = body.get("data") if isinstance(body.get("data"), dict) else {}
        if status in (429, 502, 503, 504) or status >= 500:
            data = {**data, "retry_after": response.headers.get("Retry-After")}
            raise WordPressError(
                explain(status=status, code=code, message=message, upload=upload),
                status=status,
                code=code,
                retryable=True,
                data=data,
            )
        if status in (301, 302, 307, 308):
            message = f"redirected to {response.headers.get('Location')}; use that address as the site URL"
        raise WordPressError(
            explain(status=status, code=code, message=message, upload=upload),
            status=status,
            code=code,
            data=data,
        )

    # -- endpoints --------------------------------------------------------------------------------
    def root(self) -> dict:
        return self.request("GET", "", anonymous=True)

    def me(self) -> dict:
        return self.request("GET", "wp/v2/users/me", params={"context": "edit"})

    def capabilities(self) -> dict:
        """The user's capabilities (users/me in edit context), read once per client: one connection
        publishes many contents as the same user."""
        if self._capabilities is None:
            self._capabilities = dict(self.me().get("capabilities") or {})
        return self._capabilities

    def me_as(self, *, username: str, app_password: str) -> dict:
        """users/me with other credentials: the connection test's probe with a user that cannot exist."""
        return self.request(
            "GET", "wp/v2/users/me", params={"context": "edit"}, auth=httpx.BasicAuth(username, app_password)
        )

    def post_type_schema(self, endpoint: str) -> dict:
        return self.request("OPTIONS", f"wp/v2/{endpoint}")

    def upload_media(
        self, *, filename: str, data: bytes, content_type: str, alt_text: str, title: str, marker: str = ""
    ) -> dict:
        """Uploads a file and sets its alt text and title. With a `marker` (a slug of ours, unique
        per file) the upload is created exactly once: an item already carrying the marker is
        adopted, and an upload that timed out or got a 5xx is looked up by it before it is sent
        again (as posts are: create_once_or_adopt). Without one the upload is retried blindly."""
        if marker:
            media = self.find_media(slug=marker) or self.create_once_or_adopt(
                create=lambda: self._upload_once(filename, data, content_type, marker),
                find=lambda: self.find_media(slug=marker),
                adopt=lambda found: found,
            )
        else:
            media = self.request(
                "POST", "wp/v2/media", content=data, headers=_upload_headers(filename, content_type)
            )
        return self.request("POST", f"wp/v2/media/{media['id']}", json={"alt_text": alt_text, "title": title})

    def attach_media(self, *, media_id: int, post_id: int) -> dict:
        """Attaches a media item to a post (its `post` field, the parent WordPress's Media Library
        shows under "Uploaded to"). Setting the same parent again changes nothing, so retries are safe."""
        return self.request("POST", f"wp/v2/media/{media_id}", json={"post": post_id})

    def _upload_once(self, filename: str, data: bytes, content_type: str, slug: str) -> dict:
        # The binary body leaves only the query string for fields; WordPress reads `slug` there.
        return self._request_once(
            "POST",
            "wp/v2/media",
            params={"slug": slug},
            content=data,
            headers=_upload_headers(filename, content_type),
        )

    def find_media(self, *, slug: str) -> dict | None:
        """The media item with exactly this slug (our marker), or None."""
        found = self.request("GET", "wp/v2/media", params={"slug": slug, "context": "edit"})
        return next((item for item in found if item.get("slug") == slug), None)

    def find_post(self, *, endpoint: str, slugs: list[str]) -> list[dict]:
        """Posts of any status with one of these slugs (WordPress takes them comma-separated)."""
        params = {"slug": ",".join(slugs), "status": "any", "context": "edit"}
        return self.request("GET", f"wp/v2/{endpoint}", params=params)

    def create_post_once(self, *, endpoint: str, data: dict) -> dict:
        """One create, never retried here: after a timeout or a 5xx WordPress may have created the
        post, so the caller looks it up before trying again (create_once_or_adopt)."""
        return self._request_once("POST", f"wp/v2/{endpoint}", json=data)

    def create_once_or_adopt(
        self,
        *,
        create: Callable[[], dict],
        find: Callable[[], Any],
        adopt: Callable[[Any], dict],
        sleep: Callable[[float], None] = time.sleep,
    ) -> dict:
        """Creates something exactly once. A create that timed out or got a 5xx may have been saved
        by WordPress all the same, so before each new attempt it is looked up by our marker (`find`)
        and adopted when it is there; only what is not there is created again, at most
        max_attempts times. Refusals (4xx) are raised at once."""
        attempts = max(1, self.max_attempts)
        for attempt in range(1, attempts + 1):
            try:
                return create()
            except WordPressError as error:
                if not error.retryable:
                    raise
                found = find()
                if found:
                    return adopt(found)
                if attempt == attempts:
                    raise
                sleep(self.backoff(attempt=attempt, error=error))
        raise AssertionError("unreachable: the loop returns or raises")

    def backoff(self, *, attempt: int, error: WordPressError) -> float:
        """Seconds before attempt `attempt + 1`: the server's Retry-After, else exponential; capped."""
        server = _retry_after(error)
        return min(server if server is not None else self.retry_base * (2 ** (attempt - 1)), self.retry_max)

    def save_post(self, *, endpoint: str, data: dict, post_id: str | int | None = None) -> dict:
        route = f"wp/v2/{endpoint}/{post_id}" if post_id else f"wp/v2/{endpoint}"
        return self.request("POST", route, json=data)

    def categories(self, *, max_pages: int = 5) -> list[dict]:
        """The site's categories (id, name, parent), 100 a page, at most max_pages pages."""
        return self._pages("wp/v2/categories", {"per_page": 100, "_fields": "id,name,parent"}, max_pages)

    def authors(self, *, max_pages: int = 2) -> list[dict]:
        """The users who may write posts (id, name, slug). `who=authors` needs edit context,
        which the application password's user has when it may publish at all."""
        params = {"who": "authors", "context": "edit", "per_page": 100, "_fields": "id,name,slug"}
        return self._pages("wp/v2/users", params, max_pages)

    def _pages(self, route: str, params: dict, max_pages: int) -> list[dict]:
        found: list[dict] = []
        for number in range(1, max_pages + 1):
            batch = self.request("GET", route, params={**params, "page": number})
            if not isinstance(batch, list):
                break
            found.extend(item for item in batch if isinstance(item, dict) and "id" in item)
            if len(batch) < params["per_page"]:
                break
        return found

    def term_id(self, *, taxonomy: str, name: str) -> int:
        """The id of the category/tag of this name, created when missing. WordPress answers a
        duplicate create with `term_exists` and the existing id in data.term_id."""
        found = self.request("GET", f"wp/v2/{taxonomy}", params={"search": name, "per_page": 100})
        for term in found:
            if str(term.get("name", "")).strip().lower() == name.strip().lower():
                return int(term["id"])
        try:
            return int(self.request("POST", f"wp/v2/{taxonomy}", json={"name": name})["id"])
        except WordPressError as error:
            if error.code == "term_exists" and error.data.get("term_id"):
                return int(error.data["term_id"])
            raise


def _upload_headers(filename: str, content_type: str) -> dict:
    # WordPress names the file from Content-Disposition and refuses the upload without it.
    return {"Content-Type": content_type, "Content-Disposition": f'attachment; filename="{filename}"'}


def client_for_site(site, **kwargs: Any) -> WordPressClient:
    """A client for the site's WordPress, after the address check (UnsafeURL when refused)."""
    base = check_url(site.wp_url or site.url)
    password = (site.wp_secrets or {}).get("app_password", "")
    if not site.wp_username or not password:
        raise WordPressError(
            "The site has no WordPress username or application password; set both in the site's settings."
        )
    return WordPressClient(base_url=base, username=site.wp_username, app_password=password, **kwargs)
