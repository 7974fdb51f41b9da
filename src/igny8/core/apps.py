from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "igny8.core"
    label = "core"

    def ready(self) -> None:
        from igny8.core import lookups

        lookups.register()  # ids beyond the database's range match nothing instead of a 500
