from django.apps import AppConfig


class AutomationConfig(AppConfig):
    name = "igny8.automation"
    label = "automation"
    verbose_name = "Automation"

    def ready(self) -> None:
        # Other apps expose actions in `<app>/automation_actions.py` (e.g. igny8.publishing); they
        # register themselves when imported (see automation/actions/registry.py).
        from django.utils.module_loading import autodiscover_modules

        from igny8.automation.actions import pipeline  # noqa: F401  (registers the pipeline actions)

        autodiscover_modules("automation_actions")

        from igny8.automation import events
        from igny8.core import events as port

        port.subscribe(events.emit)  # domain apps emit through the port; automation hears them here
