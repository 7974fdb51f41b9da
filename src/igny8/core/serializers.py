"""Serializer pieces that keep ids inside the caller's account."""

from rest_framework import serializers


class TenantRelatedField(serializers.PrimaryKeyRelatedField):
    """A foreign key that only resolves ids of the request's account: an id of another account
    reads as 'does not exist', exactly like an id that does not exist."""

    def get_queryset(self):
        return self.queryset.filter(account=self.context["account"])


class SiteOwnedSerializer(serializers.ModelSerializer):
    """site is set on create and fixed afterwards; sector (and cluster, where present) must
    belong to that same site."""

    SITE_BOUND_FIELDS = ("sector", "cluster", "idea", "content")

    def validate(self, attrs):
        # Ids only, never `self.instance.site`: that would load the site, and a site deleted after
        # the row was read (a PATCH racing a DELETE) would raise Site.DoesNotExist, a 500.
        site = attrs.get("site")
        site_id = site.pk if site is not None else getattr(self.instance, "site_id", None)
        if self.instance is not None and "site" in attrs and site_id != self.instance.site_id:
            raise serializers.ValidationError({"site": ["A record cannot move to another site."]})
        for name in self.SITE_BOUND_FIELDS:
            related = attrs.get(name)
            if related is not None and site_id is not None and related.site_id != site_id:
                raise serializers.ValidationError({name: [f"This {name} belongs to another site."]})
        return attrs


class IdsSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1), allow_empty=False, max_length=10_000
    )
