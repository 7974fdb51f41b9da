"""Default credit prices per unit of work: the automation plan's appendix.

A unit is one AI call of the operation: one clustering run, one cluster's ideas, one article, one
image. "generate_images" is 1-4 in the appendix, by provider: the cheap Runware/offline image is
1 credit, an OpenAI image 4. Admins override any of these in the OperationCredit table."""

DEFAULT_CREDITS: dict[str, int] = {
    "cluster_keywords": 10,
    "generate_ideas": 15,
    "generate_content": 50,
    "generate_images": 1,
    "generate_images:runware": 1,
    "generate_images:openai": 4,
    "generate_image_prompts": 1,
    "generate_site_structure": 20,
    "generate_page_content": 30,
    "optimize_content": 10,
    "publish_to_wordpress": 5,
}
