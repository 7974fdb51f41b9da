"""Automation rules: the list (execute, edit, delete), the editor (trigger, cron with its live
preview, condition and action builders), the rule's workflow with live status, the webhook secret.

Saves go through automation_forms.RuleForm and services.rule_create / rule_update; executing through
services.rule_execute (the REST execute endpoint's service), so a refusal there (400, 402, 409) is
the same refusal here, shown as a sentence."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import available_timezones

from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from igny8.accounts import access
from igny8.automation import conf, scheduling, selectors, services
from igny8.automation.actions import ActionUnavailable, get_action
from igny8.automation.actions.registry import PLANNED
from igny8.automation.models import AutomationRule, EventType, RuleStatus, ScheduledTask, Trigger
from igny8.core import services as core_services
from igny8.core.errors import DomainError, Invalid
from igny8.core.links import public_url
from igny8.web import automation_forms as forms
from igny8.web import automation_progress as progress_view
from igny8.web.errors import error_text, page_status
from igny8.web.render import page, partial
from igny8.web.workspace import member_view

PAGE_SIZE = 50
SECRET_KEY = "web_automation_secret"  # session: the webhook secret to show once, by rule id
_TIMEZONES: list[str] = []


def timezones() -> list[str]:
    if not _TIMEZONES:
        _TIMEZONES.extend(sorted(available_timezones()))
    return _TIMEZONES


def action_titles(actions: list[dict]) -> dict[str, str]:
    """Display names from the registry (no database: the polled partials use this)."""
    titles = {}
    for spec in actions:
        name = spec.get("type", "")
        try:
            titles[name] = get_action(name).display_name or name
        except ActionUnavailable:
            titles[name] = PLANNED.get(name, {}).get("display_name", name)
    return titles


def _rules(request):
    return selectors.rule_list(account=request.workspace.account)


def _rule(request, pk: int) -> AutomationRule:
    return get_object_or_404(_rules(request), pk=pk)


def _pop_secret(request, rule: AutomationRule) -> str:
    """The secret of a rule just created or rotated: shown once, as the API's answer shows it."""
    shown = request.session.get(SECRET_KEY) or {}
    secret = shown.pop(str(rule.pk), "")
    if secret:
        request.session[SECRET_KEY] = shown
    return secret


def _keep_secret(request, rule: AutomationRule, secret: str) -> None:
    request.session[SECRET_KEY] = {**(request.session.get(SECRET_KEY) or {}), str(rule.pk): secret}


# -- list ------------------------------------------------------------------------------------------
def rule_rows(*, account):
    """The account's rules with their latest execution, in one query."""
    latest = ScheduledTask.objects.filter(rule=OuterRef("pk")).order_by("-created_at", "-pk")
    return (
        selectors.rule_list(account=account)
        .defer("webhook_secret")
        .annotate(
            last_task_id=Subquery(latest.values("pk")[:1]),
            last_task_status=Subquery(latest.values("status")[:1]),
            last_task_at=Subquery(
                latest.annotate(at=Coalesce("finished_at", "executed_at", "scheduled_at")).values("at")[:1]
            ),
        )
        .order_by("-created_at", "-id")
    )


def _list_page(request, *, error: str = "", status: int = 200):
    rules = Paginator(rule_rows(account=request.workspace.account), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for rule in rules:
        rule.schedule_text = scheduling.describe(rule.schedule) if rule.trigger == Trigger.SCHEDULE else ""
    return page(request, "web/automation/rules.html", {"rules": rules, "error": error}, status=status)


@member_view
def rule_list(request):
    return _list_page(request)


@require_POST
@member_view
def rule_execute(request, pk: int):
    rule = _rule(request, pk)
    try:
        # The service checks the site (a site of the rule's account, or 404) as for the API.
        task = services.rule_execute(
            rule=rule, site_id=request.POST.get("site_id") or None, context={}, user=request.user
        )
    except DomainError as error:
        return _list_page(request, error=f"{rule.name}: {error_text(error)}", status=page_status(error))
    return redirect("web:automation-execution", pk=task.pk)


@member_view(read_role=access.WRITE)
def rule_delete(request, pk: int):
    """GET asks to confirm; POST deletes (as DELETE /api/v1/automation/rules/{id}/)."""
    rule = _rule(request, pk)
    if request.method == "POST":
        core_services.rows_delete(queryset=AutomationRule.objects.filter(pk=rule.pk))
        return redirect(f"{_url('web:automation')}?deleted={rule.pk}")
    executions = ScheduledTask.objects.filter(rule=rule).count()
    return page(request, "web/automation/delete.html", {"rule": rule, "executions": executions})


def _url(name: str, **kwargs) -> str:
    return reverse(name, kwargs=kwargs or None)


# -- editor ----------------------------------------------------------------------------------------
def schedule_preview(schedule: str, timezone_name: str, *, now: datetime) -> dict:
    """The cron's description and next five runs, or why it is not valid: scheduling's validate,
    then selectors.schedule_info (what the API shows as schedule_description and next_runs)."""
    schedule, timezone_name = schedule.strip(), (timezone_name or "UTC").strip()
    if not schedule:
        return {"empty": True}
    try:
        scheduling.validate(schedule, timezone_name)
    except scheduling.ScheduleError as error:
        return {"error": str(error)}
    probe = AutomationRule(trigger=Trigger.SCHEDULE, schedule=schedule, timezone=timezone_name)
    info = selectors.schedule_info(rule=probe, now=now)
    zone = scheduling.zone(timezone_name)
    runs = []
    for text in info["next_runs"]:
        moment = datetime.fromisoformat(text)
        local = moment.astimezone(zone)
        label = f"{local:%a %Y-%m-%d %H:%M} {timezone_name}"
        if timezone_name != "UTC":
            label += f" ({moment:%H:%M} UTC)"
        runs.append({"iso": text, "label": label})
    return {"description": info["description"], "runs": runs, "timezone": timezone_name}


@member_view
def schedule_preview_view(request):
    context = schedule_preview(
        request.GET.get("schedule", ""), request.GET.get("timezone", "UTC"), now=timezone.now()
    )
    return partial(request, "web/automation/schedule_preview.html", {"preview": context})


def _editor_page(request, *, rule, values, builder, catalogue, errors=None, status=200):
    ws = request.workspace
    context = {
        "rule": rule,
        "values": values,
        "errors": errors or {},
        "builder": builder,
        "catalogue": catalogue,
        "available": [row for row in catalogue if row["available"]],
        "templates": [
            forms.action_card(key="__K__", type_=row["type"], given={}, catalogue={row["type"]: row})
            for row in catalogue
            if row["available"]
        ],
        "blank_condition": forms.ConditionRow(key="__I__"),
        "blank_group": forms.ConditionRow(key="__I__", kind="any", children=[forms.ConditionRow(key="0")]),
        "blank_child": forms.ConditionRow(key="__J__"),
        "field_choices": forms.field_choices(),
        "operators": list(forms.OPERATOR_LABELS.items()),
        "triggers": Trigger.choices,
        "event_types": EventType.choices,
        "statuses": RuleStatus.choices,
        "sites": ws.sites,
        "timezones": timezones(),
        "preview": schedule_preview(values["schedule"], values["timezone"], now=timezone.now()),
        "secret": _pop_secret(request, rule) if rule else "",
        "webhook_url": public_url(request=request, path=f"/api/v1/automation/webhooks/{rule.public_id}/")
        if rule
        else "",
        "webhook_tolerance": conf.webhook_tolerance_seconds(),
    }
    return page(request, "web/automation/editor.html", context, status=status)


def _editor(request, rule: AutomationRule | None):
    ws = request.workspace
    catalogue = selectors.action_types(account=ws.account)
    if request.method != "POST":
        builder = forms.builder_from_rule(
            conditions=rule.conditions if rule else [],
            actions=rule.actions if rule else [],
            catalogue=catalogue,
        )
        values = forms.rule_initial(rule, site_id=ws.site.pk if ws.site else None)
        return _editor_page(request, rule=rule, values=values, builder=builder, catalogue=catalogue)
    values = forms.posted_values(request.POST)
    builder = forms.builder_from_post(request.POST, catalogue=catalogue)
    op = request.POST.get("op", "save") or "save"
    if op != "save":
        forms.apply_op(builder, op, add_type=request.POST.get("add_type", ""), catalogue=catalogue)
        return _editor_page(request, rule=rule, values=values, builder=builder, catalogue=catalogue)
    body = forms.request_body(values, builder)
    if isinstance(body, str):
        errors = forms.place_errors(builder, {"conditions": [body]})
        return _editor_page(
            request, rule=rule, values=values, builder=builder, catalogue=catalogue, errors=errors, status=400
        )
    own = forms.RuleForm(
        {name: value for name, value in body.items() if name not in ("conditions", "actions")},
        account=ws.account,
    )
    if not own.is_valid():
        errors = forms.place_errors(builder, {name: list(messages) for name, messages in own.errors.items()})
        return _editor_page(
            request, rule=rule, values=values, builder=builder, catalogue=catalogue, errors=errors, status=400
        )
    fields = {**own.cleaned_data, "conditions": body.get("conditions", []), "actions": body["actions"]}
    try:
        if rule is None:
            rule = services.rule_create(account=ws.account, **fields)
            _keep_secret(request, rule, rule.webhook_secret.get("secret", ""))
        else:
            services.rule_update(instance=rule, **fields)
    except Invalid as error:  # the conditions, actions, cron or event (rule_check)
        errors = forms.place_errors(builder, error.errors)
        return _editor_page(
            request, rule=rule, values=values, builder=builder, catalogue=catalogue, errors=errors, status=400
        )
    return redirect("web:automation-rule", pk=rule.pk)


@member_view(read_role=access.WRITE)  # the editor is for those who may save it
def rule_new(request):
    return _editor(request, None)


@member_view(read_role=access.WRITE)
def rule_edit(request, pk: int):
    return _editor(request, _rule(request, pk))


@require_POST
@member_view
def rule_rotate_secret(request, pk: int):
    rule = _rule(request, pk)
    _keep_secret(request, rule, services.rule_rotate_secret(rule=rule))
    target = "web:automation-edit" if request.POST.get("next") == "edit" else "web:automation-rule"
    return redirect(f"{_url(target, pk=rule.pk)}#webhook")


# -- the rule's workflow -----------------------------------------------------------------------------
def workflow_context(rule: AutomationRule) -> dict:
    progress = selectors.progress(rule=rule)
    return {
        "rule": rule,
        "progress": progress,
        "steps": progress_view.steps(
            actions=rule.actions, progress=progress, titles=action_titles(rule.actions)
        ),
        "live": progress_view.live(progress),
    }


@member_view
def rule_detail(request, pk: int):
    rule = _rule(request, pk)
    recent = (
        ScheduledTask.objects.filter(rule=rule)
        .select_related("site")
        .defer("results", "state", "context")
        .order_by("-scheduled_at", "-id")[:10]
    )
    context = {
        **workflow_context(rule),
        "recent": list(recent),
        "schedule": selectors.schedule_info(rule=rule, now=timezone.now()),
        "secret": _pop_secret(request, rule),
        "webhook_url": public_url(request=request, path=f"/api/v1/automation/webhooks/{rule.public_id}/"),
        "webhook_tolerance": conf.webhook_tolerance_seconds(),
    }
    return page(request, "web/automation/rule.html", context)


@member_view
def rule_workflow(request, pk: int):
    return partial(request, "web/automation/workflow.html", workflow_context(_rule(request, pk)))
