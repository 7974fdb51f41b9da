"""The viewset every tenant-owned resource uses: account resolution, roles, scoped querysets,
create/update through services, and the bulk actions."""

from collections.abc import Callable
from contextlib import contextmanager

from django.db import IntegrityError, models, transaction
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import SAFE_METHODS

from igny8.accounts import access
from igny8.accounts.models import Account, Membership
from igny8.core import services
from igny8.core.api import ok
from igny8.core.errors import Conflict
from igny8.core.serializers import IdsSerializer

ACCOUNT_HEADER = "HTTP_X_ACCOUNT_ID"
ACCOUNT_PARAMETER = OpenApiParameter(
    "X-Account-ID",
    int,
    OpenApiParameter.HEADER,
    required=False,
    description="The account to act in; defaults to your oldest membership.",
)


def request_membership(request) -> Membership:
    """The caller's membership in the account named by X-Account-ID (or ?account_id=)."""
    cached = getattr(request, "_igny8_membership", None)
    if cached is None:
        account_id = request.META.get(ACCOUNT_HEADER) or request.query_params.get("account_id")
        cached = access.membership_for(user=request.user, account_id=account_id)
        request._igny8_membership = cached
    return cached


@contextmanager
def conflicts_as_409():
    """A constraint the database refuses at write time is a 409 naming what to do, not a 500: a
    row the request refers to was deleted after validation, or a duplicate was written meanwhile."""
    try:
        yield
    except IntegrityError as error:
        raise Conflict(
            "This change conflicts with another one made meanwhile (a record it refers to was deleted, "
            "or the same record was added); reload and try again."
        ) from error


class AccountScopedMixin:
    """Resolves the account and enforces the role before any handler runs."""

    read_role = access.READ
    write_role = access.WRITE

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        needed = self.read_role if request.method in SAFE_METHODS else self.write_role
        access.require_role(membership=self.membership, needed=needed)

    @property
    def membership(self) -> Membership:
        return request_membership(self.request)

    @property
    def account(self) -> Account:
        return self.membership.account

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self.request, "user", None) is not None and not getattr(self, "swagger_fake_view", False):
            context["account"] = self.account
        return context


class StatusSerializer(IdsSerializer):
    status = serializers.CharField()


@extend_schema(parameters=[ACCOUNT_PARAMETER])
class TenantViewSet(AccountScopedMixin, viewsets.ModelViewSet):
    """Subclasses set `model`, `serializer_class`, `selector` (account -> queryset) and may set
    `create_service` / `update_service` when the model has rules beyond its fields."""

    model: type[models.Model]
    selector: Callable[..., models.QuerySet]
    create_service: Callable[..., models.Model] | None = None
    update_service: Callable[..., models.Model] | None = None
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.model.objects.none()
        return type(self).selector(account=self.account)

    def perform_create(self, serializer):
        create = type(self).create_service or (lambda **kw: services.row_create(model=self.model, **kw))
        with conflicts_as_409():
            serializer.instance = create(account=self.account, **serializer.validated_data)

    def perform_update(self, serializer):
        update = type(self).update_service or services.row_update
        with conflicts_as_409(), transaction.atomic():
            # Locked and still there, or 404: save() on a row deleted since it was read would
            # fall back to an INSERT and bring it back (or fail on its deleted site: a 500).
            if not self.model.objects.select_for_update().filter(pk=serializer.instance.pk).exists():
                raise NotFound("No such record: it was deleted.")
            serializer.instance = update(instance=serializer.instance, **serializer.validated_data)

    def perform_destroy(self, instance):
        services.rows_delete(queryset=self.model.objects.filter(pk=instance.pk))

    def selected(self, ids: list[int]) -> models.QuerySet:
        """The rows of these ids in this account; any id that is not there refuses the request."""
        queryset = self.get_queryset().filter(pk__in=ids)
        found = set(queryset.values_list("pk", flat=True))
        missing = sorted(set(ids) - found)
        if missing:
            shown = ", ".join(map(str, missing[:20])) + (" …" if len(missing) > 20 else "")
            raise serializers.ValidationError({"ids": [f"No such record(s) in this account: {shown}."]})
        return queryset

    @extend_schema(request=IdsSerializer, responses={200: dict})
    @action(detail=False, methods=["post"])
    def bulk_delete(self, request, *args, **kwargs):
        body = IdsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        deleted = services.rows_delete(queryset=self.selected(body.validated_data["ids"]))
        return ok({"deleted": deleted}, message=f"Deleted {deleted} record(s).")


class StatusBulkMixin:
    """bulk_update_status for models with a status column; set `status_choices`."""

    status_choices: type[models.TextChoices]

    @extend_schema(request=StatusSerializer, responses={200: dict})
    @action(detail=False, methods=["post"])
    def bulk_update_status(self, request, *args, **kwargs):
        body = StatusSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        new_status = body.validated_data["status"]
        if new_status not in self.status_choices.values:
            raise serializers.ValidationError(
                {"status": [f"Must be one of {', '.join(self.status_choices.values)}; got {new_status!r}."]}
            )
        updated = services.rows_set_status(
            queryset=self.selected(body.validated_data["ids"]), status=new_status
        )
        return ok({"updated": updated}, message=f"Updated {updated} record(s).")
