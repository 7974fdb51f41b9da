from django.core.management.base import BaseCommand, CommandError

from igny8.ai import catalogue, selectors


class Command(BaseCommand):
    help = (
        "Check the AI models this instance is set to use: the server's default and every account's "
        "saved models. Warns of a model shut down or shutting down within 30 days (the catalogue's "
        "dates); exits with an error when a configured model is already shut down."
    )

    def handle(self, *args, **options):
        retired = warned = 0
        for entry in selectors.configured_models():
            spec = catalogue.spec(entry["model"], kind=entry["kind"], provider=entry["provider"])
            warning = catalogue.lifecycle_warning(spec)
            if warning:
                retired += spec.retired()
                warned += 1
                self.stdout.write(f"{entry['where']}: {warning}")
        if retired:
            raise CommandError(f"{retired} configured model(s) are shut down; runs with them fail.")
        if not warned:
            self.stdout.write("AI models: no configured model is shut down or shutting down within 30 days.")
