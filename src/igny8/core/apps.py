from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "igny8.core"
    label = "core"
