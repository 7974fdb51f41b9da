"""Template filters naming things for people: an AI run's function as the modal titles it."""

from django import template

from igny8.web.progress import function_title

register = template.Library()


@register.filter(name="function_title")
def function_title_filter(function_name: str) -> str:
    return function_title(function_name)
