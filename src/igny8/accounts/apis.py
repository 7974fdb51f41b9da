"""REST endpoints for API tokens (made, listed, revoked), the current account, sites, sectors and
members."""

from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from igny8.accounts import access, invitations, selectors, services
from igny8.accounts.authentication import BearerTokenAuthentication
from igny8.accounts.models import Invitation, Membership, Sector, Site
from igny8.accounts.serializers import (
    AccountSerializer,
    ApiTokenSerializer,
    InvitationSerializer,
    MembershipSerializer,
    RoleSerializer,
    SectorSerializer,
    SiteSerializer,
    TokenRequestSerializer,
)
from igny8.accounts.throttles import signin_check, signin_failed
from igny8.accounts.tokens import token_create, token_list, token_revoke
from igny8.core.api import ok
from igny8.core.links import public_base
from igny8.core.viewsets import AccountScopedMixin, TenantViewSet


class TokenView(APIView):
    """Exchange an email and password for an API token (shown once)."""

    permission_classes = [AllowAny]
    # Bearer is listed so a wrong password answers 401 with WWW-Authenticate, not 403.
    authentication_classes = [BearerTokenAuthentication]

    @extend_schema(request=TokenRequestSerializer, responses={201: dict})
    def post(self, request):
        body = TokenRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        email = body.validated_data["email"].lower()
        signin_check(request=request, email=email)  # 429 before the password is looked at
        user = authenticate(request, email=email, password=body.validated_data["password"])
        if user is None:
            signin_failed(email=email)
            raise AuthenticationFailed("Email or password is wrong.")
        key = token_create(user=user, name=body.validated_data["name"])
        return ok(
            {"token": key, "token_type": "Bearer"},
            status_code=201,
            message="Keep this token safe; it is not shown again.",
        )


class TokenListView(APIView):
    """Your API tokens that still work (a key is never shown again, only its first characters)."""

    @extend_schema(responses={200: ApiTokenSerializer(many=True)})
    def get(self, request):
        tokens = token_list(user=request.user)
        return ok(ApiTokenSerializer(tokens, many=True, context={"current": request.auth}).data)


class TokenDetailView(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request, pk: int):
        """Revoke one of your tokens at once; another user's token answers 404."""
        token_revoke(user=request.user, token_id=pk)
        return Response(status=204)


class MeView(AccountScopedMixin, APIView):
    """Who you are, the account you act in, your role there, and the plan's limits and use."""

    @extend_schema(responses={200: dict})
    def get(self, request):
        memberships = Membership.objects.filter(user=request.user).select_related("account")
        return ok(
            {
                "user": {
                    "id": request.user.pk,
                    "email": request.user.email,
                    "full_name": request.user.full_name,
                },
                "account": AccountSerializer(self.account).data,
                "role": self.membership.role,
                "usage": selectors.account_usage(account=self.account),
                "accounts": [
                    {"id": m.account_id, "name": m.account.name, "role": m.role} for m in memberships
                ],
            }
        )


class SiteViewSet(TenantViewSet):
    model = Site
    serializer_class = SiteSerializer
    selector = selectors.site_list
    create_service = services.site_create
    update_service = services.site_update
    write_role = access.MANAGE
    search_fields = ["name", "url"]
    ordering_fields = ["name", "created_at"]


class SectorViewSet(TenantViewSet):
    model = Sector
    serializer_class = SectorSerializer
    selector = selectors.sector_list
    write_role = access.MANAGE
    filterset_fields = ["site"]
    search_fields = ["name"]
    ordering_fields = ["name", "created_at"]

    update_service = services.sector_update

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.sector_create(
            site=data["site"],
            name=data["name"],
            description=data.get("description", ""),
            author_profile=data.get("author_profile"),
        )


class MemberViewSet(
    AccountScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Team members. Admins and owners manage them; only an owner grants or removes ownership.
    POST invites (see InvitationViewSet for the open invitations)."""

    serializer_class = MembershipSerializer
    write_role = access.MANAGE
    ordering_fields = ["created_at"]
    search_fields = ["user__email"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Membership.objects.none()
        return selectors.member_list(account=self.account)

    def _guard_ownership(self, *roles: str) -> None:
        services.owner_role_guard(acting=self.membership, roles=roles)

    @extend_schema(request=InvitationSerializer, responses={201: InvitationSerializer})
    def create(self, request, *args, **kwargs):
        """Invite someone by email: they become a member only by following the emailed link. The
        answer is the same whether or not the email has a user on this instance."""
        body = InvitationSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        role = body.validated_data["role"]
        self._guard_ownership(role)
        invitation = invitations.member_invite(
            account=self.account,
            email=body.validated_data["email"],
            role=role,
            invited_by=request.user,
            link_base=public_base(request=request),
        )
        return ok(
            InvitationSerializer(invitation).data,
            status_code=201,
            message=f"Invitation to {invitation.email} is on its way; they join when they follow its link.",
        )

    def perform_destroy(self, instance):
        self._guard_ownership(instance.role)
        services.member_remove(membership=instance)

    @extend_schema(request=RoleSerializer, responses={200: MembershipSerializer})
    @action(detail=True, methods=["post"])
    def set_role(self, request, *args, **kwargs):
        membership = self.get_object()
        body = RoleSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        self._guard_ownership(membership.role, body.validated_data["role"])
        membership = services.member_set_role(membership=membership, role=body.validated_data["role"])
        return ok(MembershipSerializer(membership).data)


class InvitationViewSet(
    AccountScopedMixin, mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """Open invitations of the account (made by POST /accounts/members/); DELETE withdraws one,
    and its link stops working at once."""

    serializer_class = InvitationSerializer
    read_role = access.MANAGE
    write_role = access.MANAGE
    ordering_fields = ["created_at"]
    search_fields = ["email"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Invitation.objects.none()
        return selectors.invitation_list(account=self.account)

    def perform_destroy(self, instance):
        invitations.invitation_withdraw(invitation=instance)
