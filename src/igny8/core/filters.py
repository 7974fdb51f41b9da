import django_filters


class SiteOwnedFilter(django_filters.FilterSet):
    """Every site-owned list filters by site_id and sector_id."""

    site_id = django_filters.NumberFilter(field_name="site_id")
    sector_id = django_filters.NumberFilter(field_name="sector_id")
