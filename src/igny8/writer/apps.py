from django.apps import AppConfig


class WriterConfig(AppConfig):
    name = "igny8.writer"
    label = "writer"
