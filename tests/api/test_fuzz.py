"""Schemathesis over /api/schema/, in process: every operation, as an account owner, gets a bounded
number of generated requests (valid and invalid) with a fixed seed, and none may answer 5xx.

No network: requests go through the WSGI application, providers are offline whatever a request
carries (tests/fuzzing.py), and AI runs are captured instead of enqueued. bench/fuzz_api.py is the
long run."""

from __future__ import annotations

import pytest

from igny8.accounts.tokens import token_create
from tests.fuzzing import FUZZ_SEED, Target, fuzz_operations, loopback_only, offline_providers, seed_rows

# Sized to stay near a minute on two cores; the seed makes a failure reproducible.
MAX_EXAMPLES = 8


@pytest.fixture
def target(transactional_db, alice, charlie, settings, monkeypatch, enqueued):
    offline_providers(settings_obj=settings, patch=monkeypatch.setattr)
    loopback_only(patch=monkeypatch.setattr)
    known_ids = seed_rows(account=alice.account, site=alice.site, sector=alice.sector)
    seed_rows(account=charlie.account, site=charlie.site, sector=charlie.sector)
    return Target(
        token_for=lambda: token_create(user=alice.user), account_id=alice.account.pk, known_ids=known_ids
    )


def test_no_operation_answers_a_server_error(target):
    report = fuzz_operations(target=target, max_examples=MAX_EXAMPLES, seed_value=FUZZ_SEED)

    assert report.operations >= 60, f"the schema lost operations: {report.operations}"
    assert len(report.per_operation) == report.operations  # every operation answered requests
    assert report.cases >= report.operations * 2
    assert report.server_errors == [], report.describe_errors()
