"""OpenAI chat-completion answers for the mock transports the tests put under the real SDK."""

import httpx2


def chat_completion(
    content,
    *,
    refusal=None,
    finish: str = "stop",
    model: str = "gpt-4o-mini",
    prompt_tokens: int = 1000,
    completion_tokens: int = 500,
) -> dict:
    return {
        "id": "c1",
        "object": "chat.completion",
        "created": 1,
        "model": model,
        "choices": [
            {
                "index": 0,
                "finish_reason": finish,
                "message": {"role": "assistant", "content": content, "refusal": refusal},
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


def chat_response(content, **answer) -> httpx2.Response:
    return httpx2.Response(200, json=chat_completion(content, **answer))
