from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "igny8.publishing"
    label = "publishing"

    def ready(self) -> None:
        # ai/ imports no domain app: this app names its functions to the registry by dotted path.
        from igny8.ai import registry
        from igny8.publishing import optimizing
        from igny8.writer import services as writer_services

        # Every edit of an article's text (API or web editor) keeps the replaced version first.
        if optimizing.revision_before_edit not in writer_services.BEFORE_TEXT_EDIT:
            writer_services.BEFORE_TEXT_EDIT.append(optimizing.revision_before_edit)

        registry.register("optimize_content", "igny8.publishing.ai_functions.OptimizeContentFunction")
        registry.register(
            "generate_site_structure", "igny8.publishing.ai_functions.GenerateSiteStructureFunction"
        )
        registry.register(
            "generate_page_content", "igny8.publishing.ai_functions.GeneratePageContentFunction"
        )
