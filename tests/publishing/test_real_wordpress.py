"""Against a real WordPress (docs/wordpress.md says how to start one locally); skipped unless
WORDPRESS_TEST_URL, WORDPRESS_TEST_USER and WORDPRESS_TEST_APP_PASSWORD are set."""

import os
from datetime import UTC, datetime, timedelta

import pytest

from igny8.publishing import services
from tests.publishing.conftest import make_article

NEEDED = ("WORDPRESS_TEST_URL", "WORDPRESS_TEST_USER", "WORDPRESS_TEST_APP_PASSWORD")
pytestmark = pytest.mark.skipif(
    not all(os.environ.get(name) for name in NEEDED),
    reason="needs a real WordPress: set WORDPRESS_TEST_URL, WORDPRESS_TEST_USER, WORDPRESS_TEST_APP_PASSWORD",
)


@pytest.fixture
def real_site(alice, settings):
    # A local test WordPress is on this machine: the operator's allow-list lets the server reach it.
    settings.OUTBOUND_ALLOW = [*settings.OUTBOUND_ALLOW, "127.0.0.1", "localhost"]
    site = alice.site
    site.wp_url = os.environ["WORDPRESS_TEST_URL"]
    site.wp_username = os.environ["WORDPRESS_TEST_USER"]
    site.wp_secrets = {"app_password": os.environ["WORDPRESS_TEST_APP_PASSWORD"]}
    site.save()
    return site


def test_real_wordpress_connection_publish_republish_and_future(alice, real_site, cluster):
    assert services.site_connection_test(site=real_site).ok is True
    stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    content = make_article(
        alice,
        title=f"IGNY8 test {stamp}",
        html="<h2>One</h2><p>Hello.</p>",
        cluster=cluster,
        slug=f"igny8-{stamp}",
    )
    first = services.content_publish(
        content=content, wp_status="draft", categories=["IGNY8 tests"], link=False
    )
    assert (first.status, first.remote_status, first.error) == ("published", "draft", "")
    again = services.content_publish(
        content=content, wp_status="draft", categories=["IGNY8 tests"], link=False
    )
    assert again.external_id == first.external_id
    when = datetime.now(UTC) + timedelta(days=1)
    future = services.content_publish(content=content, wp_status="future", wp_date=when, link=False)
    assert (future.remote_status, future.external_id) == ("future", first.external_id)
