from django.contrib import admin

from igny8.billing.models import CreditRenewal, CreditTransaction, CreditUsageLog, OperationCredit


@admin.register(CreditTransaction)
class CreditTransactionAdmin(admin.ModelAdmin):
    list_display = ["created_at", "account", "amount", "balance_after", "reason", "run_id"]
    list_filter = ["reason"]
    readonly_fields = [f.name for f in CreditTransaction._meta.fields]


@admin.register(CreditUsageLog)
class CreditUsageLogAdmin(admin.ModelAdmin):
    list_display = ["created_at", "account", "operation", "provider", "model", "credits", "cost_usd"]
    list_filter = ["operation", "provider"]
    readonly_fields = [f.name for f in CreditUsageLog._meta.fields]


@admin.register(OperationCredit)
class OperationCreditAdmin(admin.ModelAdmin):
    list_display = ["operation", "credits"]


@admin.register(CreditRenewal)
class CreditRenewalAdmin(admin.ModelAdmin):
    list_display = ["period_start", "account", "transaction", "created_at"]
    readonly_fields = [f.name for f in CreditRenewal._meta.fields]
