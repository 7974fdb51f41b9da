from django.contrib import admin

from igny8.planner.models import Cluster, ContentIdea, Keyword


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
