"""Each cause of a server error the fuzzing found, fixed where it arises: ids beyond the database's
range, absurd image sizes, a PATCH racing a DELETE, and AI runs naming another account's ids."""

from __future__ import annotations

import pytest

from igny8.ai.models import AIRun
from igny8.ai.providers.base import ImageRequest, ProviderError
from igny8.ai.providers.offline import OfflineProvider, image_size
from igny8.billing.models import CreditTransaction, CreditUsageLog
from igny8.core import viewsets
from igny8.planner.models import Keyword
from igny8.system import provider_checks
from igny8.system.models import ProviderCheck
from igny8.writer.models import Task

pytestmark = pytest.mark.django_db
HUGE = str(2**64)
SIZE_ERROR = "Send WIDTHxHEIGHT with each side from 64 to 2048 pixels, e.g. 1024x1024; got {!r}."


def keyword(tenant, text: str = "burr grinder") -> Keyword:
    return Keyword.objects.create(
        account=tenant.account, site=tenant.site, sector=tenant.sector, keyword=text, normalized=text
    )


# -- integers beyond 2**63 (SQLite raised OverflowError) ------------------------------------------
@pytest.mark.parametrize(
    ("url", "headers", "status"),
    [
        ("/api/v1/planner/keywords/", {"HTTP_X_ACCOUNT_ID": HUGE}, 404),
        ("/api/v1/planner/keywords/", {"HTTP_X_ACCOUNT_ID": f"-{HUGE}"}, 404),
        (f"/api/v1/planner/keywords/?account_id={HUGE}", {}, 404),
        (f"/api/v1/planner/keywords/{HUGE}/", {}, 404),
        (f"/api/v1/planner/keywords/?site_id={HUGE}&sector_id={HUGE}", {}, 200),
    ],
)
def test_ids_beyond_the_database_range_are_not_found(alice, url, headers, status):
    keyword(alice)
    response = alice.client().get(url, **headers)
    assert response.status_code == status, response.content
    if status == 200:
        assert response.json()["count"] == 0


def test_bulk_ids_beyond_the_range_are_named(alice):
    mine = keyword(alice)
    response = alice.client().post(
        "/api/v1/planner/keywords/bulk_delete/", {"ids": [mine.pk, 2**64]}, format="json"
    )
    assert response.status_code == 400
    assert Keyword.objects.filter(pk=mine.pk).exists()


def test_a_run_with_an_id_beyond_the_range_is_not_found(alice, enqueued):
    response = alice.client().post(
        "/api/v1/ai/runs/", {"function": "generate_content", "payload": {"ids": [2**64]}}, format="json"
    )
    assert response.status_code == 404
    assert response.json()["error"] == f"No such tasks in this account: {2**64}."


# -- image sizes (00x00 raised MemoryError) ----------------------------------------------------------
@pytest.mark.parametrize("size", ["00x00", "0x0", "99999x99999", "-1x5", "1024x", "64x4096", "1024 x 1024"])
def test_test_image_refuses_absurd_sizes_naming_size(alice, settings, size):
    settings.OPENAI_API_KEY = settings.RUNWARE_API_KEY = ""
    before = alice.account.credits
    response = alice.client().post(
        "/api/v1/system/settings/integrations/generate_image/", {"size": size}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"size": [SIZE_ERROR.format(size)]}
    alice.account.refresh_from_db()
    assert alice.account.credits == before
    assert CreditUsageLog.objects.count() == 0


def test_test_image_accepts_a_size_in_range(alice, settings):
    settings.OPENAI_API_KEY = settings.RUNWARE_API_KEY = ""
    response = alice.client().post(
        "/api/v1/system/settings/integrations/generate_image/", {"size": "64x2048"}, format="json"
    )
    assert response.status_code == 202, response.json()
    check = ProviderCheck.objects.get()
    assert provider_checks.check_run(check_id=check.pk) == "done"
    check.refresh_from_db()
    assert (check.result["offline"], check.result["image_url"].endswith(".webp")) == (True, True)


@pytest.mark.parametrize("size", ["00x00", "99999x99999", "0x512", "abc"])
def test_the_offline_provider_refuses_absurd_sizes_before_drawing(size):
    with pytest.raises(ProviderError, match="each side from 64 to 2048 pixels"):
        OfflineProvider().generate_image(ImageRequest(prompt="x", model="offline", size=size))
    assert image_size(" 2048X64 ") == (2048, 64)


# -- a PATCH racing a DELETE (KeyError 'site' / Site.DoesNotExist, or an FK violation) --------------
def _deleting_after_read(monkeypatch, delete):
    """get_object() returns the row, then the deletion lands: the window a concurrent DELETE has."""
    read = viewsets.TenantViewSet.get_object

    def get_object(self):
        row = read(self)
        delete(row)
        return row

    monkeypatch.setattr(viewsets.TenantViewSet, "get_object", get_object)


def test_patch_of_a_row_deleted_meanwhile_is_404_and_not_resurrected(alice, monkeypatch):
    row = keyword(alice)
    _deleting_after_read(monkeypatch, lambda r: Keyword.objects.filter(pk=r.pk).delete())
    response = alice.client().patch(f"/api/v1/planner/keywords/{row.pk}/", {}, format="json")
    assert response.status_code == 404
    assert response.json()["error"] == "No such record: it was deleted."
    assert not Keyword.objects.filter(pk=row.pk).exists()


def test_patch_of_a_row_whose_site_was_deleted_meanwhile_is_404(alice, monkeypatch):
    row = keyword(alice)
    _deleting_after_read(monkeypatch, lambda r: type(alice.site).objects.filter(pk=alice.site.pk).delete())
    response = alice.client().patch(f"/api/v1/planner/keywords/{row.pk}/", {}, format="json")
    assert response.status_code == 404
    assert Keyword.objects.count() == 0


@pytest.mark.django_db(transaction=True)  # foreign keys are checked when the write commits
def test_patch_naming_a_sector_deleted_meanwhile_is_409(alice, monkeypatch):
    from igny8.accounts.models import Sector
    from igny8.core import services

    row = _task(alice)
    other = Sector.objects.create(site=alice.site, name="Tea", account=alice.account)
    update = services.row_update

    def update_after_the_sector_went(*, instance, **data):
        Sector.objects.filter(pk=other.pk).delete()
        return update(instance=instance, **data)

    monkeypatch.setattr(services, "row_update", update_after_the_sector_went)
    response = alice.client().patch(f"/api/v1/writer/tasks/{row.pk}/", {"sector": other.pk}, format="json")
    assert response.status_code == 409
    assert response.json()["error"].startswith("This change conflicts with another one made meanwhile")
    row.refresh_from_db()
    assert row.sector_id == alice.sector.pk


# -- ADR 0004: a run naming ids that are not the caller's is a 404, with nothing reserved --------------
def _task(tenant, title: str = "Grinders") -> Task:
    return Task.objects.create(account=tenant.account, site=tenant.site, sector=tenant.sector, title=title)


def _nothing_happened(alice, credits_before: int) -> None:
    alice.account.refresh_from_db()
    assert alice.account.credits == credits_before
    assert CreditTransaction.objects.filter(account=alice.account).exclude(reason="grant").count() == 0
    assert AIRun.objects.count() == 0


@pytest.mark.parametrize("function", ["generate_content", "auto_generate_ideas", "generate_images"])
def test_a_run_on_another_accounts_ids_is_404_with_nothing_reserved(alice, charlie, enqueued, function):
    from igny8.planner.models import Cluster
    from igny8.writer.models import Content, Image

    theirs = {
        "generate_content": lambda: _task(charlie).pk,
        "auto_generate_ideas": lambda: (
            Cluster.objects.create(account=charlie.account, site=charlie.site, name="Theirs").pk
        ),
        "generate_images": lambda: (
            Image.objects.create(
                account=charlie.account,
                site=charlie.site,
                prompt="x",
                content=Content.objects.create(account=charlie.account, site=charlie.site, title="T"),
            ).pk
        ),
    }[function]()
    mine = _task(alice).pk
    credits_before = alice.account.credits
    transactions_before = CreditTransaction.objects.count()

    response = alice.client().post(
        "/api/v1/ai/runs/", {"function": function, "payload": {"ids": [theirs]}}, format="json"
    )

    assert response.status_code == 404, response.json()
    assert response.json()["success"] is False
    assert str(theirs) in response.json()["error"]
    assert CreditTransaction.objects.count() == transactions_before
    _nothing_happened(alice, credits_before)
    if function == "generate_content":  # mixed with one of alice's own: still 404, still nothing
        response = alice.client().post(
            "/api/v1/ai/runs/", {"function": function, "payload": {"ids": [mine, theirs]}}, format="json"
        )
        assert response.status_code == 404
        assert response.json()["error"] == f"No such tasks in this account: {theirs}."
        _nothing_happened(alice, credits_before)
    assert enqueued == []


def test_a_run_on_own_ids_of_another_site_named_by_site_id_is_404(alice, enqueued):
    from igny8.accounts import services as accounts

    other_site = accounts.site_create(account=alice.account, name="Second", url="https://second.example")
    task = _task(alice)
    response = alice.client().post(
        "/api/v1/ai/runs/",
        {"function": "generate_content", "site_id": other_site.pk, "payload": {"ids": [task.pk]}},
        format="json",
    )
    assert response.status_code == 404
    assert response.json()["error"] == f"No such tasks in this site: {task.pk}."
    assert AIRun.objects.count() == 0


def test_a_run_on_own_ids_is_accepted(alice, enqueued, django_capture_on_commit_callbacks):
    task = _task(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = alice.client().post(
            "/api/v1/ai/runs/",
            {"function": "generate_content", "site_id": alice.site.pk, "payload": {"ids": [task.pk]}},
            format="json",
        )
    assert response.status_code == 202, response.json()
    assert AIRun.objects.get().payload == {"ids": [task.pk]}
    assert len(enqueued) == 1
