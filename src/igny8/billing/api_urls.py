"""Routes under /api/v1/billing/."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from igny8.billing import apis

router = SimpleRouter(trailing_slash=True)
router.register("transactions", apis.CreditTransactionViewSet, basename="credit-transaction")
router.register("usage", apis.CreditUsageViewSet, basename="credit-usage")

urlpatterns = [
    path("balance/", apis.BalanceView.as_view(), name="credit-balance"),
    path("", include(router.urls)),
]
