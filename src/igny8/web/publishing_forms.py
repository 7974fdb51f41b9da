"""Forms of the publishing pages: the shape of what is posted (the API's publishing serializers take
the same values for its bodies). The rules (a future status needs a future date, one publication at
a time) are publishing.services', whose refusals web.errors shows."""

from django import forms

from igny8.core.errors import Invalid
from igny8.publishing.models import WPStatus
from igny8.web.forms import NOT_A_CHOICE

# As the API's bulk bodies: at most this many articles in one request.
BULK_MAX = 200


class PublishForm(forms.Form):
    status = forms.ChoiceField(choices=WPStatus.choices, required=False, error_messages=NOT_A_CHOICE)
    scheduled_at = forms.DateTimeField(required=False)

    def wp_status(self) -> str:
        return self.cleaned_data["status"] or WPStatus.PUBLISH


class LinksForm(forms.Form):
    max_links = forms.IntegerField(min_value=1, max_value=20, required=False)


class RestoreForm(forms.Form):
    revision = forms.IntegerField(min_value=1)


def bulk_ids_check(ids: list[int]) -> None:
    """Refuses more articles than one bulk request takes, naming the limit."""
    if len(ids) > BULK_MAX:
        raise Invalid(f"Ensure this field has no more than {BULK_MAX} elements.", field="ids")
