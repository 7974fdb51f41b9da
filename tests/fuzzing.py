"""Schemathesis over the app's own OpenAPI schema, in process: shared by tests/api/test_fuzz.py (a
bounded run with a fixed seed) and bench/fuzz_api.py (a run for a number of seconds).

Requests go through the WSGI application (no server, no network) as an account owner. Provider
calls never leave the machine: no key is configured and the provider factory answers with an
offline provider, so even a request that carries an apiKey or a base_url is drawn locally."""

from __future__ import annotations

import logging
import socket
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, given, seed, settings, strategies
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from igny8.ai.providers.offline import OfflineProvider

FUZZ_SEED = 20261117
SCHEMA_PATH = "/api/schema/"


class OfflineCheckingProvider(OfflineProvider):
    """The offline provider, plus the key check the integration test endpoints call."""

    def check(self) -> dict:
        return {"models": ["offline"]}


def offline_providers(*, settings_obj: Any, patch: Callable[[Any, str, Any], None]) -> None:
    """No operator key, and every provider the factory builds is offline (`patch` is
    monkeypatch.setattr in tests, setattr in the bench)."""
    from igny8.ai.providers import factory

    settings_obj.OPENAI_API_KEY = ""
    settings_obj.RUNWARE_API_KEY = ""
    settings_obj.OPENAI_BASE_URL = ""
    patch(factory, "build_provider", lambda config: OfflineCheckingProvider())


LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})


def loopback_only(*, patch: Callable[[Any, str, Any], None]) -> None:
    """Name resolution answers for loopback only: a fuzzed WordPress or sitemap address fails as an
    unreachable host would (which must still not be a 500), and nothing leaves the machine."""
    resolve = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name.strip("[]").lower() not in LOOPBACK:
            raise socket.gaierror(socket.EAI_NONAME, f"no network in the fuzz run ({name})")
        return resolve(host, *args, **kwargs)

    patch(socket, "getaddrinfo", getaddrinfo)


def seed_rows(*, account, site, sector) -> tuple[int, ...]:
    """A few rows of every kind; returns their ids (and the site's and sector's), for Target.known_ids:
    ids that reach real objects, so the handlers' deeper paths run, not only their 404s."""
    from igny8.planner.models import Cluster, ContentIdea, Keyword
    from igny8.writer.models import Content, Image, ImageType, Task

    owned = {"account": account, "site": site, "sector": sector}
    cluster = Cluster.objects.create(name=f"Grinders {site.pk}", **owned)
    keywords = [
        Keyword.objects.create(
            keyword=f"burr grinder {n}", normalized=f"burr grinder {n}", cluster=cluster, **owned
        )
        for n in range(6)
    ]
    idea = ContentIdea.objects.create(cluster=cluster, title="Choosing a burr grinder", **owned)
    task = Task.objects.create(idea=idea, cluster=cluster, title="Choosing a burr grinder", **owned)
    content = Content.objects.create(task=task, title="Choosing a burr grinder", html="<p>Draft</p>", **owned)
    image = Image.objects.create(content=content, image_type=ImageType.FEATURED, prompt="A grinder", **owned)
    rows = [site, sector, cluster, keywords[0], idea, task, content, image]
    return tuple(sorted({row.pk for row in rows}))


@dataclass(frozen=True)
class Target:
    """Who the requests act as: a fresh bearer token per operation (a fuzzed request may revoke the
    previous one, and the rest of the run would only see 401s), the account, and the row ids that
    a third of the cases put in the path (random ids would almost only find 404s)."""

    token_for: Callable[[], str]
    account_id: int
    known_ids: tuple[int, ...]


@dataclass
class Report:
    operations: int = 0
    cases: int = 0
    per_operation: dict[str, Counter] = field(default_factory=dict)
    seconds: Counter = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)

    def record(self, *, label: str, status: int, error: str | None) -> None:
        self.cases += 1
        self.per_operation.setdefault(label, Counter())[status] += 1
        if error is not None:
            self.server_errors.append(error)

    def errors_of(self, label: str) -> int:
        return sum(n for status, n in self.per_operation.get(label, Counter()).items() if status >= 500)

    def describe_errors(self, limit: int = 10) -> str:
        """One example per distinct cause (what was raised, and where), most frequent first."""
        by_cause: dict[str, list[str]] = {}
        for error in self.server_errors:
            by_cause.setdefault(error.split(": ", 1)[-1].split("\n")[0], []).append(error)
        ranked = sorted(by_cause.values(), key=len, reverse=True)[:limit]
        shown = "\n\n".join(f"[{len(errors)}x] {errors[0]}" for errors in ranked)
        return f"{len(self.server_errors)} server error(s) of {len(by_cause)} cause(s):\n{shown}"


class RaisedInViews:
    """What the views raised (Django's got_request_exception), so a 500 names its cause: the
    exception and the last frames of our code, not the generic error page."""

    def __init__(self) -> None:
        self.last = ""

    def __call__(self, sender, request=None, **kwargs) -> None:
        kind, error, tb = sys.exc_info()
        frames = [f for f in traceback.extract_tb(tb) if "/igny8/" in f.filename][-3:]
        where = " <- ".join(f"{f.filename.split('/igny8/')[-1]}:{f.lineno}" for f in reversed(frames))
        self.last = f"{kind.__name__ if kind else '?'}: {str(error)[:200]} at {where or '?'}"

    def take(self) -> str:
        last, self.last = self.last, ""
        return last


def _error_text(case, response, cause: str) -> str:
    headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
    return (
        f"{case.operation.label} -> {response.status_code}: {cause}\n"
        f"  path={case.formatted_path!r} query={case.query!r} headers={headers!r}\n"
        f"  body={str(case.body)[:400]!r}"
    )


def _strategy(operation, target: Target):
    """Valid and invalid data as generated, plus valid data aimed at existing rows of the account."""
    aimed = strategies.sampled_from(target.known_ids).flatmap(
        lambda pk: operation.as_strategy(
            generation_mode=GenerationMode.POSITIVE,
            path_parameters={"id": pk} if "{id}" in operation.path else None,
            headers={"X-Account-ID": str(target.account_id)},
        )
    )
    return strategies.one_of(
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
        aimed,
    )


def fuzz_operation(
    *, operation, target: Target, max_examples: int, seed_value: int, report: Report, raised: RaisedInViews
) -> None:
    """max_examples generated requests to one operation; each 5xx is recorded with its cause."""
    token = target.token_for()

    @seed(seed_value)
    @settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=_strategy(operation, target))
    def run(case) -> None:
        raised.take()
        response = case.call(headers={"Authorization": f"Bearer {token}"})
        error = None
        try:
            case.validate_response(response, checks=[not_a_server_error])
        except schemathesis.errors.FailureGroup:  # recorded; the run goes on to the next case
            error = _error_text(case, response, raised.take() or "no exception reached Django")
        report.record(label=operation.label, status=response.status_code, error=error)

    run()


def fuzz_operations(
    *,
    target: Target,
    max_examples: int,
    seed_value: int = FUZZ_SEED,
    report: Report | None = None,
    stop_at: float | None = None,
) -> Report:
    """Every operation of the schema in turn, the DELETEs last so that the rows the others aim at
    are still there; stops early at `stop_at` (time.monotonic())."""
    from django.core.signals import got_request_exception

    from igny8.config.wsgi import application

    report = report or Report()
    operations = [
        result.ok()
        for result in schemathesis.openapi.from_wsgi(SCHEMA_PATH, application).get_all_operations()
    ]
    operations.sort(key=lambda operation: operation.method.upper() == "DELETE")
    raised = RaisedInViews()
    got_request_exception.connect(raised)
    # Every 4xx and 5xx would be logged, the 5xx with a traceback; the report names their causes.
    request_log = logging.getLogger("django.request")
    level, request_log.level = request_log.level, logging.CRITICAL
    try:
        for operation in operations:
            if stop_at is not None and time.monotonic() >= stop_at:
                break
            started = time.monotonic()
            report.operations += 1
            fuzz_operation(
                operation=operation,
                target=target,
                max_examples=max_examples,
                seed_value=seed_value,
                report=report,
                raised=raised,
            )
            report.seconds[operation.label] += time.monotonic() - started
    finally:
        got_request_exception.disconnect(raised)
        request_log.level = level
    return report
