from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "igny8.publishing"
    label = "publishing"

    def ready(self) -> None:
        # Its AI functions (publishing/ai/<name>/) are found by igny8.ai.discovery.
        from igny8.publishing import optimizing
        from igny8.writer import services as writer_services

        # Every edit of an article's text (API or web editor) keeps the replaced version first.
        if optimizing.revision_before_edit not in writer_services.BEFORE_TEXT_EDIT:
            writer_services.BEFORE_TEXT_EDIT.append(optimizing.revision_before_edit)
