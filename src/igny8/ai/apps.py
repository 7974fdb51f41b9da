from django.apps import AppConfig


class AIConfig(AppConfig):
    name = "igny8.ai"
    label = "ai"
    verbose_name = "AI engine"
