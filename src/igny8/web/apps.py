from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "igny8.web"
    label = "web"
    verbose_name = "Web app"
