"""The one domain error type and its API translation: kind decides the status, the envelope stays."""

import json

import pytest
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
