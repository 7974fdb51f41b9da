"""The one domain error type and its API translation: kind decides the status, the envelope stays."""

import json

import pytest
from rest_framework.exceptions import ValidationError
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from igny8.core import errors
from igny8.core.api import envelope_exception_handler


def _translate(error):
    request = APIRequestFactory().get("/")
    response = envelope_exception_handler(error, {"view": APIView(), "request": request})
    return response.status_code, json.loads(json.dumps(response.data))


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (errors.Invalid("Name is required.", field="name"), 400),
        (errors.NotAllowed(), 403),
        (errors.NotFound("No such cluster."), 404),
        (errors.Conflict("Run 7 already holds these tasks."), 409),
        (errors.PlanLimit(), 402),
        (errors.InsufficientCredits(needed=100, held=40), 402),
        (errors.Unavailable(), 502),
    ],
)
def test_each_kind_has_its_status(error, status):
    assert _translate(error)[0] == status


def test_invalid_names_the_field_in_the_envelope():
    status, body = _translate(errors.Invalid("A sector with this name exists.", field="name"))
    assert (status, body) == (
        400,
        {
            "success": False,
            "error": "name: A sector with this name exists.",
            "errors": {"name": ["A sector with this name exists."]},
        },
    )


def test_several_fields_and_a_sentence_of_its_own():
    error = errors.Invalid("Two fields are wrong.", errors={"a": "Too long.", "b": ["Empty.", "Bad."]})
    assert _translate(error)[1] == {
        "success": False,
        "error": "Two fields are wrong.",
        "errors": {"a": ["Too long."], "b": ["Empty.", "Bad."]},
    }
    assert error.field == "a"


def test_insufficient_credits_says_the_numbers():
    error = errors.InsufficientCredits(needed=1000, held=585)
    assert (error.needed, error.held) == (1000, 585)
    assert str(error) == "This needs 1000 credits; the account holds 585. Add credits or select fewer items."


@pytest.mark.parametrize(
    ("drf", "domain"),
    [
        (ValidationError({"name": ["Taken."]}), errors.Invalid("Taken.", field="name")),
        (
            ValidationError({"password": ["Too short.", "Too common."]}),
            errors.Invalid(errors={"password": ["Too short.", "Too common."]}),
        ),
        (
            ValidationError({"non_field_errors": ["Nope."]}),
            errors.Invalid(errors={"non_field_errors": ["Nope."]}),
        ),
        (ValidationError(["Plain."]), errors.Invalid("Plain.")),
    ],
)
def test_the_envelope_is_the_one_drf_validation_errors_get(drf, domain):
    # What services raised before (DRF's ValidationError) and raise now answer the same.
    assert _translate(domain) == _translate(drf)


def test_without_a_sentence_the_first_fields_first_message_is_it():
    error = errors.Invalid(errors={"ids": ["Select keywords of one site at a time.", "Second."]})
    assert (error.message, error.field) == ("Select keywords of one site at a time.", "ids")


def test_rate_limited_is_429_with_retry_after():
    request = APIRequestFactory().get("/")
    error = errors.RateLimited(message="Too many sign-in attempts; wait 60 seconds.", wait=60)
    response = envelope_exception_handler(error, {"view": APIView(), "request": request})
    assert (response.status_code, response["Retry-After"], response.data) == (
        429,
        "60",
        {"success": False, "error": "Too many sign-in attempts; wait 60 seconds.", "errors": {}},
    )
