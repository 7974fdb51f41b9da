from django.contrib import admin

from igny8.publishing.models import (
    ContentRevision,
    PublishRecord,
    PublishSchedule,
    SitemapImport,
    SitemapPage,
    SitePage,
)


@admin.register(PublishRecord)
class PublishRecordAdmin(admin.ModelAdmin):
    list_display = ["content", "site", "status", "remote_status", "scheduled_for", "external_id", "attempts"]
    list_filter = ["status", "remote_status"]
    raw_id_fields = ["content", "site", "sector", "account"]


@admin.register(PublishSchedule)
class PublishScheduleAdmin(admin.ModelAdmin):
    list_display = ["site", "mode", "daily_cap", "timezone"]
    raw_id_fields = ["site", "account"]


@admin.register(ContentRevision)
class ContentRevisionAdmin(admin.ModelAdmin):
    list_display = ["content", "reason", "score", "created_at"]
    raw_id_fields = ["content", "site", "sector", "account"]


@admin.register(SitePage)
class SitePageAdmin(admin.ModelAdmin):
    list_display = ["title", "site", "page_type", "parent", "position"]
    list_filter = ["page_type"]
    raw_id_fields = ["parent", "cluster", "idea", "content", "site", "sector", "account"]


@admin.register(SitemapPage)
class SitemapPageAdmin(admin.ModelAdmin):
    list_display = ["title", "url", "site", "lastmod"]
    search_fields = ["url", "title"]
    raw_id_fields = ["site", "sector", "account"]


@admin.register(SitemapImport)
class SitemapImportAdmin(admin.ModelAdmin):
    """Sitemaps read by a worker: looked at (progress, the report, why one failed), never edited;
    a worker owns a running one through the job kernel."""

    list_display = ["__str__", "site", "status", "sitemaps_read", "sitemaps_total", "created_at"]
    list_filter = ["status"]
    search_fields = ["url", "file_name"]
    raw_id_fields = ["site", "sector", "account"]
    exclude = ["upload"]  # the uploaded document: bytes, not for a form

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
