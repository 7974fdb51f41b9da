"""Forms of the pages: they check the shape of what is posted (as the API's serializers do for its
bodies); the rules are the services', whose refusals web.errors puts on these forms."""

from django import forms

from igny8.ai import checks
from igny8.writer.models import Content, ContentStatus


class KeywordImportForm(forms.Form):
    file = forms.FileField(label="CSV file", help_text="Columns: keyword, volume, difficulty, cpc, intent.")
    sector = forms.TypedChoiceField(label="Sector", required=False, coerce=int, empty_value=None)

    def __init__(self, *args, sectors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = [("", "No sector"), *((s.pk, s.name) for s in sectors)]
        # Size, encoding and plan limits are judged by planner.imports.keywords_import_upload,
        # the same service the API's import endpoint calls.


# DRF's words for a bad value, so a page refuses an option as the API does.
NOT_A_CHOICE = {"invalid_choice": '"%(value)s" is not a valid choice.'}


class ClusterOptionsForm(forms.Form):
    """auto_cluster's options from the keywords page (the API's AutoClusterSerializer takes the
    same); a blank field means the function's default."""

    method = forms.ChoiceField(
        choices=[(m, m) for m in ("semantic", "llm", "serp")], required=False, error_messages=NOT_A_CHOICE
    )
    serp_mode = forms.ChoiceField(
        choices=[(m, m) for m in ("soft", "hard")], required=False, error_messages=NOT_A_CHOICE
    )
    threshold = forms.FloatField(
        min_value=0.3,
        max_value=1.0,
        required=False,
        error_messages={"invalid": "A valid number is required."},
    )
    min_cluster_size = forms.IntegerField(
        min_value=1, max_value=100, required=False, error_messages={"invalid": "A valid integer is required."}
    )

    def options(self) -> dict:
        """The options given, with the method always named (semantic unless chosen)."""
        chosen = {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}
        return {"method": "semantic", **chosen}


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
        # Meta text in any script: the browser picks the direction from what is typed.
        for name in ("meta_title", "meta_description"):
            if name in self.fields:
                self.fields[name].widget.attrs["dir"] = "auto"

    class Meta:
        model = Content
        fields = ["meta_title", "meta_description", "status"]
        labels = {"meta_title": "Meta title", "meta_description": "Meta description"}
        widgets = {"meta_description": forms.Textarea(attrs={"rows": 3})}


class SiteForm(forms.Form):
    """A site's name and address (onboarding's first step and the site's edit page); one name per
    account is the services' rule (accounts.services.site_create / site_update)."""

    name = forms.CharField(label="Site name", max_length=200)
    url = forms.URLField(
        label="Address (URL)",
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text="Optional, e.g. https://example.com",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )


class WordPressForm(forms.Form):
    """The site's WordPress connection; the application password is write-only (never shown)."""

    wp_url = forms.URLField(max_length=500, required=False, assume_scheme="https")
    wp_username = forms.CharField(max_length=150, required=False)
    wp_app_password = forms.CharField(max_length=200, required=False, strip=False)


class TestImageForm(forms.Form):
    """Settings' test image: only the prompt is typed; blank draws the default prompt."""

    prompt = forms.CharField(label="Prompt", max_length=checks.TEST_PROMPT_MAX, required=False)

    def prompt_or_default(self) -> str:
        return self.cleaned_data["prompt"].strip() or checks.DEFAULT_TEST_PROMPT


class PromptForm(forms.Form):
    value = forms.CharField(label="Template", widget=forms.Textarea(attrs={"rows": 16}), strip=False)


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
