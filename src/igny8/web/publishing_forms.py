"""Forms of the publishing pages: the shape of what is posted (the API's publishing serializers take
the same values for its bodies). The rules (a future status needs a future date, one publication at
a time) are publishing.services', whose refusals web.errors shows."""

import re

from django import forms

from igny8.core.errors import Invalid
from igny8.publishing import schedule_rules
from igny8.publishing.models import ScheduleMode, WPStatus
from igny8.web.forms import NOT_A_CHOICE

# As the API's bulk bodies: at most this many articles in one request.
BULK_MAX = 200


class PublishForm(forms.Form):
    status = forms.ChoiceField(choices=WPStatus.choices, required=False, error_messages=NOT_A_CHOICE)
    scheduled_at = forms.DateTimeField(required=False)

    def wp_status(self) -> str:
        return self.cleaned_data["status"] or WPStatus.DRAFT  # never live unless asked


class LinksForm(forms.Form):
    max_links = forms.IntegerField(min_value=1, max_value=20, required=False)


class RestoreForm(forms.Form):
    revision = forms.IntegerField(min_value=1)


def bulk_ids_check(ids: list[int]) -> None:
    """Refuses more articles than one bulk request takes, naming the limit."""
    if len(ids) > BULK_MAX:
        raise Invalid(f"Ensure this field has no more than {BULK_MAX} elements.", field="ids")


SLOT_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class ScheduleForm(forms.Form):
    """The site's publishing schedule; slots are typed as "09:00, 15:00". The time zone and the
    window's order are publishing.schedule_rules', checked by scheduling.schedule_save."""

    mode = forms.ChoiceField(choices=ScheduleMode.choices, error_messages=NOT_A_CHOICE)
    slots = forms.CharField(required=False)
    window_start = forms.TimeField(required=False)
    window_end = forms.TimeField(required=False)
    daily_cap = forms.IntegerField(min_value=1, max_value=32767)
    timezone = forms.CharField(max_length=64)

    def clean_timezone(self) -> str:
        try:
            schedule_rules.timezone_check(self.cleaned_data["timezone"])
        except Invalid as error:
            raise forms.ValidationError(error.message) from None
        return self.cleaned_data["timezone"]

    def clean_slots(self) -> list[str]:
        slots = [
            part.strip() for part in self.cleaned_data["slots"].replace(";", ",").split(",") if part.strip()
        ]
        wrong = [
            f"Item {number}: This value does not match the required pattern."
            for number, slot in enumerate(slots, start=1)
            if not SLOT_RE.match(slot)
        ]
        if len(slots) > 24:
            wrong.append("Ensure this field has no more than 24 elements.")
        if wrong:
            raise forms.ValidationError(wrong)
        return slots
