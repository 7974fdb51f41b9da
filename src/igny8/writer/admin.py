from django.contrib import admin

from igny8.writer.models import Content, Image, Task


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["title", "site", "status", "word_count_target"]
    list_filter = ["status"]
    search_fields = ["title"]
    raw_id_fields = ["idea", "cluster", "site", "sector", "account"]


@admin.register(Content)
class ContentAdmin(admin.ModelAdmin):
    list_display = ["title", "site", "status", "word_count", "published_at"]
    list_filter = ["status"]
    search_fields = ["title"]
    raw_id_fields = ["task", "site", "sector", "account"]


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    list_display = ["content", "image_type", "position", "status", "provider", "model"]
    list_filter = ["status", "image_type"]
    raw_id_fields = ["content", "site", "sector", "account"]
