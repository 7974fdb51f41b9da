"""Settings (integrations, image generation, prompt templates, WordPress) and billing.

Integration saves go through the settings schemas (SETTINGS_SCHEMAS) and the system services; the
WordPress connection through WordPressForm and accounts.services.site_wordpress_set; tests call the
same check functions as the API's test endpoints."""

from django.apps import apps
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from igny8.accounts import access
from igny8.accounts import services as account_services
from igny8.accounts.selectors import account_usage
from igny8.ai import catalogue
from igny8.ai.providers.base import ProviderError
from igny8.ai.providers.registry import image_providers, keyed, provider_info
from igny8.billing import selectors as billing_selectors
from igny8.core.crypto import mask
from igny8.core.errors import Invalid, NotFound
from igny8.system import provider_checks, selectors, services
from igny8.system.integrations import SETTINGS_SCHEMAS
from igny8.system.prompts import PROMPT_TYPES, placeholder_problems
from igny8.web.errors import error_text, form_errors
from igny8.web.forms import PromptForm, TestImageForm, WordPressForm
from igny8.web.render import page, partial
from igny8.web.workspace import member_view

# Every keyed provider of the registry has a card (and a Test button); image settings have one more.
TESTABLE = tuple(info.name for info in keyed())
EDITABLE = (*TESTABLE, "image_generation")


def _provider_cards(integrations: dict, errors: dict, posted: dict, warnings: dict) -> list[dict]:
    """One settings card per keyed provider, in registry order: adding a provider adds its card."""
    return [
        {
            "info": info,
            "row": integrations.get(info.name, {}),
            "errors": errors.get(info.name, {}),
            "posted": posted.get(info.name, {}),
            "warning": warnings.get(info.name, ""),
            "models": catalogue.known_models(
                kind="text" if info.capabilities.text else "image", provider=info.name
            ),
        }
        for info in keyed()
    ]


def _model_warnings(integrations: dict) -> dict[str, str]:
    """Per settings card: a configured model that is shut down or shuts down within 30 days."""
    warnings = {}
    for kind, row in integrations.items():
        model = (row.get("config") or {}).get("model")
        if not model or kind not in EDITABLE:
            continue
        if kind == "image_generation":
            spec = catalogue.spec(model, kind="image", provider=row["config"].get("provider", ""))
        else:
            info = provider_info(kind)
            spec = catalogue.spec(model, kind="text" if info.capabilities.text else "image", provider=kind)
        if warning := catalogue.lifecycle_warning(spec):
            warnings[kind] = warning
    return warnings


def _settings_context(request, **extra) -> dict:
    ws = request.workspace
    integrations = {row["integration_type"]: row for row in selectors.integration_list(account=ws.account)}
    site = ws.site
    warnings = _model_warnings(integrations)
    errors, posted = extra.get("errors", {}), extra.get("posted", {})
    return {
        "integrations": integrations,
        "model_warnings": warnings,
        "provider_cards": _provider_cards(integrations, errors, posted, warnings),
        "image_models": sorted(
            {
                m
                for info in image_providers()
                for m in catalogue.known_models(kind="image", provider=info.name)
            }
        ),
        "image_providers": image_providers(),
        "prompts": selectors.prompt_list(account=ws.account),
        "image_fields": SETTINGS_SCHEMAS["image_generation"]().fields,
        "wp": {
            "url": site.wp_url if site else "",
            "username": site.wp_username if site else "",
            "password_hint": mask(site.wp_secrets.get("app_password", "")) if site else "",
        },
        "publishing": apps.is_installed("igny8.publishing"),
        "errors": {},
        **extra,
    }


@member_view
def settings_index(request):
    return page(request, "web/settings/index.html", _settings_context(request))


def _form_values(kind: str, post) -> dict:
    """Only the fields the form sent; a blank key field means 'keep the saved key'."""
    fields = SETTINGS_SCHEMAS[kind]().fields
    values = {}
    for name, field in fields.items():
        if name == "apiKey" and not post.get(name):
            continue
        if field.__class__.__name__ == "BooleanField":
            values[name] = post.get(name) == "on"
        elif name in post:
            values[name] = post.get(name)
    return values


@require_POST
@member_view(write_role=access.MANAGE)
def integration_save(request, kind: str):
    if kind not in EDITABLE:
        raise Http404("No such integration.")
    ws = request.workspace
    saved = selectors.integration_view(account=ws.account, integration_type=kind)["config"]
    body = SETTINGS_SCHEMAS[kind](
        data=_form_values(kind, request.POST), partial=True, context={"saved": saved}
    )
    if not body.is_valid():
        context = _settings_context(request, errors={kind: body.errors}, posted={kind: request.POST})
        return page(request, "web/settings/index.html", context, status=400)
    try:
        services.integration_save(
            account=ws.account, integration_type=kind, values=dict(body.validated_data), replace=False
        )
    except Invalid as error:
        context = _settings_context(request, errors={kind: form_errors(error)}, posted={kind: request.POST})
        return page(request, "web/settings/index.html", context, status=400)
    return redirect(f"/settings/?saved={kind}#{kind}")


@require_POST
@member_view(write_role=access.MANAGE)
def integration_check(request, kind: str):
    """Starts the key test on a worker and answers with a box that polls it (a provider that never
    answers holds the worker, not this request)."""
    if kind not in TESTABLE:
        raise Http404("No such integration.")
    check = provider_checks.check_start(account=request.workspace.account, kind=kind)
    return partial(request, "web/settings/check_progress.html", {"check": check})


@require_POST
@member_view(write_role=access.MANAGE)
def image_check(request):
    """One test image with the configured image provider, made on a worker, as POST
    /api/v1/system/settings/integrations/generate_image/ (same form checks, same service)."""
    body = TestImageForm(request.POST)
    if not body.is_valid():
        return partial(
            request,
            "web/settings/test_result.html",
            {"ok": False, "message": error_text(Invalid(errors=body.errors))},
        )
    try:
        check = provider_checks.image_check_start(
            account=request.workspace.account, prompt=body.prompt_or_default(), size="1024x1024"
        )
    except ProviderError as error:  # this hour's test images are used up
        return partial(request, "web/settings/test_result.html", {"ok": False, "message": str(error)})
    return partial(request, "web/settings/check_progress.html", {"check": check})


def _check_answer(check) -> dict:
    """The finished test as test_result.html shows it (the same sentences as when it ran here)."""
    if check.status == "failed":
        return {"ok": False, "message": check.error}
    if check.kind != provider_checks.IMAGE:
        return {"ok": True, "details": check.result}
    image = check.result
    message = "Image generated."
    if image["offline"]:
        message = "Offline draft: no image provider key is configured, so this placeholder was drawn locally."
    return {"ok": True, "message": message, "image": image, "prompt": image.get("prompt", "")}


@member_view(write_role=access.MANAGE)
def check_progress(request, pk: int):
    """Polled every second by check_progress.html until the test has its answer."""
    try:
        check = provider_checks.check_get(account=request.workspace.account, check_id=pk)
    except NotFound as error:
        raise Http404("No such test.") from error
    if not check.finished:
        return partial(request, "web/settings/check_progress.html", {"check": check})
    return partial(request, "web/settings/test_result.html", _check_answer(check))


@member_view(write_role=access.MANAGE)
def prompt_edit(request, prompt_type: str):
    if prompt_type not in PROMPT_TYPES:
        raise Http404("No such prompt.")
    ws = request.workspace
    current = next(p for p in selectors.prompt_list(account=ws.account) if p["prompt_type"] == prompt_type)
    form = PromptForm(request.POST or None, initial={"value": current["value"]})
    if request.method == "POST" and form.is_valid():
        problems = placeholder_problems(prompt_type=prompt_type, template=form.cleaned_data["value"])
        for problem in problems:
            form.add_error("value", problem)
        if not problems:
            services.prompt_save(
                account=ws.account, prompt_type=prompt_type, value=form.cleaned_data["value"]
            )
            return redirect(f"/settings/prompts/{prompt_type}/?saved=1")
    status = 400 if form.errors else 200
    return page(request, "web/settings/prompt.html", {"prompt": current, "form": form}, status=status)


@require_POST
@member_view(write_role=access.MANAGE)
def prompt_reset(request, prompt_type: str):
    if prompt_type not in PROMPT_TYPES:
        raise Http404("No such prompt.")
    services.prompt_reset(account=request.workspace.account, prompt_type=prompt_type)
    return redirect(f"/settings/prompts/{prompt_type}/?reset=1")


@require_POST
@member_view(write_role=access.MANAGE)
def wordpress_save(request):
    ws = request.workspace
    if ws.site is None:
        raise Http404("No site.")
    form = WordPressForm(request.POST)
    if not form.is_valid():
        context = _settings_context(
            request, errors={"wordpress": form.errors}, posted={"wordpress": request.POST}
        )
        return page(request, "web/settings/index.html", context, status=400)
    # Only what was posted changes; a blank password keeps the saved one (it is never shown).
    fields = {name: form.cleaned_data[name] for name in ("wp_url", "wp_username") if name in request.POST}
    account_services.site_wordpress_set(
        site=ws.site, app_password=form.cleaned_data["wp_app_password"], **fields
    )
    return redirect("/settings/?saved=wordpress#wordpress")


@require_POST
@member_view(write_role=access.MANAGE)
def wordpress_check(request):
    ws = request.workspace
    if ws.site is None or not apps.is_installed("igny8.publishing"):
        raise Http404("No WordPress connection test here.")
    from igny8.publishing.services import site_connection_test

    report = site_connection_test(site=ws.site)
    return partial(request, "web/settings/test_result.html", {"ok": report.ok, "message": report.message})


@member_view
def billing(request):
    ws = request.workspace
    usage = billing_selectors.usage_list(account=ws.account).order_by("-created_at", "-id")
    return page(
        request,
        "web/billing/index.html",
        {
            "balance": billing_selectors.credit_balance(account=ws.account),
            "summary": billing_selectors.usage_summary(account=ws.account),
            "usage": Paginator(usage, 50).get_page(request.GET.get("page")),
            "plan": ws.account.plan,
            "used": account_usage(account=ws.account),
        },
    )
