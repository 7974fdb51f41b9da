"""Read-only billing endpoints: balance, ledger, usage."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.views import APIView

from igny8.billing import selectors
from igny8.billing.models import CreditTransaction, CreditUsageLog
from igny8.core.api import ok
from igny8.core.viewsets import AccountScopedMixin


class CreditTransactionSerializer(serializers.ModelSerializer):
    class Meta:
        model = CreditTransaction
        fields = ["id", "amount", "balance_after", "reason", "run_id", "note", "created_at"]


class CreditUsageSerializer(serializers.ModelSerializer):
    class Meta:
        model = CreditUsageLog
        fields = [
            "id",
            "run_id",
            "operation",
            "provider",
            "model",
            "credits",
            "cost_usd",
            "tokens_in",
            "tokens_out",
            "created_at",
        ]


class BalanceView(AccountScopedMixin, APIView):
    @extend_schema(responses={200: dict})
    def get(self, request):
        return ok(selectors.credit_balance(account=self.account))


class CreditTransactionViewSet(AccountScopedMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = CreditTransactionSerializer
    filterset_fields = ["reason", "run_id"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CreditTransaction.objects.none()
        return selectors.transaction_list(account=self.account)


class CreditUsageViewSet(AccountScopedMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = CreditUsageSerializer
    filterset_fields = ["operation", "provider", "model", "run_id"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CreditUsageLog.objects.none()
        return selectors.usage_list(account=self.account)

    @extend_schema(responses={200: dict})
    @action(detail=False, methods=["get"])
    def summary(self, request):
        return ok(selectors.usage_summary(account=self.account))
