from django.apps import AppConfig


class SystemConfig(AppConfig):
    name = "igny8.system"
    label = "system"

    def ready(self) -> None:
        from igny8.system import signals  # noqa: F401  (connects the worker_ready handler)
