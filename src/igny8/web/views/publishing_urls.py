"""The publishing pages' routes, added to web/urls.py when igny8.publishing is installed (its
models are imported by these views)."""

from django.urls import path

from igny8.web.views import editor, export, pickers, proposal, publishing, publishing_site, sitemap

urlpatterns = [
    path("writer/content/<int:pk>/publish/", publishing.content_publish, name="content-publish"),
    path(
        "writer/content/<int:pk>/publish/choices/",
        pickers.content_publish_choices,
        name="content-publish-choices",
    ),
    path("writer/content/<int:pk>/schedule/", publishing.content_schedule, name="content-schedule"),
    path("writer/content/<int:pk>/optimize/", publishing.content_optimize, name="content-optimize"),
    path("writer/content/<int:pk>/links/", publishing.content_links, name="content-links"),
    path("writer/content/<int:pk>/restore/", publishing.content_restore, name="content-restore"),
    path("writer/content/<int:pk>/edit/", editor.content_edit, name="content-edit"),
    path(
        "writer/content/<int:pk>/proposal/<str:task_id>/", proposal.content_proposal, name="content-proposal"
    ),
    path("writer/content/<int:pk>/edit/score/", editor.content_edit_score, name="content-edit-score"),
    path("writer/images/<int:pk>/edit/", editor.image_edit, name="image-edit"),
    path("writer/images/<int:pk>/regenerate/", editor.image_regenerate, name="image-regenerate"),
    path("writer/content/<int:pk>/export/<str:fmt>/", export.content_export, name="content-export"),
    path("writer/content/export/", export.contents_export, name="contents-export"),
    path("publishing/", publishing_site.publishing_index, name="publishing"),
    path("publishing/sitemap/", sitemap.sitemap_pages, name="publishing-sitemap"),
    path(
        "publishing/sitemap/imports/<int:pk>/",
        sitemap.sitemap_import_progress,
        name="publishing-sitemap-progress",
    ),
    path("publishing/schedule/", publishing_site.schedule_save, name="publishing-schedule"),
    path("publishing/structure/", publishing_site.structure_generate, name="publishing-structure"),
    path("publishing/pages/content/", publishing_site.page_content_generate, name="publishing-page-content"),
    path("publishing/records/status/", publishing.bulk_status, name="publishing-records-status"),
    path("publishing/records/<int:pk>/", publishing.record_status, name="publishing-record"),
    path("publishing/records/<int:pk>/retry/", publishing.record_retry, name="publishing-retry"),
    path("publishing/bulk/publish/", publishing.bulk_publish, name="publishing-bulk-publish"),
    path("publishing/bulk/schedule/", publishing.bulk_schedule, name="publishing-bulk-schedule"),
]
