"""Image bytes: fetching a provider's URL at once (they expire in about an hour), converting to the
configured format with Pillow, the desktop/mobile variants, and storing files in media storage.

Nothing here touches the database, so downloads and conversion can run on the engine's pool
threads beside the provider call."""

from __future__ import annotations

import io

import httpx
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image as PILImage

from igny8.core import outbound

DOWNLOAD_TIMEOUT_SECONDS = 60.0
MAX_DOWNLOAD_BYTES = 40 * 1024 * 1024
PIL_FORMATS = {"webp": "WEBP", "jpg": "JPEG", "png": "PNG"}
# Widths of the variants of an in-article image; never upscaled past the original.
VARIANT_WIDTHS = {"desktop": 1280, "mobile": 640}


class ImageFileError(Exception):
    """Downloading or reading an image failed; the message says what happened."""

    retryable = False  # an expected, explained failure: the engine records it without a traceback


def http_client() -> httpx.Client:
    """The client downloads go through: bound by the outbound policy, which judges every address
    connected to, redirects included (tests replace this with one on a MockTransport)."""
    return outbound.httpx_client(timeout=DOWNLOAD_TIMEOUT_SECONDS, follow_redirects=True, max_redirects=5)


def download(url: str) -> bytes:
    if not url.startswith(("https://", "http://")):
        raise ImageFileError(f"The provider returned an image address that is not http(s): {url[:100]}")
    try:
        with http_client() as client, client.stream("GET", url) as response:
            if response.status_code >= 400:
                raise ImageFileError(
                    f"Downloading the generated image failed ({response.status_code}); "
                    "provider URLs expire after about an hour, so generate it again."
                )
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > MAX_DOWNLOAD_BYTES:
                    raise ImageFileError("The generated image is larger than 40 MB; it was not kept.")
                chunks.append(chunk)
    except httpx.TimeoutException as error:
        raise ImageFileError(
            f"Downloading the generated image timed out after {DOWNLOAD_TIMEOUT_SECONDS:g}s."
        ) from error
    except httpx.HTTPError as error:
        raise ImageFileError(f"Could not download the generated image: {error}") from error
    return b"".join(chunks)


def _open(data: bytes) -> PILImage.Image:
    try:
        image = PILImage.open(io.BytesIO(data))
        image.load()
    except Exception as error:  # Pillow raises several types for bad input
        raise ImageFileError(f"The provider's answer is not a readable image: {error}") from error
    return image


def _encode(image: PILImage.Image, fmt: str) -> bytes:
    pil_format = PIL_FORMATS[fmt]
    if pil_format == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    elif image.mode not in ("RGB", "RGBA", "L"):
        image = image.convert("RGBA")
    buffer = io.BytesIO()
    image.save(buffer, format=pil_format, quality=85)
    return buffer.getvalue()


def convert(data: bytes, fmt: str) -> bytes:
    """The image in `fmt` (webp, jpg or png); bytes already in that format pass through."""
    image = _open(data)
    if image.format == PIL_FORMATS[fmt]:
        return data
    return _encode(image, fmt)


def variant(data: bytes, *, width: int, fmt: str) -> tuple[bytes, tuple[int, int]]:
    """A copy at most `width` wide, same aspect ratio; (bytes, (width, height))."""
    image = _open(data)
    if image.width > width:
        height = max(1, round(image.height * width / image.width))
        image = image.resize((width, height), PILImage.Resampling.LANCZOS)
    return _encode(image, fmt), image.size


def store(*, data: bytes, path: str, old_name: str = "") -> str:
    """Saves under `path` in media storage (a unique name if taken); removes the file it replaces."""
    name = default_storage.save(path, ContentFile(data))
    if old_name and old_name != name:
        default_storage.delete(old_name)
    return name
