"""Default credit prices per unit of work (the automation plan's appendix). Each AI function
declares its own (`credits`, `provider_credits` in its folder, `<app>/ai/<name>/`) and
ai/discovery.py adds it here when the apps are ready; what is listed below is work that is not
an AI function. Admins override any price in the OperationCredit table."""

DEFAULT_CREDITS: dict[str, int] = {
    "publish_to_wordpress": 5,
}
