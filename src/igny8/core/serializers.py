"""Serializer pieces that keep ids inside the caller's account."""

from rest_framework import serializers

from igny8.core.errors import Invalid
from igny8.core.services import SITE_BOUND_FIELDS, site_binding_check


def as_validation_error(error: Invalid) -> serializers.ValidationError:
    """A service's refusal inside a serializer's validate(): DRF's own error, so is_valid() collects
    it with the field's other messages instead of letting it escape."""
    return serializers.ValidationError(error.errors or [error.message])


class TenantRelatedField(serializers.PrimaryKeyRelatedField):
    """A foreign key that only resolves ids of the request's account: an id of another account
    reads as 'does not exist', exactly like an id that does not exist."""

    def get_queryset(self):
        return self.queryset.filter(account=self.context["account"])


class SiteOwnedSerializer(serializers.ModelSerializer):
    """site is set on create and fixed afterwards; sector (and cluster, where present) must
    belong to that same site."""

    SITE_BOUND_FIELDS = SITE_BOUND_FIELDS

    def validate(self, attrs):
        # The rule is the services' (core.services.site_binding_check), so the web's writes keep it too.
        try:
            site_binding_check(data=attrs, instance=self.instance)
        except Invalid as error:
            raise as_validation_error(error) from None
        return attrs


class IdsSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1), allow_empty=False, max_length=10_000
    )
