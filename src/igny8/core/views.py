from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from igny8.accounts.models import Membership
from igny8.accounts.selectors import account_usage


@login_required
def home(request):
    memberships = Membership.objects.filter(user=request.user).select_related("account", "account__plan")
    workspaces = [
        {"membership": m, "usage": account_usage(account=m.account)}
        for m in memberships.order_by("created_at")
    ]
    return render(request, "core/home.html", {"workspaces": workspaces})
