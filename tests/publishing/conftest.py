"""Publishing tests: a fake WordPress on a loopback port (fake_wp.py), alice's site pointed at it
(the operator's outbound allow-list lets 127.0.0.1 through), no waiting between retries."""

import pytest
from django.core.files.base import ContentFile

from igny8.planner.models import Cluster, ContentIdea
from igny8.writer.models import Content, Image, Task


@pytest.fixture(autouse=True)
def _fast_retries(settings):
    settings.WORDPRESS_RETRY_BASE_SECONDS = 0
    settings.WORDPRESS_RETRY_MAX_SECONDS = 0
    settings.WORDPRESS_TIMEOUT_SECONDS = 5
    settings.OPENAI_API_KEY = ""
    settings.RUNWARE_API_KEY = ""
    settings.OPENAI_BASE_URL = ""


@pytest.fixture
def site(wp_site):
    return wp_site


def make_article(tenant, *, title, html, cluster=None, primary="", secondary=(), target=1500, **fields):
    idea = ContentIdea.objects.create(
        account=tenant.account,
        site=tenant.site,
        cluster=cluster,
        title=title,
        primary_keyword=primary,
        secondary_keywords=list(secondary),
    )
    task = Task.objects.create(
        account=tenant.account,
        site=tenant.site,
        idea=idea,
        cluster=cluster,
        title=title,
        word_count_target=target,
    )
    return Content.objects.create(
        account=tenant.account, site=tenant.site, task=task, title=title, html=html, **fields
    )


def generated_image(
    content: Content, *, name: str, data: bytes, image_type: str = "in_article", position: int = 0, **fields
) -> Image:
    """A generated image of the content, its file saved under `name`."""
    image = Image(
        account=content.account,
        site=content.site,
        content=content,
        image_type=image_type,
        position=position,
        status="generated",
        **fields,
    )
    image.file.save(name, ContentFile(data), save=True)
    return image


@pytest.fixture
def cluster(alice):
    return Cluster.objects.create(account=alice.account, site=alice.site, name="Espresso machines")


@pytest.fixture
def server(settings):
    """A loopback server of sitemaps (tests/publishing/sitemap_server.py), allowed by the operator's
    outbound allowance as the fake WordPress is."""
    from tests.publishing.sitemap_server import SitemapServer

    settings.OUTBOUND_ALLOW = ["127.0.0.1"]
    fake = SitemapServer().start()
    yield fake
    fake.stop()
