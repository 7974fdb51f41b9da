"""Forms of the pages. Validation that the API does in a serializer or service is not repeated
here: views call that serializer or service and copy its errors onto the form."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS

from igny8.writer.models import Content, ContentStatus


class KeywordImportForm(forms.Form):
    file = forms.FileField(label="CSV file", help_text="Columns: keyword, volume, difficulty, cpc, intent.")
    sector = forms.TypedChoiceField(label="Sector", required=False, coerce=int, empty_value=None)

    def __init__(self, *args, sectors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = [("", "No sector"), *((s.pk, s.name) for s in sectors)]
        # Size, encoding and plan limits are judged by planner.imports.keywords_import_upload,
        # the same service the API's import endpoint calls.


class ContentEditForm(forms.ModelForm):
    status = forms.ChoiceField(
        label="Status",
        choices=[
            (value, label) for value, label in ContentStatus.choices if value != ContentStatus.PUBLISHED
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "Published" is set by publishing, not picked by hand; a published article keeps it when
        # its meta fields are edited.
        if self.instance.status == ContentStatus.PUBLISHED:
            self.fields["status"].choices = ContentStatus.choices

    class Meta:
        model = Content
        fields = ["meta_title", "meta_description", "status"]
        labels = {"meta_title": "Meta title", "meta_description": "Meta description"}
        widgets = {"meta_description": forms.Textarea(attrs={"rows": 3})}


class PromptForm(forms.Form):
    value = forms.CharField(label="Template", widget=forms.Textarea(attrs={"rows": 16}), strip=False)


def add_api_errors(*, form: forms.Form, errors: dict) -> None:
    """An API serializer's messages on a form: on the field they name when the form has it, else
    above the form, so nothing the API refuses goes unsaid; a message already shown is not repeated."""
    for field, messages in errors.items():
        target = field if field in form.fields else None
        for message in messages if isinstance(messages, list) else [messages]:
            if str(message) not in form.errors.get(target or NON_FIELD_ERRORS, []):
                form.add_error(target, str(message))


class ContentEditorForm(forms.Form):
    """The article editor's fields. No max_length here on purpose: a browser's maxlength stops
    typing without a word; the API's serializer refuses an over-long value with a message on the
    field, and the editor shows each length against its limit as you type."""

    title = forms.CharField(label="Title")
    slug = forms.CharField(
        label="Slug", required=False, help_text="The address of the post; empty: from the title."
    )
    primary_keyword = forms.CharField(label="Primary keyword", required=False)
    secondary_keywords = forms.CharField(
        label="Secondary keywords", required=False, help_text="Separated by commas."
    )
    meta_title = forms.CharField(label="Meta title", required=False)
    meta_description = forms.CharField(
        label="Meta description", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    excerpt = forms.CharField(label="Excerpt", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    html = forms.CharField(
        label="Body (HTML)",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 24, "data-editor-source": ""}),
    )

    def secondary_list(self) -> list[str]:
        return [k.strip() for k in self.cleaned_data.get("secondary_keywords", "").split(",") if k.strip()]
