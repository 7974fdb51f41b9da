"""`igny8 embeddings prune [--dry-run]`: delete stored keyword embeddings nothing needs any more
(texts no keyword, idea or article of any site embeds to; models no longer configured). Beat runs
the same every hour (planner.tasks.prune_embeddings)."""

from django.core.management.base import BaseCommand

from igny8.planner import embedding_cache
from igny8.planner.models import KeywordEmbedding


class Command(BaseCommand):
    help = "Stored keyword embeddings: count them, or prune those nothing references any more."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("stats", help="Rows per model.")
        prune = actions.add_parser(
            "prune", help="Delete rows of unconfigured models and of texts no keyword, idea or article uses."
        )
        prune.add_argument("--dry-run", action="store_true", help="Only count what would be deleted.")

    def handle(self, *args, action: str, **options):
        if action == "stats":
            counts = {}
            for name in KeywordEmbedding.objects.values_list("model_name", flat=True).order_by("model_name"):
                counts[name] = counts.get(name, 0) + 1
            for name, count in counts.items():
                self.stdout.write(f"{name}: {count} stored")
            if not counts:
                self.stdout.write("No stored embeddings.")
            return
        result = embedding_cache.prune(dry_run=options["dry_run"])
        verb = "Would delete" if options["dry_run"] else "Deleted"
        self.stdout.write(
            f"{verb} {result.deleted} stored embedding(s): {result.other_models} of models no longer "
            f"configured, {result.unreferenced} no keyword, idea or article uses; {result.kept} kept."
        )
