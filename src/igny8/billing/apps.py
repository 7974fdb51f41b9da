from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "igny8.billing"
    label = "billing"
