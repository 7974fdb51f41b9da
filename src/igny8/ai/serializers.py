"""The request bodies of the endpoints that start AI runs on records (the domain endpoints): the ids,
and the batch's generation settings and one-run prompt where the function takes them. Every key
that is not a field is a 400 naming it: a parameter is honoured or refused, never dropped."""

from __future__ import annotations

from rest_framework import serializers
from rest_framework.response import Response

from igny8.ai.registry import UnknownFunction, get_function
from igny8.core.api import ok
from igny8.core.serializers import IdsSerializer
from igny8.system.voice import CONTENT_STRUCTURES, MAX_WORDS, MIN_WORDS

# What a batch may set (ai.base.AIFunction.generation_fields names what each function takes).
GENERATION_KEYS = ("author_profile_id", "content_structure", "word_count", "include_faq", "prompt_override")


class StrictSerializer(serializers.Serializer):
    """Refuses keys it has no field for, naming each, instead of ignoring them."""

    def validate(self, attrs):
        sent = set(getattr(self, "initial_data", {}) or {})
        unknown = sorted(sent - set(self.fields))
        if unknown:
            known = ", ".join(name for name in self.fields if not self.fields[name].read_only)
            raise serializers.ValidationError(
                {name: [f"This endpoint does not take {name}; it takes {known}."] for name in unknown}
            )
        return super().validate(attrs)


class StrictIdsSerializer(StrictSerializer, IdsSerializer):
    pass


class IdeasBodySerializer(StrictIdsSerializer):
    author_profile_id = serializers.IntegerField(
        min_value=1,
        required=False,
        allow_null=True,
        help_text="The batch's author profile (empty: each site's or sector's).",
    )
    content_structure = serializers.ChoiceField(
        choices=CONTENT_STRUCTURES, required=False, allow_blank=True, help_text="Every idea's content type."
    )
    word_count = serializers.IntegerField(
        min_value=MIN_WORDS,
        max_value=MAX_WORDS,
        required=False,
        allow_null=True,
        help_text="Words per article.",
    )
    prompt_override = serializers.CharField(
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        max_length=50_000,
        help_text="This run's prompt.",
    )


class ContentBodySerializer(IdeasBodySerializer):
    include_faq = serializers.BooleanField(
        required=False,
        allow_null=True,
        help_text="End each article with an FAQ (empty: the profile's choice).",
    )


class ImagePromptsBodySerializer(StrictIdsSerializer):
    author_profile_id = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    max_images = serializers.IntegerField(
        min_value=0,
        max_value=10,
        required=False,
        help_text="In-article image prompts per content (this run).",
    )
    prompt_override = serializers.CharField(
        required=False, allow_blank=True, trim_whitespace=False, max_length=50_000
    )


def run_options(validated: dict) -> dict:
    """The validated body's run settings as payload keys (what was left empty is left out)."""
    return {key: value for key, value in validated.items() if key != "ids" and value not in (None, "")}


class RunSettingsSerializer(StrictSerializer):
    """The body of an endpoint that starts a run on one record named in its URL (optimise a
    content, plan a site's structure): an author profile and a one-run prompt, both optional."""

    author_profile_id = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    prompt_override = serializers.CharField(
        required=False, allow_blank=True, trim_whitespace=False, max_length=50_000
    )


class PagesBodySerializer(StrictIdsSerializer, RunSettingsSerializer):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1, max_length=200)


def accepted(run) -> Response:
    """The one 202 answer of every endpoint that starts an AI run (the domain endpoints and
    /api/v1/ai/runs/): follow `task_id` at /api/v1/system/settings/task_progress/{task_id}/."""
    try:
        function = get_function(run.function_name)
        title = function.title or run.function_name
    except UnknownFunction:
        title = run.function_name
    return ok(
        {
            "task_id": run.task_id,
            "function": run.function_name,
            "status": run.status,
            "credits_reserved": run.credits_reserved,
        },
        message=f"{title}: queued.",
        status_code=202,
    )
