"""REST endpoints of the planner: keywords (with CSV import), clusters, ideas."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser

from igny8.accounts import access
from igny8.accounts.models import Sector
from igny8.ai import services as ai_services
from igny8.core.api import ok
from igny8.core.serializers import IdsSerializer
from igny8.core.viewsets import StatusBulkMixin, TenantViewSet
from igny8.planner import cannibalisation, filters, selectors, services
from igny8.planner.imports import keywords_import_upload
from igny8.planner.models import Cluster, ClusterStatus, ContentIdea, IdeaStatus, Keyword, KeywordStatus
from igny8.planner.serializers import (
    AutoClusterSerializer,
    ClusterSerializer,
    ContentIdeaSerializer,
    KeywordImportSerializer,
    KeywordSerializer,
)


def _queued(run):
    return ok(
        {"task_id": run.task_id, "status": run.status, "credits_reserved": run.credits_reserved},
        message="Queued.",
        status_code=status.HTTP_202_ACCEPTED,
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

    @extend_schema(request={"multipart/form-data": KeywordImportSerializer}, responses={201: dict})
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser, FormParser])
    def import_csv(self, request, *args, **kwargs):
        body = KeywordImportSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        site = access.access_site(account=self.account, site_id=body.validated_data["site_id"])
        sector = None
        if body.validated_data.get("sector_id"):
            sector = Sector.objects.filter(site=site, pk=body.validated_data["sector_id"]).first()
            if sector is None:
                raise serializers.ValidationError({"sector_id": ["No such sector in this site."]})
        report = keywords_import_upload(site=site, sector=sector, uploaded_file=body.validated_data["file"])
        return ok(
            report.as_dict(),
            status_code=201,
            message=f"Imported {report.created} keyword(s); {report.duplicates_count} duplicate(s), "
            f"{report.skipped_count} skipped.",
        )

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
        return _queued(run)


class ClusterViewSet(StatusBulkMixin, TenantViewSet):
    model = Cluster
    serializer_class = ClusterSerializer
    selector = selectors.cluster_list
    status_choices = ClusterStatus
    filterset_class = filters.ClusterFilter
    search_fields = ["name", "description"]
    ordering_fields = ["name", "keywords_count", "volume", "avg_difficulty", "created_at", "status"]

    @extend_schema(request=IdsSerializer, responses={202: dict})
    @action(detail=False, methods=["post"])
    def auto_generate_ideas(self, request, *args, **kwargs):
        body = IdsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        clusters = self.selected(body.validated_data["ids"])
        sites = {cluster.site for cluster in clusters.select_related("site")}
        run = ai_services.run_start(
            account=self.account,
            function_name="auto_generate_ideas",
            payload={"ids": sorted(body.validated_data["ids"])},
            site=next(iter(sites)) if len(sites) == 1 else None,
            user=request.user,
        )
        return _queued(run)


class ContentIdeaViewSet(StatusBulkMixin, TenantViewSet):
    model = ContentIdea
    serializer_class = ContentIdeaSerializer
    selector = selectors.idea_list
    status_choices = IdeaStatus
    filterset_class = filters.ContentIdeaFilter
    search_fields = ["title", "description", "primary_keyword"]
    ordering_fields = ["title", "estimated_word_count", "created_at", "status"]

    @extend_schema(request=IdsSerializer, responses={201: dict})
    @action(detail=False, methods=["post"])
    def bulk_queue_to_writer(self, request, *args, **kwargs):
        body = IdsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        ideas = list(self.selected(body.validated_data["ids"]))
        result = services.ideas_queue_to_writer(ideas=ideas)
        result["cannibalisation"] = cannibalisation.queue_warnings(ideas=ideas)
        return ok(result, status_code=201, message=f"Queued {result['queued']} idea(s) as writer tasks.")
