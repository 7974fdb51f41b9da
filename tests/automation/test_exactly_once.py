"""Automation and issue 12: records another run holds are skipped, not failed (point 6)."""

from igny8.ai import services as ai_services
from igny8.automation import services
from igny8.automation.models import ScheduledTask
from igny8.writer.models import Content, Task
from tests.automation.conftest import run_pending


def test_an_action_whose_records_another_run_holds_is_skipped_not_failed(alice, sent):
    task = Task.objects.create(account=alice.account, site=alice.site, title="Held")
    manual = ai_services.run_start(
        account=alice.account, site=alice.site, function_name="generate_content", payload={"ids": [task.pk]}
    )
    rule = services.rule_create(
        account=alice.account,
        site=alice.site,
        name="Writer",
        actions=[{"type": "generate_content", "params": {}}, {"type": "generate_images", "params": {}}],
    )
    services.rule_execute(rule=rule)
    assert run_pending() == ["completed"]
    execution = ScheduledTask.objects.get()
    assert [(r["type"], r["status"]) for r in execution.results] == [
        ("generate_content", "skipped"),
        ("generate_images", "skipped"),
    ]
    assert execution.results[0]["message"] == (
        f"Skipped: Run {manual.task_id} (generate_content, pending) is already working on tasks {task.pk}; "
        "wait for it to finish or cancel it."
    )
    assert (execution.error_message, execution.credits_used, Content.objects.count()) == ("", 0, 0)
