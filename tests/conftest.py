"""Shared fixtures: the tenancy triad of ARCHITECTURE.md section 5.

alice owns account A, bob is a viewer in A, charlie owns account B. Each account has a site
with a sector; A's site holds a few keywords."""

from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from igny8.accounts import services
from igny8.accounts.models import Account, Membership, Role, Sector, Site, User
from igny8.accounts.tokens import token_create


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # PBKDF2's deliberate slowness is the point in production and ~0.3 s per test user here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fresh_cache(request):
    """The rate limits count in the cache: every test starts with none spent. The cache is a
    database table, so only a test that has the database has a cache to clear (its database is
    set up first: autouse fixtures otherwise run before it)."""
    from django.core.cache import cache

    from igny8.ai import pacing

    pacing._LOCAL.clear()  # the offline provider's pace lives in process memory
    if "_django_db_helper" not in request.fixturenames and not request.node.get_closest_marker("django_db"):
        yield
        return
    request.getfixturevalue("_django_db_helper")
    cache.clear()
    yield
    cache.clear()


@dataclass
class Tenant:
    user: User
    account: Account
    site: Site
    sector: Sector
    token: str

    def client(self) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {self.token}")
        return client


def make_tenant(*, email: str, account_name: str, site_name: str = "Site") -> Tenant:
    user = services.user_create(email=email, password="correct-horse-battery")
    account = services.account_create(name=account_name, owner=user)
    site = services.site_create(account=account, name=site_name, url="https://example.com")
    sector = services.sector_create(site=site, name="Coffee", description="Home coffee brewing")
    return Tenant(user, account, site, sector, token_create(user=user))


@pytest.fixture
def alice(db) -> Tenant:
    return make_tenant(email="alice@example.com", account_name="Account A", site_name="Alice Site")


@pytest.fixture
def bob(alice) -> Tenant:
    """A viewer in alice's account."""
    user = services.user_create(email="bob@example.com", password="correct-horse-battery")
    Membership.objects.create(user=user, account=alice.account, role=Role.VIEWER)
    return Tenant(user, alice.account, alice.site, alice.sector, token_create(user=user))


@pytest.fixture
def charlie(db) -> Tenant:
    return make_tenant(email="charlie@example.com", account_name="Account B", site_name="Charlie Site")


@pytest.fixture
def api(alice) -> APIClient:
    return alice.client()


def _redis_up() -> bool:
    import socket

    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


# What a test asks for when it touches the database (pytest-django's fixtures; the django_db marker
# requests them too).
DATABASE_FIXTURES = frozenset({"db", "transactional_db", "live_server", "django_db_reset_sequences"})


def pytest_collection_modifyitems(config, items):
    """Service-backed tests run when their service is there (.ci/run starts them) and skip with
    the reason otherwise, so the default suite passes on any machine."""
    from django.conf import settings

    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    redis_up = None
    for item in items:
        if "no_database" in item.keywords and (
            DATABASE_FIXTURES & set(item.fixturenames) or item.get_closest_marker("django_db")
        ):
            raise pytest.UsageError(f"{item.nodeid} is marked no_database but uses the database")
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(
                pytest.mark.skip(
                    reason="needs PostgreSQL: run with DATABASE_URL=postgresql://postgres@127.0.0.1:5432/igny8"
                )
            )
        if "redis" in item.keywords:
            redis_up = _redis_up() if redis_up is None else redis_up
            if not redis_up:
                item.add_marker(pytest.mark.skip(reason="needs Redis on 127.0.0.1:6379"))


@pytest.fixture
def wp(settings):
    """A fake WordPress on a loopback port (tests/publishing/fake_wp.py); stops after the test.
    The operator's outbound allow-list lets the server reach it, as for a WordPress on the same host."""
    from tests.publishing.fake_wp import FakeWordPress

    settings.OUTBOUND_ALLOW = ["127.0.0.1"]
    fake = FakeWordPress().start()
    yield fake
    fake.stop()


@pytest.fixture
def wp_site(alice, wp):
    """alice's site publishing to the fake WordPress."""
    site = alice.site
    site.wp_url, site.wp_username = wp.url, "editor"
    site.wp_secrets = {"app_password": "abcd efgh ijkl mnop"}
    site.save()
    return site


@pytest.fixture
def publish_worker(monkeypatch, django_capture_on_commit_callbacks):
    """The worker of queued publications: `with publish_worker():` around a request; when its
    transaction commits (the end of the block) the publish_records messages it enqueued run here,
    as a worker would take them from the broker. Inside the block nothing has been sent yet."""
    from igny8.publishing import tasks

    monkeypatch.setattr(tasks.publish_records, "delay", lambda ids: tasks.publish_records(ids))
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def enqueued(monkeypatch):
    """Captures what would go to the broker (run_ai_task messages) instead of sending it."""
    from igny8.ai.tasks import run_ai_task

    sent = []
    monkeypatch.setattr(run_ai_task, "apply_async", lambda args, task_id: sent.append((args, task_id)))
    return sent


@pytest.fixture
def mail_worker(monkeypatch, django_capture_on_commit_callbacks):
    """A worker for the emails of accounts/emails.py: `with mail_worker():` around a request runs the
    email jobs it queued once its transaction commits, in this process (Celery's `apply`, retries
    included), so `mail.outbox` holds what a worker would have sent. A transactional test (the live
    server's) commits for real: asking for the fixture is enough there."""
    from igny8.accounts import emails
    from igny8.accounts.tasks import send_email
    from igny8.core import jobs

    real_send = jobs.send

    def send(*, task_name: str, args: list, task_id: str | None = None) -> bool:
        if task_name != emails.TASK:
            return real_send(task_name=task_name, args=args, task_id=task_id)
        send_email.apply(args=args, task_id=task_id)
        return True

    monkeypatch.setattr(jobs, "send", send)
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def broker(monkeypatch) -> list[tuple[str, list]]:
    """The broker, replaced by a list of the (task name, arguments) core.jobs sends to it."""
    sent: list[tuple[str, list]] = []
    monkeypatch.setattr(
        "igny8.core.jobs.send",
        lambda *, task_name, args, task_id=None: sent.append((task_name, args)) or True,
    )
    return sent
