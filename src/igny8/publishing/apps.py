from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "igny8.publishing"
    label = "publishing"

    def ready(self) -> None:
        # ai/ imports no domain app: this app names its functions to the registry by dotted path.
        from igny8.ai import registry

        registry.register("optimize_content", "igny8.publishing.ai_functions.OptimizeContentFunction")
        registry.register(
            "generate_site_structure", "igny8.publishing.ai_functions.GenerateSiteStructureFunction"
        )
        registry.register(
            "generate_page_content", "igny8.publishing.ai_functions.GeneratePageContentFunction"
        )
