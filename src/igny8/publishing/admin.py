from django.contrib import admin

from igny8.publishing.models import ContentRevision, PublishRecord, PublishSchedule, SitemapPage, SitePage


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
