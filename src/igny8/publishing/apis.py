"""REST endpoints of publishing. Thin: parse, find within the account, call a service."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.views import APIView

from igny8.accounts import access
from igny8.ai import services as ai_services
from igny8.ai.serializers import PagesBodySerializer, RunSettingsSerializer, accepted, run_options
from igny8.core.api import ok
from igny8.core.errors import Conflict, Invalid, NotFound
from igny8.core.viewsets import AccountScopedMixin
from igny8.publishing import (
    export,
    linker,
    optimizing,
    pickers,
    proposals,
    scheduling,
    selectors,
    services,
    sitemap,
    sitemap_jobs,
)
from igny8.publishing import serializers as s
from igny8.publishing.downloads import export_file, export_zip
from igny8.publishing.models import ContentRevision
from igny8.writer.models import Content


class ScopedAPIView(AccountScopedMixin, APIView):
    def content(self, pk: int) -> Content:
        try:
            return Content.objects.select_related("site").get(account=self.account, pk=pk)
        except Content.DoesNotExist as error:
            raise Http404("No such content.") from error

    def contents(self, ids: list[int]) -> list[Content]:
        found = {
            c.pk: c for c in Content.objects.filter(account=self.account, pk__in=ids).select_related("site")
        }
        missing = sorted(set(ids) - set(found))
        if missing:
            raise serializers.ValidationError({"ids": [f"No such content in this account: {missing[0]}."]})
        sites = {c.site_id for c in found.values()}
        if len(sites) > 1:
            raise serializers.ValidationError({"ids": ["Send contents of one site at a time."]})
        return [found[i] for i in dict.fromkeys(ids)]

    def body(self, serializer_class):
        body = serializer_class(data=self.request.data)
        body.is_valid(raise_exception=True)
        return body.validated_data


class ContentPublishView(ScopedAPIView):
    """Publish now: checked here (400, 409), sent by the worker; 202 with the record (queued) and
    status_url, the record to poll until it is published or failed."""

    @extend_schema(request=s.PublishBody, responses={202: s.QueuedRecordSerializer})
    def post(self, request, pk: int):
        data = self.body(s.PublishBody)
        content = self.content(pk)
        names, category_ids = s.split_categories(data.get("categories"))
        pickers.choices_check(site=content.site, category_ids=category_ids, author=data.get("author"))
        record = services.content_publish_now(
            content=content,
            wp_status=data["status"],
            wp_date=data["scheduled_at"],
            categories=names,
            category_ids=category_ids,
            author=data.get("author"),
            tags=data.get("tags"),
            force=data["force"],
        )
        return ok(
            s.QueuedRecordSerializer(record).data,
            message="Queued: a worker sends it to WordPress; poll status_url for the result.",
            status_code=202,
        )


class ContentExportView(ScopedAPIView):
    """GET ?as=html|md: the article as a standalone HTML page or Markdown with front matter; its
    images are referenced where the server serves them (a zip carries the files)."""

    @extend_schema(responses={(200, "text/html"): str, (200, "text/markdown"): str})
    def get(self, request, pk: int):
        content = self.content(pk)
        exported = export.article_export(
            content=content, image_src=lambda image: request.build_absolute_uri(image.file.url)
        )
        return export_file(exported, request.query_params.get("as", "html"))


class ExportView(ScopedAPIView):
    """POST {"ids": [...]} or {"site": id}: a zip, one folder per article (index.html, index.md,
    images/), the layout of the CLI's --export."""

    @extend_schema(request=s.ExportBody, responses={(200, "application/zip"): bytes})
    def post(self, request):
        data = self.body(s.ExportBody)
        if "site" in data:
            site = access.access_site(account=self.account, site_id=data["site"])
            contents = export.site_contents(site=site)
            name = export.site_zip_name(site=site)
        else:
            contents = self.contents(data["ids"])
            name = "articles.zip"
        return export_zip(contents, name=name)


class ContentScoreView(ScopedAPIView):
    @extend_schema(responses={200: dict})
    def get(self, request, pk: int):
        return ok(optimizing.content_score(content=self.content(pk)).as_dict())


class ContentOptimizeView(ScopedAPIView):
    """Starts Optimize with AI as a proposal: nothing changes until it is accepted at
    .../proposal/accept/ (GET .../proposal/?task_id= shows the diff and the scores)."""

    @extend_schema(request=RunSettingsSerializer, responses={202: dict})
    def post(self, request, pk: int):
        content = self.content(pk)
        options = run_options(self.body(RunSettingsSerializer))
        run = ai_services.run_start(
            account=self.account,
            function_name="optimize_content",
            payload={**options, "ids": [content.pk], "propose": True},
            site=content.site,
            user=request.user,
        )
        return accepted(run)


class ContentProposalView(ScopedAPIView):
    """GET ?task_id=: the proposal that run made (default: the newest), as a diff per field with
    the score before and after, and whether it still applies to the article as it is now."""

    def proposal(self, content: Content, task_id: str | None) -> tuple:
        if not task_id:
            found = proposals.newest_proposal(content=content)
            if found is None:
                raise NotFound("No optimisation proposal for this article yet; POST .../optimize/ first.")
            return found
        run = proposals.run_with_proposal(content=content, task_id=task_id)
        if run is None:
            raise NotFound("No Optimize with AI run of this account has that task_id.", field="task_id")
        item = proposals.proposal_of(run, content.pk)
        if item is None:
            if run.status in ("pending", "running"):
                raise Conflict("The optimisation is still running; ask again when it has finished.")
            raise NotFound("That run made no proposal for this article.", field="task_id")
        return run, item

    @extend_schema(responses={200: dict})
    def get(self, request, pk: int):
        content = self.content(pk)
        task_id = request.query_params.get("task_id")
        if not task_id and proposals.newest_proposal(content=content) is None:
            return ok(
                None, message="No optimisation proposal for this article yet; POST .../optimize/ first."
            )
        run, item = self.proposal(content, task_id)
        return ok(proposals.proposal_view(content=content, run=run, item=item))


class ContentProposalAcceptView(ContentProposalView):
    """Applies a proposal (a revision keeps the version before). A proposal made for an older
    version of the article is refused (409); a field edited by hand is replaced only when named in
    `fields`, and the answer says so."""

    @extend_schema(request=s.AcceptBody, responses={200: dict})
    def post(self, request, pk: int):
        content = self.content(pk)
        data = self.body(s.AcceptBody)
        _run, item = self.proposal(content, data["task_id"])
        hand_edited = set(item.get("hand_edited", []))
        chosen = data.get("fields") or [name for name in item["changed"] if name not in hand_edited]
        if not chosen and hand_edited:
            names = ", ".join(proposals.LABELS[n] for n in item["changed"] if n in hand_edited)
            raise Invalid(
                f"Every change replaces text edited by hand ({names}); name the fields to replace it.",
                field="fields",
            )
        revision = optimizing.optimization_accept(content=content, proposed=item, fields=chosen)
        applied = [name for name in chosen if name in item["changed"]]
        warnings = [
            f"{proposals.LABELS[name]} was edited by hand; the proposal replaced it (revision "
            f"{revision.pk} keeps your text)."
            for name in applied
            if name in hand_edited
        ]
        kept = [
            proposals.LABELS[name] for name in item["changed"] if name in hand_edited and name not in applied
        ]
        message = f"Applied: {', '.join(proposals.LABELS[n] for n in applied)}."
        if kept:
            message += f" Left as you wrote it: {', '.join(kept)} (name it in fields to replace it)."
        return ok(
            {"applied": applied, "revision_id": revision.pk, "warnings": warnings, "kept_hand_edited": kept},
            message=message,
        )


class ContentLinksView(ScopedAPIView):
    @extend_schema(responses={200: dict})
    def get(self, request, pk: int):
        found = linker.links_suggest(content=self.content(pk), max_links=settings.INTERNAL_LINKS_PER_ARTICLE)
        return ok([link.as_dict() for link in found])

    @extend_schema(request=s.LinksBody, responses={200: dict})
    def post(self, request, pk: int):
        data = self.body(s.LinksBody)
        added = linker.links_apply(
            content=self.content(pk), max_links=data.get("max_links", settings.INTERNAL_LINKS_PER_ARTICLE)
        )
        return ok([link.as_dict() for link in added], message=f"Inserted {len(added)} link(s).")


class BulkPublishView(ScopedAPIView):
    @extend_schema(request=s.BulkPublishBody, responses={202: s.RecordSerializer(many=True)})
    def post(self, request):
        data = self.body(s.BulkPublishBody)
        contents = self.contents(data["ids"])
        names, category_ids = s.split_categories(data.get("categories"))
        pickers.choices_check(site=contents[0].site, category_ids=category_ids, author=None)
        records = services.contents_queue(
            site=contents[0].site,
            contents=contents,
            wp_status=data["status"],
            wp_date=data["scheduled_at"],
            force=data["force"],
            categories=names,
            tags=data.get("tags"),
            category_ids=category_ids,
        )
        return ok(s.RecordSerializer(records, many=True).data, status_code=202)


class ScheduleContentsView(ScopedAPIView):
    @extend_schema(request=s.IdsBody, responses={200: s.RecordSerializer(many=True)})
    def post(self, request):
        data = self.body(s.IdsBody)
        contents = self.contents(data["ids"])
        records = scheduling.contents_schedule(site=contents[0].site, contents=contents, start=data["start"])
        return ok(
            s.RecordSerializer(records, many=True).data, message=f"Scheduled {len(records)} content(s)."
        )


class SiteScopedView(ScopedAPIView):
    def site(self, pk: int):
        return access.access_site(account=self.account, site_id=pk)


class SiteConnectionTestView(SiteScopedView):
    write_role = access.MANAGE

    @extend_schema(request=None, responses={200: dict})
    def post(self, request, pk: int):
        report = services.site_connection_test(site=self.site(pk))
        return ok(report.as_dict(), message=report.message)


class SiteChoicesView(SiteScopedView):
    """The publish form's pickers: the site's WordPress categories and authors (cached a few
    minutes; ?refresh=1 reads them again)."""

    @extend_schema(responses={200: dict})
    def get(self, request, pk: int):
        site = self.site(pk)
        if not pickers.connected(site=site):  # nothing to pick from yet: empty lists, and why
            return ok({"connected": False, "categories": [], "authors": []}, message=pickers.NOT_CONNECTED)
        refresh = request.query_params.get("refresh") == "1"
        return ok({"connected": True, **pickers.site_choices(site=site, refresh=refresh).as_dict()})


class SiteSitemapView(SiteScopedView):
    """GET: the site's pages as last imported from its sitemap. POST: import them again, from
    {"url": ...} or a multipart `file` (the list is replaced): a small uploaded urlset now (200 with
    the report), an address or anything that fetches on a worker (202 with the address to poll)."""

    @extend_schema(responses={200: s.SitemapPageSerializer(many=True)})
    def get(self, request, pk: int):
        pages = selectors.sitemap_pages(site=self.site(pk))[: sitemap.MAX_PAGES]
        return ok(s.SitemapPageSerializer(pages, many=True).data)

    @extend_schema(request=s.SitemapBody, responses={200: dict, 202: dict})
    def post(self, request, pk: int):
        site = self.site(pk)
        data = self.body(s.SitemapBody)
        upload = data.get("file")
        outcome = sitemap_jobs.sitemap_start(
            site=site,
            url=data.get("url"),
            data=upload.read(sitemap.MAX_BYTES + 1) if upload is not None else None,
            file_name=getattr(upload, "name", "") or "",
        )
        if isinstance(outcome, sitemap.ImportReport):
            return ok(outcome.as_dict(), message=outcome.message)
        status_url = reverse("site-sitemap-import", kwargs={"pk": site.pk, "sitemap_import_id": outcome.pk})
        return ok(
            {**sitemap_jobs.import_view(job=outcome), "status_url": status_url},
            status_code=202,
            message="The sitemap is being read in the background; poll status_url for progress "
            "and the report.",
        )


class SiteSitemapImportView(SiteScopedView):
    """A sitemap read by a worker: status, sitemaps read of those known, then the report (the
    synchronous import's) or why it failed."""

    @extend_schema(responses={200: dict})
    def get(self, request, pk: int, sitemap_import_id: int):
        job = sitemap_jobs.import_get(site=self.site(pk), import_id=sitemap_import_id)
        return ok(sitemap_jobs.import_view(job=job))


class SiteScheduleView(SiteScopedView):
    @extend_schema(responses={200: s.ScheduleSerializer})
    def get(self, request, pk: int):
        return ok(s.ScheduleSerializer(selectors.schedule_for(site=self.site(pk))).data)

    @extend_schema(request=s.ScheduleSerializer, responses={200: s.ScheduleSerializer})
    def put(self, request, pk: int):
        site = self.site(pk)
        data = self.body(s.ScheduleSerializer)
        return ok(s.ScheduleSerializer(scheduling.schedule_save(site=site, **data)).data)


class SiteStructureView(SiteScopedView):
    @extend_schema(request=RunSettingsSerializer, responses={202: dict})
    def post(self, request, pk: int):
        site = self.site(pk)
        options = run_options(self.body(RunSettingsSerializer))
        run = ai_services.run_start(
            account=self.account,
            function_name="generate_site_structure",
            payload={**options, "site_id": site.pk},
            site=site,
            user=request.user,
        )
        return accepted(run)


class PageContentView(ScopedAPIView):
    @extend_schema(request=PagesBodySerializer, responses={202: dict})
    def post(self, request):
        data = self.body(PagesBodySerializer)
        run = ai_services.run_start(
            account=self.account,
            function_name="generate_page_content",
            payload={**run_options(data), "ids": data["ids"]},
            user=request.user,
        )
        return accepted(run)


class ContentRestoreView(ScopedAPIView):
    @extend_schema(request=s.RestoreBody, responses={200: s.RevisionSerializer})
    def post(self, request, pk: int):
        content = self.content(pk)
        data = self.body(s.RestoreBody)
        try:
            revision = ContentRevision.objects.get(account=self.account, content=content, pk=data["revision"])
        except ContentRevision.DoesNotExist as error:
            raise Http404("No such revision.") from error
        kept = optimizing.revision_restore(revision=revision)
        return ok(
            s.RevisionSerializer(kept).data,
            message=f"Restored revision {revision.pk}; the replaced version is revision {kept.pk}.",
        )


class ScopedListView(AccountScopedMixin, generics.ListAPIView):
    filter_field = ""

    def get_queryset(self):
        queryset = type(self).selector(account=self.account)
        for name in ("site", "content", "status"):
            value = self.request.query_params.get(name)
            if value:
                queryset = queryset.filter(**{name: value})
        return queryset


class RecordListView(ScopedListView):
    serializer_class = s.RecordSerializer
    selector = selectors.record_list


class RecordDetailView(AccountScopedMixin, generics.RetrieveAPIView):
    """One publish record: what Publish now's status_url answers (queued, publishing, then
    published with the post's id and URL, or failed with the reason)."""

    serializer_class = s.RecordSerializer

    def get_queryset(self):
        return selectors.record_list(account=self.account)


class RevisionListView(ScopedListView):
    serializer_class = s.RevisionSerializer
    selector = selectors.revision_list


class PageListView(ScopedListView):
    serializer_class = s.PageSerializer
    selector = selectors.page_list
