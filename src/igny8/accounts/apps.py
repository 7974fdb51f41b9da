from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "igny8.accounts"
    label = "accounts"
