"""Dying on purpose inside an execution, for the exactly-once tests (issue 12): what a SIGKILL looks
like from inside the worker, without a worker process."""

from collections.abc import Callable
from io import StringIO

import pytest
from django.core.management import call_command

from igny8.automation import execution
from tests.automation import fakes


class Killed(BaseException):
    """What SIGKILL looks like from inside: nothing after it runs."""


def execute_until_killed(monkeypatch, *, task_id: int, when: Callable[[], bool] = lambda: True) -> None:
    """Runs the execution until an article is about to be saved while `when()` holds, and dies there
    (the article and everything after it unwritten); saving works again afterwards."""
    original = fakes.FakeContent.save_output

    def save_or_die(self, ctx, item, output):
        if when():
            raise Killed
        return original(self, ctx, item, output)

    monkeypatch.setattr(fakes.FakeContent, "save_output", save_or_die)
    with pytest.raises(Killed):
        execution.execute(task_id=task_id)
    monkeypatch.setattr(fakes.FakeContent, "save_output", original)


def billing_check() -> str:
    out = StringIO()
    call_command("billing", "check", stdout=out)
    return out.getvalue()
