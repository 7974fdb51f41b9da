from django.apps import AppConfig


class PlannerConfig(AppConfig):
    name = "igny8.planner"
    label = "planner"
