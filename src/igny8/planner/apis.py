"""REST endpoints of the planner: keywords (with CSV import), clusters, ideas."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.reverse import reverse

from igny8.accounts import access
from igny8.accounts.models import Sector, Site
from igny8.ai import services as ai_services
from igny8.ai.serializers import IdeasBodySerializer, accepted, run_options
from igny8.core.api import ok
from igny8.core.errors import Invalid
from igny8.core.serializers import IdsSerializer
from igny8.core.viewsets import StatusBulkMixin, TenantViewSet
from igny8.planner import cannibalisation, cluster_edits, filters, import_jobs, selectors, services
from igny8.planner.models import (
    Cluster,
    ClusterStatus,
    ContentIdea,
    IdeaStatus,
    Keyword,
    KeywordImport,
    KeywordStatus,
)
from igny8.planner.serializers import (
    AutoClusterSerializer,
    ClusterMergeSerializer,
    ClusterMoveSerializer,
    ClusterRenameSerializer,
    ClusterSerializer,
    ClusterSplitSerializer,
    ContentIdeaSerializer,
    IdeaQueueSerializer,
    KeywordImportSerializer,
    KeywordSerializer,
)


class KeywordViewSet(StatusBulkMixin, TenantViewSet):
    model = Keyword
    serializer_class = KeywordSerializer
    selector = selectors.keyword_list
    create_service = services.keyword_create
    update_service = services.keyword_update
    status_choices = KeywordStatus
    filterset_class = filters.KeywordFilter
    search_fields = ["keyword"]
    ordering_fields = ["keyword", "volume", "difficulty", "cpc", "created_at", "status", "intent"]

    @extend_schema(request={"multipart/form-data": KeywordImportSerializer}, responses={201: dict, 202: dict})
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser, FormParser])
    def import_csv(self, request, *args, **kwargs):
        """A file up to KEYWORD_IMPORT_SYNC_MAX_BYTES is imported now (201 with the report); a bigger
        one is imported by a worker (202 with the import's id and the address to poll)."""
        body = KeywordImportSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        site = access.access_site(account=self.account, site_id=body.validated_data["site_id"])
        sector = None
        if body.validated_data.get("sector_id"):
            sector = Sector.objects.filter(site=site, pk=body.validated_data["sector_id"]).first()
            if sector is None:
                raise serializers.ValidationError({"sector_id": ["No such sector in this site."]})
        outcome = import_jobs.import_start(
            site=site, sector=sector, uploaded_file=body.validated_data["file"]
        )
        if isinstance(outcome, KeywordImport):
            status_url = reverse("keyword-import-status", kwargs={"import_id": outcome.pk})
            return ok(
                {**import_jobs.import_view(job=outcome), "status_url": status_url},
                status_code=202,
                message="The file is being imported in the background; poll status_url for progress "
                "and the report.",
            )
        return ok(
            outcome.as_dict(),
            status_code=201,
            message=f"Imported {outcome.created} keyword(s); {outcome.duplicates_count} duplicate(s), "
            f"{outcome.skipped_count} skipped.",
        )

    @extend_schema(request=None, responses={200: dict})
    @action(
        detail=False,
        methods=["get"],
        url_path=r"imports/(?P<import_id>[0-9]+)",
        url_name="import-status",
    )
    def import_status(self, request, import_id: str, *args, **kwargs):
        """A background import: status, rows read of the total, then the report or why it failed."""
        sites = Site.objects.filter(account=self.account).values_list("pk", flat=True)
        job = import_jobs.import_get(site_ids=sites, import_id=import_id)
        return ok(import_jobs.import_view(job=job))

    @extend_schema(request=AutoClusterSerializer, responses={202: dict})
    @action(detail=False, methods=["post"])
    def auto_cluster(self, request, *args, **kwargs):
        body = AutoClusterSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        payload = dict(body.validated_data)
        if "ids" in payload:
            site_ids = set(self.selected(payload["ids"]).values_list("site_id", flat=True).distinct())
            if len(site_ids) > 1:
                raise serializers.ValidationError({"ids": ["Select keywords of one site at a time."]})
            payload["site_id"] = site_ids.pop()
        site = access.access_site(account=self.account, site_id=payload["site_id"])
        run = ai_services.run_start(
            account=self.account, function_name="auto_cluster", payload=payload, site=site, user=request.user
        )
        return accepted(run)


class ClusterViewSet(StatusBulkMixin, TenantViewSet):
    model = Cluster
    serializer_class = ClusterSerializer
    selector = selectors.cluster_list
    status_choices = ClusterStatus
    filterset_class = filters.ClusterFilter
    search_fields = ["name", "description"]
    ordering_fields = ["name", "keywords_count", "volume", "avg_difficulty", "created_at", "status"]

    @extend_schema(request=IdeasBodySerializer, responses={202: dict})
    @action(detail=False, methods=["post"])
    def auto_generate_ideas(self, request, *args, **kwargs):
        body = IdeasBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        self.selected(body.validated_data["ids"])  # 400 naming ids not in this account
        run = ai_services.run_start(
            account=self.account,
            function_name="auto_generate_ideas",
            payload={**run_options(body.validated_data), "ids": sorted(body.validated_data["ids"])},
            user=request.user,
        )
        return accepted(run)

    # -- corrections by hand (planner.cluster_edits) ------------------------------------------------
    def _cluster_data(self, cluster: Cluster) -> dict:
        return ClusterSerializer(cluster, context=self.get_serializer_context()).data

    def perform_destroy(self, instance):
        cluster_edits.clusters_delete(clusters=[instance])

    @extend_schema(request=IdsSerializer, responses={200: dict})
    @action(detail=False, methods=["post"])
    def bulk_delete(self, request, *args, **kwargs):
        """Deletes the clusters; their keywords return to unclustered (status new)."""
        body = IdsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        deleted = cluster_edits.clusters_delete(clusters=list(self.selected(body.validated_data["ids"])))
        return ok(
            {"deleted": deleted}, message=f"Deleted {deleted} cluster(s); their keywords are unclustered."
        )

    @extend_schema(request=ClusterRenameSerializer, responses={200: ClusterSerializer})
    @action(detail=True, methods=["post"])
    def rename(self, request, *args, **kwargs):
        cluster = self.get_object()  # first: another account's id is a 404 whatever the body
        body = ClusterRenameSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        cluster = cluster_edits.cluster_rename(cluster=cluster, name=body.validated_data["name"])
        return ok(self._cluster_data(cluster), message=f'Renamed to "{cluster.name}".')

    @extend_schema(request=None, responses={200: ClusterSerializer})
    @action(detail=True, methods=["post"])
    def lock(self, request, *args, **kwargs):
        """Clustering runs leave a locked cluster as it is: no keywords added or taken, no rename."""
        cluster = cluster_edits.cluster_lock(cluster=self.get_object(), locked=True)
        return ok(self._cluster_data(cluster), message="Locked: clustering runs will not change it.")

    @extend_schema(request=None, responses={200: ClusterSerializer})
    @action(detail=True, methods=["post"])
    def unlock(self, request, *args, **kwargs):
        cluster = cluster_edits.cluster_lock(cluster=self.get_object(), locked=False)
        return ok(self._cluster_data(cluster), message="Unlocked.")

    @extend_schema(request=ClusterMergeSerializer, responses={200: ClusterSerializer})
    @action(detail=False, methods=["post"])
    def merge(self, request, *args, **kwargs):
        """Two or more clusters of one site become one; it takes their keywords, ideas and tasks."""
        body = ClusterMergeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        site_ids = set(self.selected(data["ids"]).values_list("site_id", flat=True))
        if len(site_ids) > 1:
            raise Invalid("Merge clusters of one site at a time.", field="ids")
        site = access.access_site(account=self.account, site_id=site_ids.pop())
        cluster = cluster_edits.clusters_merge(
            site=site, cluster_ids=data["ids"], into_id=data.get("into"), name=data.get("name")
        )
        return ok(
            self._cluster_data(cluster),
            message=f'Merged {len(set(data["ids"]))} clusters into "{cluster.name}".',
        )

    @extend_schema(request=ClusterSplitSerializer, responses={201: ClusterSerializer})
    @action(detail=True, methods=["post"])
    def split(self, request, *args, **kwargs):
        """The picked keywords of this cluster leave for a new cluster."""
        cluster = self.get_object()
        body = ClusterSplitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        new = cluster_edits.cluster_split(
            cluster=cluster,
            keyword_ids=body.validated_data["keyword_ids"],
            name=body.validated_data["name"],
        )
        return ok(
            self._cluster_data(new), status_code=201, message=f'Split into the new cluster "{new.name}".'
        )

    @extend_schema(request=ClusterMoveSerializer, responses={200: dict})
    @action(detail=True, methods=["post"])
    def move_keywords(self, request, *args, **kwargs):
        """Picked keywords of this cluster go to another cluster of the site, or out of every cluster."""
        source = self.get_object()
        body = ClusterMoveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        ids = body.validated_data["keyword_ids"]
        target = cluster_edits.keywords_move(
            cluster=source, keyword_ids=ids, to_cluster_id=body.validated_data["to_cluster"]
        )
        source.refresh_from_db()
        where = f'"{target.name}"' if target else "no cluster (unclustered)"
        return ok(
            {"from": self._cluster_data(source), "to": self._cluster_data(target) if target else None},
            message=f"Moved {len(set(ids))} keyword(s) to {where}.",
        )


class ContentIdeaViewSet(StatusBulkMixin, TenantViewSet):
    model = ContentIdea
    serializer_class = ContentIdeaSerializer
    selector = selectors.idea_list
    status_choices = IdeaStatus
    filterset_class = filters.ContentIdeaFilter
    search_fields = ["title", "description", "primary_keyword"]
    ordering_fields = ["title", "estimated_word_count", "created_at", "status"]

    @extend_schema(request=IdeaQueueSerializer, responses={201: dict, 409: dict})
    @action(detail=False, methods=["post"])
    def bulk_queue_to_writer(self, request, *args, **kwargs):
        """One writer task per new idea. When ideas about to be queued compete with other ideas or
        articles of their site (cannibalisation), nothing is queued: 409 with every pair named under
        `errors.confirm`, until the request says `"confirm": true`."""
        body = IdeaQueueSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        ideas = list(self.selected(body.validated_data["ids"]))
        warnings = cannibalisation.queue_check(ideas=ideas, confirm=body.validated_data["confirm"])
        result = services.ideas_queue_to_writer(ideas=ideas)
        result["cannibalisation"] = warnings
        return ok(result, status_code=201, message=f"Queued {result['queued']} idea(s) as writer tasks.")
