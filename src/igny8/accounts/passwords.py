"""Password rules: Django's four validators (settings.AUTH_PASSWORD_VALIDATORS) plus one for the
words anyone tries first on this service, applied on every path that sets a password."""

from __future__ import annotations

from difflib import SequenceMatcher

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

from igny8.accounts.models import User
from igny8.core.errors import Invalid


class ServiceWordsValidator:
    """Refuses a password too close to this service's name or its old demo login: `igny8-demo`
    was printed in the README as the default, so it is the first guess against any instance.
    Django's similarity validator compares with the user's own fields only, and lets it through."""

    WORDS = ("igny8", "igny8-demo", "igny8demo")

    def __init__(self, max_similarity: float = 0.7):
        self.max_similarity = max_similarity

    def validate(self, password: str, user: User | None = None) -> None:
        lowered = password.lower()
        for word in self.WORDS:
            matcher = SequenceMatcher(a=lowered, b=word)
            if matcher.quick_ratio() >= self.max_similarity and matcher.ratio() >= self.max_similarity:
                raise ValidationError(
                    "The password is too similar to the name of this service.", code="password_too_similar"
                )

    def get_help_text(self) -> str:
        return "Your password cannot be close to the name of this service."


def password_check(*, password: str, email: str, full_name: str = "") -> None:
    """For services: the validators' messages as a 400 on the `password` field."""
    try:
        password_validation.validate_password(password, user=User(email=email, full_name=full_name))
    except ValidationError as error:
        raise Invalid(errors={"password": list(error.messages)}) from None
