import pytest

from igny8.automation import dispatch, execution
from igny8.automation.models import ScheduledTask, TaskStatus
from igny8.planner.models import Keyword
from tests.automation import fakes
from tests.publishing.fake_wp import FakeWordPress


@pytest.fixture(autouse=True)
def _automation_sandbox(settings, monkeypatch):
    """Offline provider, the fake AI functions, AI runs inline, nothing sent to a broker."""
    settings.OPENAI_API_KEY = ""
    settings.RUNWARE_API_KEY = ""
    settings.OPENAI_BASE_URL = ""
    settings.AUTOMATION_AI_THREADED = False
    saved = fakes.install()
    yield
    fakes.restore(saved)


@pytest.fixture
def sent(monkeypatch):
    """Execution ids handed to the broker (on commit), instead of sending them."""
    ids: list[int] = []
    monkeypatch.setattr(dispatch, "send", ids.append)
    monkeypatch.setattr(dispatch, "enqueue", ids.append)
    return ids


@pytest.fixture
def wp():
    """A fake WordPress on a loopback port (tests/publishing/fake_wp.py)."""
    fake = FakeWordPress().start()
    yield fake
    fake.stop()


@pytest.fixture
def wp_site(alice, wp):
    """alice's site publishing to the fake WordPress (a local/dev site may use 127.0.0.1)."""
    site = alice.site
    site.wp_url, site.wp_username, site.is_local_dev = wp.url, "editor", True
    site.wp_secrets = {"app_password": "abcd efgh ijkl mnop"}
    site.save()
    return site


def run_pending() -> list[str | None]:
    """What the workers would do: execute every pending execution, oldest first."""
    statuses = []
    while True:
        task = ScheduledTask.objects.filter(status=TaskStatus.PENDING).order_by("scheduled_at", "pk").first()
        if task is None:
            return statuses
        statuses.append(execution.execute(task_id=task.pk))
        if statuses[-1] is None:
            return statuses


def add_keywords(tenant, *words: str) -> list[int]:
    return [
        Keyword.objects.create(account=tenant.account, site=tenant.site, keyword=w, normalized=w).pk
        for w in words
    ]


CHAIN = [
    {"type": "cluster_keywords", "params": {}},
    {"type": "generate_ideas", "params": {}},
    {"type": "generate_content", "params": {}},
    {"type": "generate_images", "params": {}},
]
