"""The one domain error type. Services raise these; they know nothing of HTTP, DRF, forms or the shell.

Each interface translates them once: the API in `core.api.envelope_exception_handler` (status code +
the usual envelope), the web in `web.errors` (a message on the form or the page), the CLI in `cli.main`
(one line on stderr, exit code 2). The `kind` decides the API status code; nothing else does."""

from collections.abc import Mapping, Sequence

# kind -> HTTP status, read by the API translator only.
STATUS_BY_KIND = {
    "invalid": 400,
    "not_allowed": 403,
    "not_found": 404,
    "conflict": 409,
    "plan_limit": 402,
    "insufficient_credits": 402,
    "unavailable": 502,
    "rate_limited": 429,
}


class DomainError(Exception):
    """A refusal a person can act on. `message` is the sentence shown; `errors` maps a field (the API's
    field name) to its messages when the refusal is about input."""

    kind = "invalid"
    default_message = "The request could not be carried out."

    def __init__(
        self,
        message: str | None = None,
        *,
        field: str | None = None,
        errors: Mapping[str, str | Sequence[str]] | None = None,
        code: str | None = None,
    ):
        collected: dict[str, list[str]] = {}
        for name, value in (errors or {}).items():
            collected[str(name)] = [str(value)] if isinstance(value, str) else [str(v) for v in value]
        # Without a sentence of its own, the refusal says its first field's first message.
        first = next((messages[0] for messages in collected.values() if messages), None)
        self.message = message or first or self.default_message
        if field and field not in collected:
            collected[field] = [self.message]
        self.errors = collected
        self.field = field or (next(iter(collected)) if collected else None)
        self.code = code or self.kind
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


class Invalid(DomainError):
    """The input breaks a rule; `field` names which input."""

    kind = "invalid"
    default_message = "The input is not valid."


class NotAllowed(DomainError):
    kind = "not_allowed"
    default_message = "You do not have permission to do this."


class NotFound(DomainError):
    kind = "not_found"
    default_message = "Not found."


class Conflict(DomainError):
    """The request is valid but the current state forbids it (a duplicate, a run already holding it)."""

    kind = "conflict"
    default_message = "The request conflicts with the current state."


class PlanLimit(DomainError):
    """Valid, but the account's plan does not allow it: upgrading is the fix."""

    kind = "plan_limit"
    default_message = "Your plan's limit does not allow this."


class InsufficientCredits(DomainError):
    kind = "insufficient_credits"

    def __init__(self, *, needed: int, held: int, message: str | None = None):
        self.needed, self.held = needed, held
        super().__init__(
            message
            or f"This needs {needed} credits; the account holds {held}. Add credits or select fewer items."
        )


class Unavailable(DomainError):
    """A service we depend on (email, broker, provider) failed or is not answering; retrying later may
    work. 502: the fault is upstream of us."""

    kind = "unavailable"
    default_message = "A service this needs is not available right now; try again shortly."


class RateLimited(DomainError):
    """Too many attempts from this client or account; `wait` is how many seconds until one more
    is allowed (the API sends it as Retry-After)."""

    kind = "rate_limited"

    def __init__(self, *, message: str, wait: int):
        self.wait = wait
        super().__init__(message)


def status_for(error: DomainError) -> int:
    return STATUS_BY_KIND.get(error.kind, 400)
