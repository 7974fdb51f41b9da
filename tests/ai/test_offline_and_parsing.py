import io
import json

import pytest
from PIL import Image

from igny8.ai.parsing import ParseError, extract_json, parse_output
from igny8.ai.providers.base import CompletionRequest, ImageRequest
from igny8.ai.providers.offline import OfflineProvider, skeleton
from tests.ai.fakes import Summary


@pytest.mark.parametrize(
    "text",
    [
        '{"a": 1}',
        'Here it is:\n```json\n{"a": 1}\n```\nAnything else?',
        '```\n{"a": 1}\n```',
        'Sure, the answer is {"a": 1} as requested.',
        'broken { here, then {"a": 1}',
    ],
)
def test_extract_json_finds_the_value(text):
    assert extract_json(text) == {"a": 1}


def test_extract_json_failures_are_clear():
    with pytest.raises(ParseError, match=r"^The answer was empty\.$"):
        extract_json("  ")
    with pytest.raises(ParseError, match=r"^The answer held no JSON value\.$"):
        extract_json("no json at all")


def test_parse_output_validates_and_accepts_a_bare_list_for_a_one_field_schema():
    from pydantic import BaseModel

    class Clusters(BaseModel):
        clusters: list[str]

    assert parse_output('["a", "b"]', Clusters).clusters == ["a", "b"]
    with pytest.raises(
        ParseError, match=r"^The JSON did not match the expected shape: tags: Field required$"
    ):
        parse_output('{"title": "x"}', Summary)


def test_offline_text_is_labelled_and_deterministic():
    provider = OfflineProvider()
    request = CompletionRequest(prompt="p", model="offline", json_schema=Summary.model_json_schema())
    first, second = provider.complete(request), provider.complete(request)
    assert json.loads(first.text) == {"title": "[Offline draft] title", "tags": ["[Offline draft] tags"]}
    assert (first.text == second.text, first.offline, first.tokens_in) == (True, True, 0)
    assert skeleton({"type": "integer", "minimum": 3}) == 3


def test_offline_images_are_real_files():
    result = OfflineProvider().generate_image(
        ImageRequest(prompt="coffee", model="offline", size="320x192", n=2, output_format="webp")
    )
    again = OfflineProvider().generate_image(
        ImageRequest(prompt="coffee", model="offline", size="320x192", n=2, output_format="webp")
    )
    image = Image.open(io.BytesIO(result.images[0].data))
    assert (image.format, image.size, len(result.images), result.offline) == ("WEBP", (320, 192), 2, True)
    assert [i.data for i in result.images] == [i.data for i in again.images]
    assert result.images[0].data != result.images[1].data
