import pytest

from igny8.automation import dispatch, execution
from igny8.automation.models import ScheduledTask, TaskStatus
from igny8.planner.models import Keyword
from tests.automation import fakes


@pytest.fixture(autouse=True)
def _automation_sandbox(settings, monkeypatch):
    """Offline provider, the fake AI functions, AI runs inline, nothing sent to a broker."""
    # The offline provider is free in the app (billing/selectors.py); these tests use it as the
    # network-free provider for credit estimates and caps, so here it keeps the table's prices.
    monkeypatch.setattr("igny8.billing.selectors.FREE_PROVIDERS", ())
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
