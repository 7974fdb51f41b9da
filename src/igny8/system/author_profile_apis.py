"""REST endpoints for author profiles: /api/v1/system/author-profiles/ (list, create) and
/{id}/ (read, update, delete). Thin: the checks and writes are system.author_profiles'."""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status, viewsets

from igny8.accounts import access
from igny8.core.api import ok
from igny8.core.viewsets import AccountScopedMixin
from igny8.system import author_profiles
from igny8.system.models import PointOfView, ReadingLevel


class AuthorProfileSerializer(serializers.Serializer):
    """The documented shape; the service checks the values (400 naming the field in words)."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=100)
    language = serializers.CharField(max_length=35, default="en", help_text="BCP 47: en, de-AT, pt-BR, ar.")
    country = serializers.CharField(max_length=2, required=False, help_text="ISO 3166-1 alpha-2: DE, ES.")
    tone = serializers.CharField(max_length=200, required=False)
    point_of_view = serializers.ChoiceField(choices=PointOfView.choices, required=False)
    audience = serializers.CharField(max_length=300, required=False)
    reading_level = serializers.ChoiceField(choices=ReadingLevel.choices, required=False)
    brand_voice = serializers.CharField(required=False, help_text="Notes on the brand's voice.")
    words_to_use = serializers.ListField(child=serializers.CharField(), required=False)
    words_to_avoid = serializers.ListField(child=serializers.CharField(), required=False)
    article_length = serializers.IntegerField(
        required=False, allow_null=True, help_text="Words (300-10000); empty: each task's own target."
    )
    include_faq = serializers.BooleanField(required=False, help_text="Articles end with an FAQ section.")
    example_passages = serializers.CharField(required=False, help_text="Passages in the voice to match.")
    site_ids = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    sector_ids = serializers.ListField(child=serializers.IntegerField(), read_only=True)


EXAMPLE = OpenApiExample(
    "German, second person, with an FAQ",
    value={
        "name": "Kaffee-Blog",
        "language": "de-DE",
        "country": "DE",
        "tone": "freundlich, sachkundig",
        "point_of_view": "second",
        "audience": "Hobby-Baristas",
        "reading_level": "general",
        "words_to_avoid": ["billig"],
        "article_length": 1200,
        "include_faq": True,
    },
    request_only=True,
)


class AuthorProfileViewSet(AccountScopedMixin, viewsets.ViewSet):
    """Author profiles of the account. A site chooses one (`author_profile` on
    /accounts/sites/{id}/), a sector may override it (`author_profile` on /accounts/sectors/{id}/),
    and a run's payload may name one (`author_profile_id`) for its batch."""

    write_role = access.MANAGE
    lookup_value_regex = r"[0-9]+"

    def _profile(self, pk: str):
        return author_profiles.author_profile_get(account=self.account, profile_id=int(pk), field="id")

    @extend_schema(responses={200: AuthorProfileSerializer(many=True)})
    def list(self, request):
        rows = author_profiles.author_profile_list(account=self.account).prefetch_related("sites", "sectors")
        return ok([author_profiles.author_profile_view(row) for row in rows])

    @extend_schema(
        request=AuthorProfileSerializer, responses={201: AuthorProfileSerializer}, examples=[EXAMPLE]
    )
    def create(self, request):
        profile = author_profiles.author_profile_create(account=self.account, values=dict(request.data))
        return ok(
            author_profiles.author_profile_view(profile),
            message="Author profile saved.",
            status_code=status.HTTP_201_CREATED,
        )

    @extend_schema(responses={200: AuthorProfileSerializer})
    def retrieve(self, request, pk: str):
        return ok(author_profiles.author_profile_view(self._profile(pk)))

    @extend_schema(request=AuthorProfileSerializer, responses={200: AuthorProfileSerializer})
    def partial_update(self, request, pk: str):
        profile = author_profiles.author_profile_update(profile=self._profile(pk), values=dict(request.data))
        return ok(author_profiles.author_profile_view(profile), message="Author profile saved.")

    @extend_schema(request=AuthorProfileSerializer, responses={200: AuthorProfileSerializer})
    def update(self, request, pk: str):
        values = dict(request.data)
        if "name" not in values:
            values["name"] = ""  # a full update sends every field; a missing name is the name's error
        profile = author_profiles.author_profile_update(profile=self._profile(pk), values=values)
        return ok(author_profiles.author_profile_view(profile), message="Author profile saved.")

    def destroy(self, request, pk: str):
        author_profiles.author_profile_delete(profile=self._profile(pk))
        return ok(None, message="Author profile deleted; its sites and sectors use the default voice.")
