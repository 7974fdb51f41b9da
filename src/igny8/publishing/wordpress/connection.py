"""The connection test: the REST index without credentials, then users/me with them. Each failure
names its likely cause: REST API blocked, HTTPS needed for application passwords, wrong username,
wrong password, the Authorization header stripped by the web server (told from a wrong password by
asking again as a user that cannot exist)."""

from __future__ import annotations

import secrets
from dataclasses import asdict, dataclass, field

from igny8.publishing.wordpress.client import WordPressClient
from igny8.publishing.wordpress.errors import HINTS, WordPressError


@dataclass
class ConnectionReport:
    ok: bool
    message: str
    code: str = ""
    site_name: str = ""
    user: str = ""
    can_publish: bool = False
    seo_plugin: str = ""
    checks: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


SEO_NAMESPACES = {"yoast/v1": "yoast", "rankmath/v1": "rankmath", "aioseo/v1": "aioseo"}


def authorization_header_seen(client: WordPressClient) -> bool:
    """Whether WordPress reads our Authorization header, asked with a user name no site has: a
    WordPress that sees the header refuses it by name (invalid_username), one whose web server
    strips the header answers as to anyone anonymous (rest_not_logged_in). Some WordPress versions
    (6.1 seen) answer rest_not_logged_in for a wrong application password of a real user too, so
    that answer alone cannot blame the web server."""
    probe_user = f"igny8-probe-{secrets.token_hex(6)}"
    try:
        client.me_as(username=probe_user, app_password=secrets.token_urlsafe(18))
    except WordPressError as error:
        return error.code != "rest_not_logged_in"
    return True  # accepted a user that cannot exist: not refused as anonymous either


def connection_test(client: WordPressClient) -> ConnectionReport:
    checks: list[dict] = []
    try:
        root = client.root()
    except WordPressError as error:
        message = error.message
        if error.status in (401, 403, 404) or error.code == "not_json":
            message = (
                f"The REST API at {client.url('')} is not reachable: it is blocked or disabled "
                f"(a security plugin or server rule), or the URL is not the site's root. {error.message}"
            )
        return ConnectionReport(ok=False, message=message, code=error.code or "rest_unreachable")
    namespaces = root.get("namespaces") or []
    checks.append({"check": "rest_api", "ok": "wp/v2" in namespaces})
    if "wp/v2" not in namespaces:
        return ConnectionReport(
            ok=False,
            code="rest_blocked",
            message="The REST index answered but without the wp/v2 routes: a plugin is hiding the REST API.",
            checks=checks,
        )
    seo = next((name for ns, name in SEO_NAMESPACES.items() if ns in namespaces), "")
    auth = (root.get("authentication") or {}).get("application-passwords")
    if auth is None and client.base_url.startswith("http://"):
        # WordPress leaves application passwords out of the index when they are unavailable.
        checks.append({"check": "application_passwords", "ok": False})
    try:
        me = client.me()
    except WordPressError as error:
        code, message = error.code or "auth_failed", error.message
        if error.code == "rest_not_logged_in" and client.username:
            header_seen = authorization_header_seen(client)
            checks.append({"check": "authorization_header", "ok": header_seen})
            code = "credentials_rejected" if header_seen else "rest_not_logged_in"
            message = HINTS[code]
        checks.append({"check": "credentials", "ok": False, "code": error.code})
        return ConnectionReport(ok=False, message=message, code=code, checks=checks)
    capabilities = me.get("capabilities") or {}
    # WordPress lists only the capabilities the user has: a Contributor's list has no
    # publish_posts at all (seen on a real WordPress 6.1). No list at all: we cannot tell.
    can_publish = bool(capabilities.get("publish_posts")) if capabilities else True
    checks.append({"check": "credentials", "ok": True})
    user = me.get("slug") or me.get("name") or client.username
    message = f"Connected to {root.get('name') or client.base_url} as {user}."
    if not can_publish:
        message += " This user cannot publish posts (only drafts/pending); give it the Author or Editor role."
    return ConnectionReport(
        ok=True,
        message=message,
        site_name=str(root.get("name") or ""),
        user=str(user),
        can_publish=can_publish,
        seo_plugin=seo,
        checks=checks,
    )
