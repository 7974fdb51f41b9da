"""WordPress's error codes turned into the likely cause and what to do about it."""

from __future__ import annotations


class WordPressError(Exception):
    def __init__(self, message: str, *, status: int = 0, code: str = "", retryable: bool = False, data=None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.retryable = retryable
        self.data = data or {}


HINTS = {
    "invalid_username": (
        "WordPress has no user with that username. Use the WordPress login name (Users > Profile > "
        "Username), not the application password's name."
    ),
    "incorrect_password": (
        "The application password is wrong. Create one under Users > Profile > Application Passwords "
        "and paste it exactly (spaces are fine); the account's normal password does not work here."
    ),
    "rest_not_logged_in": (
        "WordPress did not see the Authorization header, so the request arrived anonymous. The web "
        'server (Apache/CGI/FastCGI or a proxy) is stripping it: add `SetEnvIf Authorization "(.*)" '
        "HTTP_AUTHORIZATION=$1` to .htaccess (or `CGIPassAuth On`), or pass the header on in nginx."
    ),
    "credentials_rejected": (
        "WordPress sees the Authorization header but does not accept this username and application "
        "password: a user it does not know is refused by name, yours is refused as anonymous. Check "
        "the username (the WordPress login name) and create a new application password under Users > "
        "Profile > Application Passwords, then paste it exactly."
    ),
    "application_passwords_disabled": (
        "Application passwords are disabled: WordPress only allows them over HTTPS. Use the https:// "
        "address, or on a local test site set WP_ENVIRONMENT_TYPE to 'local' in wp-config.php. A "
        "security plugin may also turn them off."
    ),
    "rest_cannot_create": "The WordPress user may not create posts here; give it the Editor or Author role.",
    "rest_cannot_publish": (
        "The WordPress user may not publish (a Contributor can only write drafts): give it the "
        "Author or Editor role, or send the article as a draft."
    ),
    "rest_cannot_edit": "The WordPress user may not edit this post; give it the Editor role.",
    "rest_upload_no_content_disposition": (
        "WordPress refused the upload without a file name (Content-Disposition)."
    ),
    "rest_post_invalid_id": "The post no longer exists in WordPress.",
    "rest_no_route": (
        "WordPress answered that the REST route does not exist: the REST API is disabled or blocked "
        "(a security plugin, or a server rule on /wp-json/)."
    ),
    "rest_disabled": (
        "The REST API is disabled on this WordPress site (a security plugin); allow it for "
        "authenticated users."
    ),
}

# The same codes answered to a file upload (POST /wp/v2/media). WordPress refuses a user without
# upload_files with rest_cannot_create and "not allowed to create posts" (403, a Contributor) or
# "not allowed to upload media" (400), so the posts hint would send the user the wrong way.
UPLOAD_HINTS = {
    "rest_cannot_create": (
        "The WordPress user may not upload files (images): it needs the upload_files capability, "
        "which the Author role and above have; give it the Author role or higher."
    ),
}


def explain(*, status: int, code: str, message: str, upload: bool = False) -> str:
    hint = (UPLOAD_HINTS.get(code) if upload else None) or HINTS.get(code)
    if hint:
        return f"{hint} (WordPress: {code}, HTTP {status})"
    if status == 401:
        return f"WordPress refused the credentials (HTTP 401 {code}): {message}"
    if status == 403:
        why = message or "check the user role, or a firewall/security plugin blocking the REST API."
        return f"WordPress forbade the request (HTTP 403 {code or 'forbidden'}): {why}"
    if status == 404:
        why = message or "is this the site root, and is the REST API enabled?"
        return f"Not found on WordPress (HTTP 404 {code}): {why}"
    return f"WordPress answered HTTP {status} {code}: {message}".rstrip(": ")
