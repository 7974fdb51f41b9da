"""Reads for sites, sectors, members and invitations of one account."""

from collections import defaultdict

from django.db import router
from django.db.models import Count, QuerySet
from django.db.models.deletion import Collector

from igny8.accounts.models import Account, Invitation, Membership, Sector, Site


def site_list(*, account: Account) -> QuerySet[Site]:
    return Site.objects.filter(account=account).order_by("name", "id")


def sector_list(*, account: Account) -> QuerySet[Sector]:
    return Sector.objects.filter(account=account).order_by("site_id", "name", "id")


def member_list(*, account: Account) -> QuerySet[Membership]:
    return Membership.objects.filter(account=account).select_related("user").order_by("created_at", "id")


def account_usage(*, account: Account) -> dict:
    from igny8.planner.models import Cluster, Keyword

    counts = Account.objects.filter(pk=account.pk).aggregate(
        sites=Count("sites", distinct=True), users=Count("memberships", distinct=True)
    )
    return {
        **counts,
        "keywords": Keyword.objects.filter(account=account).count(),
        "clusters": Cluster.objects.filter(account=account).count(),
    }


def invitation_list(*, account: Account) -> QuerySet[Invitation]:
    """The open ones: accepted invitations are history, shown as members."""
    return (
        Invitation.objects.filter(account=account, accepted_at__isnull=True)
        .select_related("invited_by")
        .order_by("created_at", "id")
    )


def deletion_summary(*, instance: Site | Sector) -> dict[str, list[tuple[str, int]]]:
    """What deleting a site or sector does, for its confirmation page: "deleted" rows go with it,
    "detached" rows stay without it (SET_NULL), each as (name, count), largest first. It is
    Django's own cascade walk (the one delete() does), so the page cannot leave anything out."""
    collector = Collector(using=router.db_for_write(type(instance)))
    collector.collect([instance])
    # By primary key: one row is often reached twice (an image through its site and its content),
    # and rows about to be deleted get their links nulled first.
    deleted: dict[type, set] = defaultdict(set)
    for model, rows in collector.data.items():
        deleted[model].update(row.pk for row in rows)
    for queryset in collector.fast_deletes:
        deleted[queryset.model].update(queryset.values_list("pk", flat=True))
    deleted[type(instance)].discard(instance.pk)
    detached: dict[type, set] = defaultdict(set)
    for (field, _value), batches in collector.field_updates.items():
        for batch in batches:
            pks = (
                {row.pk for row in batch}
                if isinstance(batch, list | set | tuple)
                else set(batch.values_list("pk", flat=True))
            )
            detached[field.model].update(pks - deleted[field.model])

    def counted(pks_by_model: dict[type, set]) -> list[tuple[str, int]]:
        counts = [
            (str(m._meta.verbose_name if len(pks) == 1 else m._meta.verbose_name_plural), len(pks))
            for m, pks in pks_by_model.items()
            if pks
        ]
        return sorted(counts, key=lambda item: (-item[1], item[0]))

    return {"deleted": counted(deleted), "detached": counted(detached)}
