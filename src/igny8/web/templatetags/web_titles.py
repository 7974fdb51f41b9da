"""Template filters naming things for people: an AI run's function as the modal titles it."""

from django import template

from igny8.web.progress import function_title

register = template.Library()


@register.filter(name="function_title")
def function_title_filter(function_name: str) -> str:
    return function_title(function_name)


# Run, execution and step states as people say them (the API keeps the raw values).
STATE_LABELS = {
    "partially_completed": "Partly done",
    "partial": "Partly done",
    "completed": "Completed",
    "success": "Succeeded",
    "failed": "Failed",
    "pending": "Pending",
    "queued": "Queued",
    "running": "Running",
    "processing": "Processing",
    "in_progress": "In progress",
    "cancelled": "Cancelled",
    "interrupted": "Interrupted",
    "skipped": "Skipped",
}


def human_words(value: str) -> str:
    """snake_case as words: "item_delay_seconds" -> "Item delay seconds"."""
    text = str(value or "").replace("_", " ").strip()
    return text[:1].upper() + text[1:]


@register.filter
def state_label(value) -> str:
    return STATE_LABELS.get(str(value), human_words(value))


@register.filter
def operation_label(value) -> str:
    """An operation or AI function name (generate_content) as its title ("Generate content")."""
    title = function_title(str(value))
    return human_words(title) if title == value else title


@register.filter
def thousands(value) -> str:
    """12345 -> "12,345" (and 1234.5 -> "1,234.5"); anything not a number is shown as it is."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return "" if value is None else str(value)
    if number.is_integer():
        return f"{int(number):,}"
    return f"{number:,}"


@register.filter
def iso_minute(value) -> str:
    """An ISO date-time string to the minute, readable: "2026-11-30T09:00:00Z" -> "2026-11-30 09:00"."""
    return str(value or "")[:16].replace("T", " ")
