"""The address people reach this instance at, for links that leave it (emails, webhook URLs).

Behind a proxy the request's Host is what the proxy sent; an emailed link must not depend on it.
IGNY8_PUBLIC_URL (e.g. https://seo.example.com) decides when set; otherwise the request's own
address, whose Host Django has already checked against ALLOWED_HOSTS."""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest


def public_base(*, request: HttpRequest) -> str:
    """The instance's base URL, ending in '/'."""
    configured = settings.PUBLIC_URL
    if configured:
        return configured.rstrip("/") + "/"
    return request.build_absolute_uri("/")


def public_url(*, request: HttpRequest, path: str) -> str:
    return public_base(request=request) + path.lstrip("/")


def public_domain(*, request: HttpRequest) -> tuple[str, bool]:
    """(host[:port], https?) for Django's password-reset email, which builds its own link."""
    parts = urlsplit(public_base(request=request))
    return parts.netloc, parts.scheme == "https"
