"""Integer ids outside the database's range match nothing, in every lookup that takes them.

Ids arrive from URLs, the X-Account-ID header, query strings and JSON bodies in many places. Django
already answers `pk=2**64` with no rows (its IntegerFieldExact), but a foreign key (`site_id=...`,
`account=...`) or an `__in` list still hands the number to the driver, and SQLite's raises
OverflowError (a 500) where PostgreSQL finds nothing. Registered once at start-up (CoreConfig.ready),
these make every such lookup behave the same on both: an id that cannot exist is not found."""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.db.models import ForeignObject, IntegerField
from django.db.models.fields.related_lookups import RelatedExact, RelatedIn
from django.db.models.lookups import In


def _bounds(lookup, connection) -> tuple[int | None, int | None]:
    field = lookup.lhs.output_field
    target = getattr(field, "target_field", None) if field.is_relation else field
    if not isinstance(target, IntegerField):
        return None, None
    return connection.ops.integer_field_range(target.get_internal_type())


def _fits(value: object, low: int | None, high: int | None) -> bool:
    if not isinstance(value, int):
        return True  # not ours to judge: the field's own preparation refuses or converts it
    return (low is None or value >= low) and (high is None or value <= high)


class _OutOfRangeInMatchesNothing:
    def process_rhs(self, compiler, connection):
        direct = self.rhs_is_direct_value() and isinstance(self.rhs, list | tuple | set | frozenset)
        if direct and any(isinstance(value, int) for value in self.rhs):
            low, high = _bounds(self, connection)
            kept = [value for value in self.rhs if _fits(value, low, high)]
            if not kept:
                raise EmptyResultSet
            self.rhs = kept
        return super().process_rhs(compiler, connection)


class IntegerInRange(_OutOfRangeInMatchesNothing, In):
    pass


class RelatedInRange(_OutOfRangeInMatchesNothing, RelatedIn):
    pass


class RelatedExactInRange(RelatedExact):
    def process_rhs(self, compiler, connection):
        if isinstance(self.rhs, int) and not _fits(self.rhs, *_bounds(self, connection)):
            raise EmptyResultSet
        return super().process_rhs(compiler, connection)


def register() -> None:
    IntegerField.register_lookup(IntegerInRange)
    ForeignObject.register_lookup(RelatedInRange)
    ForeignObject.register_lookup(RelatedExactInRange)
