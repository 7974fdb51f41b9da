from django.contrib import admin

from igny8.planner.models import Cluster, ContentIdea, Keyword, KeywordEmbedding, KeywordImport


@admin.register(Keyword)
class KeywordAdmin(admin.ModelAdmin):
    list_display = ["keyword", "site", "volume", "difficulty", "intent", "status", "cluster"]
    list_filter = ["status", "intent"]
    search_fields = ["keyword"]
    raw_id_fields = ["cluster", "site", "sector", "account"]


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin):
    list_display = ["name", "site", "status", "keywords_count", "volume", "avg_difficulty"]
    list_filter = ["status"]
    search_fields = ["name"]
    raw_id_fields = ["site", "sector", "account"]


@admin.register(ContentIdea)
class ContentIdeaAdmin(admin.ModelAdmin):
    list_display = ["title", "site", "cluster", "content_structure", "status"]
    list_filter = ["status", "content_type"]
    search_fields = ["title"]
    raw_id_fields = ["cluster", "site", "sector", "account"]


@admin.register(KeywordEmbedding)
class KeywordEmbeddingAdmin(admin.ModelAdmin):
    """A cache of the model's output: looked at, deleted (it is re-embedded on the next run), never
    written by hand."""

    list_display = ["normalized", "model_name", "created_at"]
    list_filter = ["model_name"]
    search_fields = ["normalized"]
    readonly_fields = ["model_name", "normalized", "created_at"]
    exclude = ["vector"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(KeywordImport)
class KeywordImportAdmin(admin.ModelAdmin):
    """Background keyword imports: looked at (progress, the report, why one failed), never edited;
    a worker owns a running one through the job kernel."""

    list_display = ["file_name", "site", "status", "rows_read", "rows_total", "created_at"]
    list_filter = ["status"]
    search_fields = ["file_name"]
    raw_id_fields = ["site", "sector", "account"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
