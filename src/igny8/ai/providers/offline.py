"""The provider used when no key is configured: no network at all, deterministic output, and
honest about what it is. Text answers are the function's own draft skeleton (or one derived from
the JSON schema) and every string it invents starts with OFFLINE_LABEL; images are real files drawn
with Pillow that say "offline draft" on them."""

from __future__ import annotations

import hashlib
import io
import json
import re
import textwrap

from PIL import Image, ImageDraw, ImageFont

from igny8.ai.providers.base import (
    Capabilities,
    CompletionRequest,
    CompletionResult,
    GeneratedImage,
    ImageRequest,
    ImageResult,
    ProviderConfig,
    ProviderError,
    ProviderInfo,
    Runtime,
)

OFFLINE_LABEL = "[Offline draft]"
PIL_FORMATS = {"png": "PNG", "webp": "WEBP", "jpg": "JPEG", "jpeg": "JPEG"}
# The sides any image provider here draws (OpenAI's largest is 1792, Runware's 2048). Checked before
# Pillow allocates: 99999x99999 would be a 30 GB canvas, and 0x0 an image Pillow cannot save.
MIN_SIDE, MAX_SIDE = 64, 2048
SIZE_FORM = f"WIDTHxHEIGHT with each side from {MIN_SIDE} to {MAX_SIDE} pixels, e.g. 1024x1024"
_SIZE = re.compile(r"(\d{1,5})x(\d{1,5})")


def image_size(size: str) -> tuple[int, int]:
    """(width, height) of a size such as "1024x1024"; ValueError naming the allowed form otherwise."""
    match = _SIZE.fullmatch(size.strip().lower()) if isinstance(size, str) else None
    if match:
        width, height = int(match[1]), int(match[2])
        if MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE:
            return width, height
    raise ValueError(f"Image size {size!r} is not {SIZE_FORM}.")


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
    # It answers the JSON schema itself, so the schema never has to be pasted into the prompt.
    capabilities = Capabilities(text=True, images=True, schema_modes=("schema",))

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
            width, height = image_size(request.size)
        except ValueError as error:
            raise ProviderError(str(error)) from error
        fmt = PIL_FORMATS.get(request.output_format.lower(), "PNG")
        images = [
            GeneratedImage(data=self._draw(request.prompt, width, height, index, fmt))
            for index in range(request.n)
        ]
        return ImageResult(images=images, model="offline", cost_usd=None, offline=True, size=request.size)

    def check(self) -> dict:
        return {"offline": True}

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


def build(config: ProviderConfig, runtime: Runtime) -> OfflineProvider:
    return OfflineProvider()


INFO = ProviderInfo(
    name="offline",
    display_name="Offline drafts",
    capabilities=OfflineProvider.capabilities,
    build=build,
    default_text_model="offline",
    default_image_model="offline",
)
