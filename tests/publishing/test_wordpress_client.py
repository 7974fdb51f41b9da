"""The WordPress client and connection test against the fake WordPress and its quirks."""

import pytest

from igny8.publishing import services
from igny8.publishing.wordpress import UnsafeURL, WordPressClient, WordPressError, check_url
from igny8.publishing.wordpress.errors import HINTS


def client(wp, **kwargs):
    return WordPressClient(base_url=wp.url, username="editor", app_password="abcd efgh ijkl mnop", **kwargs)


def test_connection_ok(site, wp):
    report = services.site_connection_test(site=site)
    assert report.ok is True
    assert report.message == "Connected to Fake WP as editor."
    assert report.seo_plugin == "yoast"
    assert report.can_publish is True


def test_connection_of_a_contributor_says_it_cannot_publish(site, wp):
    """WordPress leaves publish_posts out of a Contributor's capability list (it does not say
    false): a missing capability is one the user does not have."""
    wp.contributor = True
    report = services.site_connection_test(site=site)
    assert (report.ok, report.can_publish) == (True, False)
    assert report.message == (
        "Connected to Fake WP as editor. This user cannot publish posts (only drafts/pending); "
        "give it the Author or Editor role."
    )


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"wp_username": "Publisher app"}, "invalid_username"),
        ({"wp_secrets": {"app_password": "wrong"}}, "incorrect_password"),
    ],
)
def test_connection_wrong_credentials_name_the_cause(site, wp, change, code):
    for name, value in change.items():
        setattr(site, name, value)
    site.save()
    report = services.site_connection_test(site=site)
    assert (report.ok, report.code) == (False, code)
    assert report.message == f"{HINTS[code]} (WordPress: {code}, HTTP 401)"


def test_connection_stripped_authorization_header(site, wp):
    wp.strip_auth = True
    report = services.site_connection_test(site=site)
    assert (report.ok, report.code) == (False, "rest_not_logged_in")
    assert report.message == HINTS["rest_not_logged_in"]
    assert "SetEnvIf Authorization" in report.message
    assert {"check": "authorization_header", "ok": False} in report.checks
    # The probe asked as a user no site has, with the header (which the server stripped).
    assert wp.count("GET", "/wp-json/wp/v2/users/me") == 2


def test_connection_wrong_password_answered_as_anonymous_is_not_blamed_on_the_server(site, wp):
    """WordPress 6.1 answered a wrong application password with rest_not_logged_in; the probe with
    an unknown user is refused by name, so the header arrives and the password is the problem."""
    wp.anonymous_bad_password = True
    site.wp_secrets = {"app_password": "wrong"}
    site.save()
    report = services.site_connection_test(site=site)
    assert (report.ok, report.code) == (False, "credentials_rejected")
    assert report.message == HINTS["credentials_rejected"]
    assert "SetEnvIf" not in report.message
    assert {"check": "authorization_header", "ok": True} in report.checks
    assert {"check": "credentials", "ok": False, "code": "rest_not_logged_in"} in report.checks


def test_connection_api_names_a_wrong_password_answered_as_anonymous(site, wp, alice):
    wp.anonymous_bad_password = True
    site.wp_secrets = {"app_password": "wrong"}
    site.save()
    response = alice.client().post(f"/api/v1/publishing/sites/{site.pk}/test_connection/", format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["data"]["code"] == "credentials_rejected"
    assert body["message"] == HINTS["credentials_rejected"]


def test_connection_application_passwords_need_https(site, wp):
    wp.https_only = True
    report = services.site_connection_test(site=site)
    assert (report.ok, report.code) == (False, "application_passwords_disabled")
    assert report.message.startswith(
        "Application passwords are disabled: WordPress only allows them over HTTPS."
    )
    assert {"check": "application_passwords", "ok": False} in report.checks


def test_connection_rest_api_blocked(site, wp):
    site.wp_url = wp.url + "/blocked"
    site.save()
    report = services.site_connection_test(site=site)
    assert report.ok is False
    assert report.message.startswith(f"The REST API at {wp.url}/blocked/wp-json/ is not reachable")


def test_connection_without_password_says_so(site):
    site.wp_secrets = {}
    site.save()
    report = services.site_connection_test(site=site)
    assert (report.ok, report.code) == (False, "not_configured")
    assert report.message == (
        "The site has no WordPress username or application password; set both in the site's settings."
    )


def test_media_upload_needs_content_disposition(wp):
    with client(wp) as wp_client, pytest.raises(WordPressError) as caught:
        wp_client.request("POST", "wp/v2/media", content=b"x", headers={"Content-Type": "image/png"})
    assert (caught.value.status, caught.value.code) == (400, "rest_upload_no_content_disposition")
    with client(wp) as wp_client:
        media = wp_client.upload_media(
            filename="a.png", data=b"png", content_type="image/png", alt_text="A cup", title="A cup"
        )
    assert media["source_url"] == f"{wp.url}/wp-content/uploads/a.png"
    assert media["alt_text"] == "A cup"


def test_term_exists_is_resolved_to_the_existing_term(wp):
    existing = wp.add_term("categories", "Tea & Coffee")
    with client(wp) as wp_client:
        assert wp_client.term_id(taxonomy="categories", name="Tea & Coffee") == existing
        created = wp_client.term_id(taxonomy="categories", name="Grinders")
        assert wp_client.term_id(taxonomy="categories", name="grinders") == created
    assert wp.count("POST", "/wp-json/wp/v2/categories") == 2  # Tea & Coffee (term_exists), Grinders


def test_retries_on_503_then_succeeds(wp):
    wp.fail_next = [503, 429]
    with client(wp) as wp_client:
        assert wp_client.me()["slug"] == "editor"
    assert wp.count("GET", "/wp-json/wp/v2/users/me") == 3


def test_retries_are_bounded(wp):
    wp.fail_next = [503, 503, 503, 503]
    with client(wp, max_attempts=3) as wp_client, pytest.raises(WordPressError) as caught:
        wp_client.me()
    assert (caught.value.status, caught.value.retryable) == (503, True)
    assert wp.count("GET", "/wp-json/wp/v2/users/me") == 3
    assert wp.fail_next == [503]


def test_url_check_accepts_a_public_address(monkeypatch):
    from igny8.core import outbound

    monkeypatch.setattr(outbound, "_resolve", lambda host, port: ["93.184.216.34"])
    assert check_url("https://blog.example.org/") == "https://blog.example.org"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.org", "The WordPress URL must start with http:// or https://."),
        ("file:///etc/passwd", "The WordPress URL must start with http:// or https://."),
        ("http://user:pw@example.org", "The WordPress URL must not contain a user name or password."),
        ("http://127.0.0.1:8080", "127.0.0.1 is a private, loopback or reserved address;"),
        ("http://[::1]/", "::1 is a private, loopback or reserved address;"),
        ("http://intranet.example.org", "intranet.example.org points to a private, loopback or reserved"),
    ],
)
def test_url_check_refuses(url, message, monkeypatch):
    from igny8.core import outbound

    monkeypatch.setattr(outbound, "_resolve", lambda host, port: ["192.168.1.4"])
    with pytest.raises(UnsafeURL) as caught:
        check_url(url)
    assert str(caught.value).startswith(message)


def test_private_wordpress_refused_without_the_operators_allow_list(site, wp, settings):
    settings.OUTBOUND_ALLOW = []
    report = services.site_connection_test(site=site)
    assert report.ok is False
    assert report.message == (
        "127.0.0.1 is a private, loopback or reserved address; the server does not connect there. "
        "An operator can allow it with IGNY8_OUTBOUND_ALLOW."
    )
    assert wp.requests == []
