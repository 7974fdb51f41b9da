"""The dashboard and the top bar's account and site switchers."""

from django.http import Http404, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from igny8.accounts import access
from igny8.ai.selectors import run_list
from igny8.billing.selectors import credit_balance
from igny8.web.render import page
from igny8.web.selectors import pipeline_counts
from igny8.web.workspace import ACCOUNT_KEY, SITE_KEY, member_view


def _back(request) -> HttpResponseRedirect:
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return HttpResponseRedirect(target)


@member_view
def dashboard(request):
    ws = request.workspace
    return page(
        request,
        "web/dashboard.html",
        {
            "counts": pipeline_counts(site=ws.site),
            "balance": credit_balance(account=ws.account),
            "runs": list(run_list(account=ws.account).order_by("-created_at", "-id")[:8]),
        },
    )


# Switching only changes what this session looks at, so a viewer may switch too.
@require_POST
@member_view(write_role=access.READ)
def switch_account(request):
    wanted = request.POST.get("account_id", "")
    if not any(str(m.account_id) == wanted for m in request.workspace.memberships):
        raise Http404("No such account.")
    request.session[ACCOUNT_KEY] = int(wanted)
    request.session.pop(SITE_KEY, None)
    return _back(request)


@require_POST
@member_view(write_role=access.READ)
def switch_site(request):
    wanted = request.POST.get("site_id", "")
    if not any(str(site.pk) == wanted for site in request.workspace.sites):
        raise Http404("No such site.")
    request.session[SITE_KEY] = int(wanted)
    return _back(request)
