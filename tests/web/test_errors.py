"""web.errors: the web's one translator of a DomainError (a message on the form field it names, or
above the form; one sentence for a page or modal; the page's status code)."""

from django import forms

from igny8.core import errors
from igny8.web.errors import add_to_form, error_text, form_errors, page_status


class SiteForm(forms.Form):
    name = forms.CharField(required=False)
    address = forms.CharField(required=False)


def _bound() -> SiteForm:
    form = SiteForm({"name": "Blog", "address": ""})
    assert form.is_valid()
    return form


def test_a_field_message_lands_on_that_field():
    form = _bound()
    add_to_form(form=form, error=errors.Invalid("A site with this name already exists.", field="name"))
    assert form.errors == {"name": ["A site with this name already exists."]}


def test_a_service_field_is_renamed_to_the_forms_field():
    form = _bound()
    error = errors.Invalid("Enter a valid URL.", field="url")
    add_to_form(form=form, error=error, fields={"url": "address"})
    assert form.errors == {"address": ["Enter a valid URL."]}


def test_a_refusal_about_no_field_is_a_page_message_above_the_form():
    form = _bound()
    add_to_form(
        form=form, error=errors.PlanLimit("Your plan allows 1 sites; delete one or upgrade the plan.")
    )
    assert form.non_field_errors() == ["Your plan allows 1 sites; delete one or upgrade the plan."]
    assert form.errors == {"__all__": ["Your plan allows 1 sites; delete one or upgrade the plan."]}


def test_an_unknown_field_goes_to_the_default_field_or_above_the_form():
    form = _bound()
    add_to_form(form=form, error=errors.Invalid("Too big.", field="file"), default="name")
    add_to_form(form=form, error=errors.Invalid("No such site.", field="site_id"))
    assert form.errors == {"name": ["Too big."], "__all__": ["No such site."]}


def test_a_message_already_shown_is_not_repeated():
    form = _bound()
    error = errors.Invalid(errors={"name": ["Taken.", "Too short."]})
    add_to_form(form=form, error=error)
    add_to_form(form=form, error=error)
    assert form.errors == {"name": ["Taken.", "Too short."]}


def test_error_text_names_fields_unless_the_page_shows_where():
    # Fields in words (web.errors.field_label); a selection's messages name the thing themselves.
    error = errors.Invalid(
        errors={"ids": ["Select keywords."], "batch_size": ["Too big."], "non_field_errors": ["Try again."]}
    )
    assert error_text(error) == "Select keywords. Items per batch: Too big. Try again."
    assert error_text(error, with_fields=False) == "Select keywords. Too big. Try again."
    assert error_text(errors.Conflict("Run 7 holds these tasks.")) == "Run 7 holds these tasks."


def test_form_errors_for_templates_that_list_by_field():
    assert form_errors(errors.Invalid("Past date.", field="scheduled_at")) == {"scheduled_at": ["Past date."]}
    assert form_errors(errors.Conflict("Being published.")) == {"non_field_errors": ["Being published."]}


def test_a_full_page_answers_with_the_apis_status():
    assert [
        page_status(error)
        for error in (
            errors.Invalid("x", field="name"),
            errors.NotAllowed(),
            errors.NotFound(),
            errors.Conflict(),
            errors.PlanLimit(),
            errors.InsufficientCredits(needed=2, held=1),
            errors.Unavailable(),
            errors.RateLimited(message="Wait 60 seconds.", wait=60),
        )
    ] == [400, 403, 404, 409, 402, 402, 502, 429]


def _unhandled(error, **headers):
    from django.test import RequestFactory
    from django_htmx.middleware import HtmxDetails

    from igny8.web.errors import DomainErrorMiddleware

    request = RequestFactory().post("/planner/keywords/bulk/cluster/", **headers)
    request.htmx = HtmxDetails(request)
    return DomainErrorMiddleware(lambda r: None).process_exception(request, error)


def test_a_refusal_no_view_caught_is_a_page_with_the_apis_status_not_a_500(db):
    response = _unhandled(
        errors.Conflict("Run 7 already holds these tasks."), HTTP_REFERER="http://evil.example/"
    )
    body = response.content.decode()
    assert response.status_code == 409
    assert '<p class="error" role="alert">' in body and "Run 7 already holds these tasks.</p>" in body
    assert '<a href="/">← Back</a>' in body  # another host's referer is not followed back
    assert "Traceback" not in body


def test_for_htmx_it_is_the_refusal_modal(db):
    response = _unhandled(
        errors.Invalid("Select keywords of one site at a time.", field="ids"), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400
    assert (
        '<p class="error" role="alert">Select keywords of one site at a time.</p>'
        in response.content.decode()
    )
    assert 'role="dialog"' in response.content.decode()


def test_other_exceptions_are_left_alone():
    assert _unhandled(ZeroDivisionError("a real bug")) is None
