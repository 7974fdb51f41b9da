"""Writer tasks, the content written for them, and the images of that content."""

from django.db import models
from django.db.models import Q

from igny8.core.models import choices_check
from igny8.core.tenancy import SiteOwned
from igny8.planner.models import Cluster, ContentIdea, ContentStructure, ContentType


class TaskStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    FAILED = "failed", "Failed"


class ContentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    REVIEW = "review", "Review"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"


class ImageType(models.TextChoices):
    FEATURED = "featured", "Featured"
    IN_ARTICLE = "in_article", "In-article"
    DESKTOP = "desktop", "Desktop"
    MOBILE = "mobile", "Mobile"


class ImageStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    PROCESSING = "processing", "Processing"
    GENERATED = "generated", "Generated"
    FAILED = "failed", "Failed"


class Task(SiteOwned):
    idea = models.ForeignKey(
        ContentIdea, on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks"
    )
    cluster = models.ForeignKey(
        Cluster, on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks"
    )
    title = models.CharField(max_length=255)
    brief = models.TextField(blank=True)
    keywords = models.JSONField(default=list, blank=True)
    content_type = models.CharField(max_length=10, choices=ContentType.choices, default=ContentType.POST)
    content_structure = models.CharField(
        max_length=20, choices=ContentStructure.choices, default=ContentStructure.ARTICLE
    )
    word_count_target = models.PositiveIntegerField(default=1500)
    status = models.CharField(max_length=12, choices=TaskStatus.choices, default=TaskStatus.QUEUED)

    class Meta:
        constraints = [
            choices_check("status", TaskStatus, "task_status_valid"),
            choices_check("content_type", ContentType, "task_content_type_valid"),
            choices_check("content_structure", ContentStructure, "task_content_structure_valid"),
        ]
        indexes = [models.Index(fields=["site", "status"])]

    def __str__(self) -> str:
        return self.title


class Content(SiteOwned):
    task = models.OneToOneField(
        Task, on_delete=models.SET_NULL, null=True, blank=True, related_name="content"
    )
    title = models.CharField(max_length=255)
    slug = models.SlugField(max_length=255, blank=True, allow_unicode=True)
    html = models.TextField(blank=True)
    excerpt = models.TextField(blank=True)
    meta_title = models.CharField(max_length=60, blank=True)
    meta_description = models.CharField(max_length=160, blank=True)
    word_count = models.PositiveIntegerField(default=0)
    content_type = models.CharField(max_length=10, choices=ContentType.choices, default=ContentType.POST)
    status = models.CharField(max_length=10, choices=ContentStatus.choices, default=ContentStatus.DRAFT)
    external_id = models.CharField(max_length=100, blank=True)
    external_url = models.URLField(max_length=500, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    scheduled_at = models.DateTimeField(null=True, blank=True)
    # The FAQ the article ends with ([{"question", "answer"}]) and its JSON-LD (Article, and
    # FAQPage when there is an FAQ): writer/structured_data.py.
    faq = models.JSONField(default=list, blank=True)
    structured_data = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [
            choices_check("status", ContentStatus, "content_status_valid"),
            choices_check("content_type", ContentType, "content_content_type_valid"),
        ]
        indexes = [models.Index(fields=["site", "status"])]

    def __str__(self) -> str:
        return self.title


class Image(SiteOwned):
    content = models.ForeignKey(Content, on_delete=models.CASCADE, related_name="images")
    image_type = models.CharField(max_length=10, choices=ImageType.choices, default=ImageType.IN_ARTICLE)
    position = models.PositiveSmallIntegerField(default=0)
    prompt = models.TextField(blank=True)
    # Written by a person; empty: publishing derives the alt text from the prompt's first sentence.
    alt_text = models.CharField(max_length=125, blank=True)
    status = models.CharField(max_length=10, choices=ImageStatus.choices, default=ImageStatus.PENDING)
    file = models.FileField(upload_to="images/%Y/%m/", blank=True, max_length=500)
    url = models.URLField(max_length=1000, blank=True)
    provider = models.CharField(max_length=30, blank=True)
    model = models.CharField(max_length=100, blank=True)
    cost = models.DecimalField(max_digits=10, decimal_places=6, default=0)
    error = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content", "image_type", "position"], name="image_slot_unique_per_content"
            ),
            models.CheckConstraint(condition=Q(cost__gte=0), name="image_cost_not_negative"),
            choices_check("status", ImageStatus, "image_status_valid"),
            choices_check("image_type", ImageType, "image_type_valid"),
        ]
        ordering = ["content_id", "image_type", "position"]

    def __str__(self) -> str:
        return f"{self.get_image_type_display()} #{self.position} of {self.content_id}"
