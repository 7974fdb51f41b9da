from django.apps import AppConfig


class AIConfig(AppConfig):
    name = "igny8.ai"
    label = "ai"
    verbose_name = "AI engine"

    def ready(self) -> None:
        # Every app's ai/<function>/ folder (ai/discovery.py): found once, when the apps are ready.
        from igny8.ai import discovery

        discovery.discover()
