"""The tenancy proof: every API endpoint, walked as an outsider (charlie, owner of account B) and
as a viewer of account A (bob) attempting writes. Each attempt must be refused and leave account
A's rows exactly as they were. Routes are enumerated from the URL resolver, so an endpoint added
later is walked without editing this test."""

import json
import re

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

from igny8.accounts.models import Account, Invitation, Membership
from igny8.automation.models import AutomationRule, ScheduledTask
from igny8.planner.models import Cluster, ContentIdea, Keyword, KeywordImport
from igny8.publishing.models import PublishRecord, SitemapImport
from igny8.system.models import AIPrompt, AuthorProfile, IntegrationSettings, ProviderCheck
from igny8.writer.models import Content, Image, Task

WRITE_METHODS = ("post", "put", "patch", "delete")
# Sign-in by password and the router's index of routes: no tenant data behind them.
OPEN_ENDPOINTS = {"/api/v1/auth/token/", "/api/v1/"}
# Inbound automation webhooks: no login, a per-rule HMAC signature (tests/automation/test_api.py).
OPEN_ENDPOINTS |= {"/api/v1/automation/webhooks/open/"}
# The signed-in user's own API tokens: per user, not per account. tests/accounts/test_tokens.py
# walks them as another user (404, nothing revoked) and without a login (401).
USER_ROUTES = {"auth-token-list", "auth-token-detail"}
# Reads for owners and admins only (who is invited, and by whom): a viewer gets 403.
MANAGER_READS = {"/api/v1/accounts/invitations/"}
# A settings test's answer (a key's models, a test image) is for those who may run the test.
MANAGER_READ_ROUTES = {"integration-check-status"}


def api_routes():
    """(path template, {method: view}) for every route under /api/v1/, formats excluded."""
    routes = []

    def walk(patterns, prefix=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                template = prefix + str(entry.pattern)
                if not template.startswith("api/v1/") or "format" in template or entry.name in USER_ROUTES:
                    continue
                callback = entry.callback
                actions = getattr(callback, "actions", None)
                if actions:
                    methods = set(actions)
                else:
                    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
                    methods = {m for m in ("get", *WRITE_METHODS) if hasattr(view_class, m)}
                routes.append((template, entry, methods))

    walk(get_resolver().url_patterns)
    return routes


@pytest.fixture
def world(alice, bob):
    """One of everything in account A, by the router basename of its routes."""
    from igny8.ai.models import AIRun
    from igny8.billing.models import CreditTransaction, CreditUsageLog

    keyword = Keyword.objects.create(
        account=alice.account, site=alice.site, keyword="alice secret kw", normalized="alice secret kw"
    )
    cluster = Cluster.objects.create(account=alice.account, site=alice.site, name="alice cluster")
    idea = ContentIdea.objects.create(
        account=alice.account, site=alice.site, cluster=cluster, title="alice idea"
    )
    task = Task.objects.create(account=alice.account, site=alice.site, idea=idea, title="alice task")
    content = Content.objects.create(account=alice.account, site=alice.site, task=task, title="alice content")
    image = Image.objects.create(
        account=alice.account, site=alice.site, content=content, prompt="alice image"
    )
    IntegrationSettings.objects.create(
        account=alice.account,
        integration_type="openai",
        config={"model": "gpt-4o-mini"},
        secrets={"apiKey": "sk-alice-0000"},
    )
    AIPrompt.objects.create(
        account=alice.account, prompt_type="clustering", value="alice {sector} {keywords}"
    )
    run = AIRun.objects.create(
        account=alice.account,
        site=alice.site,
        task_id="alice-run-0001",
        function_name="auto_cluster",
        status="success",
        message="alice run",
    )
    usage = CreditUsageLog.objects.create(
        account=alice.account,
        run_id=run.task_id,
        operation="cluster_keywords",
        provider="openai",
        model="gpt-4o-mini",
        credits=1,
    )
    ledger = CreditTransaction.objects.get(account=alice.account)  # the opening grant
    member = Membership.objects.get(user=bob.user)
    invitation = Invitation.objects.create(account=alice.account, email="alice-invitee@example.com")
    rule = AutomationRule.objects.create(
        account=alice.account, site=alice.site, name="alice rule", actions=[{"type": "generate_content"}]
    )
    execution = ScheduledTask.objects.create(
        account=alice.account, rule=rule, site=alice.site, scheduled_at=rule.created_at
    )
    profile = AuthorProfile.objects.create(account=alice.account, name="alice voice", language="de")
    check = ProviderCheck.objects.create(account=alice.account, kind="openai")
    keyword_import = KeywordImport.objects.create(
        account=alice.account, site=alice.site, file_name="a.csv", file_path="imports/a.csv", file_size=1
    )
    record = PublishRecord.objects.create(account=alice.account, site=alice.site, content=content)
    sitemap_import = SitemapImport.objects.create(
        account=alice.account, site=alice.site, url="https://example.com/sitemap.xml"
    )
    return {
        "author-profile": profile.pk,
        "keyword": keyword.pk,
        "cluster": cluster.pk,
        "idea": idea.pk,
        "task": task.pk,
        "content": content.pk,
        "image": image.pk,
        "site": alice.site.pk,
        "sector": alice.sector.pk,
        "member": member.pk,
        "invitation": invitation.pk,
        "ai-run": run.task_id,
        "credit-usage": usage.pk,
        "credit-transaction": ledger.pk,
        "automationrule": rule.pk,
        "scheduledtask": execution.pk,
        "publish-record": record.pk,
        # URL parameters that are not router primary keys:
        "task_id": run.task_id,
        "integration_type": "openai",
        "prompt_type": "clustering",
        "rule_public_id": "open",  # the webhook route: no login, HMAC-signed (OPEN_ENDPOINTS)
        "check_id": check.pk,  # a settings test (system/provider_checks.py)
        "import_id": keyword_import.pk,  # a background keyword import (planner/import_jobs.py)
        "sitemap_import_id": sitemap_import.pk,  # a sitemap read by a worker (publishing/sitemap_jobs.py)
    }


def snapshot(account: Account) -> str:
    """Every row of every model that belongs to the account, as text."""
    rows = {"account": list(Account.objects.filter(pk=account.pk).values())}
    for model in apps.get_models():
        names = {f.name for f in model._meta.get_fields()}
        if "account" in names and model is not Account:
            rows[model._meta.label] = list(model.objects.filter(account=account).order_by("pk").values())
    return json.dumps(rows, default=str, sort_keys=True)


def fill(template: str, entry, ids: dict) -> str:
    """A concrete URL for a route, pointing at account A's object of that resource. A detail route
    whose resource the world fixture does not hold fails the test: add one of it to `world`."""
    name = entry.name or ""
    basenames = sorted((key for key in ids if name.startswith(key + "-")), key=len, reverse=True)

    def replace(match):
        param = match.group(1).split(":")[-1]
        if param in ids:
            return str(ids[param])
        assert basenames, f"route {template} ({name}) needs an object of account A in the world fixture"
        return str(ids[basenames[0]])

    path = re.sub(r"\(\?P<([^>]+)>[^)]*\)", replace, template).replace("^", "").replace("$", "")
    path = re.sub(r"<([^>]+)>", replace, path)
    return "/" + path


def payload_for(ids: dict, alice) -> dict:
    """A body that would be valid for account A, so a refusal is about tenancy, not shape."""
    return {
        "ids": [value for value in ids.values() if isinstance(value, int)],
        "status": "archived",
        "site": alice.site.pk,
        "site_id": alice.site.pk,
        "keyword": "new",
        "name": "new",
        "title": "new",
        "content": ids["content"],
        "email": "nobody@example.com",
        "role": "owner",
        "value": "x {sector} {keywords}",
        "model": "gpt-4o",
    }


def test_every_route_is_walked(world):
    paths = {fill(t, e, world) for t, e, _ in api_routes()}
    for expected in [
        "/api/v1/planner/keywords/",
        f"/api/v1/planner/keywords/{world['keyword']}/",
        "/api/v1/planner/keywords/import/",
        "/api/v1/planner/ideas/bulk_queue_to_writer/",
        "/api/v1/system/integrations/openai/",
        "/api/v1/system/prompts/clustering/reset/",
        f"/api/v1/accounts/members/{world['member']}/set_role/",
    ]:
        assert expected in paths


@pytest.mark.parametrize("as_header", [False, True], ids=["own-account", "x-account-id-of-A"])
def test_outsider_is_refused_everywhere(world, alice, charlie, as_header):
    client = charlie.client()
    if as_header:
        client.credentials(
            HTTP_AUTHORIZATION=f"Bearer {charlie.token}", HTTP_X_ACCOUNT_ID=str(alice.account.pk)
        )
    before = snapshot(alice.account)
    secrets = [
        "alice secret kw",
        "alice cluster",
        "alice idea",
        "alice task",
        "alice content",
        "alice image",
        "Alice Site",
        "sk-alice",
        "alice {sector}",
        "bob@example.com",
        "alice-run-0001",
        "alice run",
        "alice voice",
    ]
    checked = 0
    for template, entry, methods in api_routes():
        path = fill(template, entry, world)
        if path in OPEN_ENDPOINTS:
            continue
        for method in sorted(methods):
            body = payload_for(world, alice) if method in WRITE_METHODS else None
            response = getattr(client, method)(path, body, format="json" if body else None)
            text = response.content.decode()
            # Charlie may read and write his own account (collection routes), never reach A's rows.
            if as_header or "(?P<" in template:
                assert response.status_code == 404, (method, path, response.status_code)
            for secret in secrets:
                assert secret not in text, (method, path, secret)
            checked += 1
    assert checked >= 60
    assert snapshot(alice.account) == before


def test_viewer_cannot_write_anything(world, alice, bob):
    client = bob.client()
    before = snapshot(alice.account)
    checked = 0
    for template, entry, methods in api_routes():
        path = fill(template, entry, world)
        if path in OPEN_ENDPOINTS:
            continue
        for method in sorted(methods & set(WRITE_METHODS)):
            response = getattr(client, method)(path, payload_for(world, alice), format="json")
            assert response.status_code == 403, (method, path, response.status_code, response.content[:200])
            assert response.json()["success"] is False
            checked += 1
    assert checked >= 40
    assert snapshot(alice.account) == before


def test_viewer_reads_everything(world, bob):
    client = bob.client()
    for template, entry, methods in api_routes():
        path = fill(template, entry, world)
        if "get" in methods and path not in OPEN_ENDPOINTS:
            manager_only = path in MANAGER_READS or entry.name in MANAGER_READ_ROUTES
            assert client.get(path).status_code == (403 if manager_only else 200), path
