"""Publishing routes, included under /api/v1/. Route names start with the resource whose id the
URL carries (content-, site-, revision-, publish-record-), as the tenancy walk expects."""

from django.urls import path

from igny8.publishing import apis

urlpatterns = [
    path("writer/content/<int:pk>/publish/", apis.ContentPublishView.as_view(), name="content-publish"),
    path("writer/content/<int:pk>/export/", apis.ContentExportView.as_view(), name="content-export"),
    path("publishing/export/", apis.ExportView.as_view(), name="publishing-export"),
    path("writer/content/<int:pk>/score/", apis.ContentScoreView.as_view(), name="content-score"),
    path("writer/content/<int:pk>/optimize/", apis.ContentOptimizeView.as_view(), name="content-optimize"),
    path("writer/content/<int:pk>/proposal/", apis.ContentProposalView.as_view(), name="content-proposal"),
    path(
        "writer/content/<int:pk>/proposal/accept/",
        apis.ContentProposalAcceptView.as_view(),
        name="content-proposal-accept",
    ),
    path("writer/content/<int:pk>/links/", apis.ContentLinksView.as_view(), name="content-links"),
    path("writer/content/<int:pk>/restore/", apis.ContentRestoreView.as_view(), name="content-restore"),
    path("publishing/publish/", apis.BulkPublishView.as_view(), name="publishing-publish"),
    path("publishing/schedule/", apis.ScheduleContentsView.as_view(), name="publishing-schedule"),
    path("publishing/records/", apis.RecordListView.as_view(), name="publishing-records"),
    path("publishing/records/<int:pk>/", apis.RecordDetailView.as_view(), name="publish-record-detail"),
    path("publishing/revisions/", apis.RevisionListView.as_view(), name="publishing-revisions"),
    path("publishing/pages/", apis.PageListView.as_view(), name="publishing-pages"),
    path(
        "publishing/pages/generate_content/", apis.PageContentView.as_view(), name="publishing-page-content"
    ),
    path(
        "publishing/sites/<int:pk>/test_connection/",
        apis.SiteConnectionTestView.as_view(),
        name="site-wp-test",
    ),
    path("publishing/sites/<int:pk>/wp_choices/", apis.SiteChoicesView.as_view(), name="site-wp-choices"),
    path("publishing/sites/<int:pk>/sitemap/", apis.SiteSitemapView.as_view(), name="site-sitemap"),
    path(
        "publishing/sites/<int:pk>/sitemap/imports/<int:sitemap_import_id>/",
        apis.SiteSitemapImportView.as_view(),
        name="site-sitemap-import",
    ),
    path("publishing/sites/<int:pk>/schedule/", apis.SiteScheduleView.as_view(), name="site-schedule"),
    path("publishing/sites/<int:pk>/structure/", apis.SiteStructureView.as_view(), name="site-structure"),
]
