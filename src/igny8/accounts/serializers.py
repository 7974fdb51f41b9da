from datetime import datetime

from rest_framework import serializers

from igny8.accounts.invitations import invitation_expires_at
from igny8.accounts.models import Account, ApiToken, Invitation, Membership, Plan, Role, Sector, Site
from igny8.core.crypto import mask
from igny8.core.serializers import TenantRelatedField
from igny8.system.models import AuthorProfile


class PlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = Plan
        fields = [
            "id",
            "name",
            "max_sites",
            "max_users",
            "max_keywords",
            "max_clusters",
            "daily_cluster_limit",
            "monthly_credits",
        ]


class AccountSerializer(serializers.ModelSerializer):
    plan = PlanSerializer(read_only=True)

    class Meta:
        model = Account
        fields = ["id", "name", "slug", "plan", "credits", "is_active", "created_at"]
        read_only_fields = fields


class SiteSerializer(serializers.ModelSerializer):
    wp_app_password = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="WordPress application password; stored encrypted, never returned.",
    )
    wp_app_password_hint = serializers.SerializerMethodField()
    author_profile = TenantRelatedField(
        queryset=AuthorProfile.objects.all(),
        required=False,
        allow_null=True,
        help_text="The author profile the site's articles are written in (empty: the plain default).",
    )

    class Meta:
        model = Site
        fields = [
            "id",
            "name",
            "url",
            "is_active",
            "author_profile",
            "wp_url",
            "wp_username",
            "wp_app_password",
            "wp_app_password_hint",
            "created_at",
            "updated_at",
        ]

    def get_wp_app_password_hint(self, site: Site) -> str:
        return mask(site.wp_secrets.get("app_password", ""))

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        if "wp_app_password" in values:
            password = values.pop("wp_app_password")
            secrets = dict(getattr(self.instance, "wp_secrets", {}) or {})
            if password:
                secrets["app_password"] = password
            else:
                secrets.pop("app_password", None)
            values["wp_secrets"] = secrets
        return values


class SectorSerializer(serializers.ModelSerializer):
    site = TenantRelatedField(queryset=Site.objects.all())
    author_profile = TenantRelatedField(
        queryset=AuthorProfile.objects.all(),
        required=False,
        allow_null=True,
        help_text="Overrides the site's author profile for this sector (empty: the site's).",
    )

    class Meta:
        model = Sector
        fields = [
            "id",
            "site",
            "name",
            "description",
            "author_profile",
            "is_active",
            "created_at",
            "updated_at",
        ]
        # One name per site (case-insensitive) and no moving to another site are the services'
        # rules (accounts.services.sector_create / sector_update), which name the field.
        validators = []


class MembershipSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(source="user.email")
    full_name = serializers.CharField(source="user.full_name", read_only=True)
    role = serializers.ChoiceField(choices=Role.choices)

    class Meta:
        model = Membership
        fields = ["id", "email", "full_name", "role", "created_at"]


class InvitationSerializer(serializers.ModelSerializer):
    """An invitation to join the account; answered the same whether or not the email has a user."""

    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=Role.choices)
    invited_by = serializers.EmailField(source="invited_by.email", read_only=True, default=None)
    expires_at = serializers.SerializerMethodField()

    class Meta:
        model = Invitation
        fields = ["id", "email", "role", "invited_by", "created_at", "expires_at"]
        read_only_fields = ["id", "invited_by", "created_at", "expires_at"]

    def get_expires_at(self, invitation: Invitation) -> datetime:
        return invitation_expires_at(invitation=invitation)


class RoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(trim_whitespace=False)
    name = serializers.CharField(max_length=100, required=False, default="api")


class ApiTokenSerializer(serializers.ModelSerializer):
    current = serializers.SerializerMethodField(help_text="Whether this request was made with it.")

    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "last_used_at", "expires_at", "current"]
        read_only_fields = fields

    def get_current(self, token: ApiToken) -> bool:
        return token == self.context.get("current")
