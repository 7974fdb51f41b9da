"""The provider used when no key is configured: no network at all, deterministic output, and
honest about what it is. Text answers are the function's own draft skeleton (or one derived from
the JSON schema) and every string it invents starts with OFFLINE_LABEL; images are real files drawn
with Pillow that say "offline draft" on them."""

from __future__ import annotations

import hashlib
import io
import json
import textwrap

from PIL import Image, ImageDraw, ImageFont

from igny8.ai.providers.base import (
    Capabilities,
    CompletionRequest,
    CompletionResult,
    GeneratedImage,
    ImageRequest,
    ImageResult,
    ProviderError,
)

OFFLINE_LABEL = "[Offline draft]"
PIL_FORMATS = {"png": "PNG", "webp": "WEBP", "jpg": "JPEG", "jpeg": "JPEG"}


def skeleton(schema: dict, *, root: dict | None = None, name: str = "value") -> object:
    """A minimal value that satisfies a (pydantic-generated) JSON schema, labelled as a draft."""
    root = root or schema
    if "$ref" in schema:
        target = root
        for part in schema["$ref"].lstrip("#/").split("/"):
            target = target[part]
        return skeleton(target, root=root, name=name)
    for combinator in ("anyOf", "oneOf", "allOf"):
        if combinator in schema:
            options = [s for s in schema[combinator] if s.get("type") != "null"] or schema[combinator]
            return skeleton(options[0], root=root, name=name)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type", "object")
    if kind == "object":
        props = schema.get("properties", {})
        return {key: skeleton(sub, root=root, name=key) for key, sub in props.items()}
    if kind == "array":
        return [
            skeleton(schema.get("items", {}), root=root, name=name)
            for _ in range(max(1, schema.get("minItems", 1)))
        ]
    if kind == "integer":
        return max(0, schema.get("minimum", 0))
    if kind == "number":
        return float(max(0, schema.get("minimum", 0)))
    if kind == "boolean":
        return False
    return f"{OFFLINE_LABEL} {name}"


class OfflineProvider:
    name = "offline"
    capabilities = Capabilities(text=True, images=True, image_models=("offline",))

    def complete(self, request: CompletionRequest) -> CompletionResult:
        if request.offline_draft is not None:
            answer: object = request.offline_draft
        elif request.json_schema is not None:
            answer = skeleton(request.json_schema)
        else:
            return CompletionResult(
                text=f"{OFFLINE_LABEL} No AI provider is configured.", model="offline", offline=True
            )
        return CompletionResult(text=json.dumps(answer), model="offline", offline=True)

    def generate_image(self, request: ImageRequest) -> ImageResult:
        try:
            width, height = (int(part) for part in request.size.lower().split("x"))
        except ValueError as error:
            raise ProviderError(
                f"Image size {request.size!r} is not WIDTHxHEIGHT, e.g. 1024x1024."
            ) from error
        fmt = PIL_FORMATS.get(request.output_format.lower(), "PNG")
        images = [
            GeneratedImage(data=self._draw(request.prompt, width, height, index, fmt))
            for index in range(request.n)
        ]
        return ImageResult(images=images, model="offline", cost_usd=None, offline=True)

    @staticmethod
    def _draw(prompt: str, width: int, height: int, index: int, fmt: str) -> bytes:
        digest = hashlib.sha256(f"{prompt}\0{index}".encode()).digest()
        background = (64 + digest[0] // 2, 64 + digest[1] // 2, 64 + digest[2] // 2)
        image = Image.new("RGB", (width, height), background)
        draw = ImageDraw.Draw(image)
        font = ImageFont.load_default()
        lines = [
            "OFFLINE DRAFT - not AI generated",
            "",
            *textwrap.wrap(prompt, width=max(20, width // 8))[:20],
        ]
        draw.multiline_text((16, 16), "\n".join(lines), fill=(255, 255, 255), font=font, spacing=6)
        buffer = io.BytesIO()
        image.save(buffer, format=fmt)
        return buffer.getvalue()
