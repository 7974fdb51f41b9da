"""Publishing: one record per content and destination, the schedule a site publishes on, the
revisions an optimisation keeps, and the page hierarchy generated from clusters."""

from django.db import models
from django.db.models import Q

from igny8.core.models import BaseModel, JobRow, JobStatus, choices_check
from igny8.core.tenancy import SiteOwned


class PublishStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SCHEDULED = "scheduled", "Scheduled"
    PUBLISHING = "publishing", "Publishing"
    PUBLISHED = "published", "Published"
    FAILED = "failed", "Failed"


class WPStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISH = "publish", "Publish"
    FUTURE = "future", "Future (WordPress schedules it)"


class PublishRecord(SiteOwned):
    """The one row per content and destination: republishing updates it (and the post it names)
    instead of adding a second post. `media` maps our image ids to their WordPress copies so
    images are uploaded once."""

    content = models.ForeignKey("writer.Content", on_delete=models.CASCADE, related_name="publish_records")
    destination = models.CharField(max_length=20, default="wordpress")
    status = models.CharField(max_length=12, choices=PublishStatus.choices, default=PublishStatus.QUEUED)
    wp_status = models.CharField(max_length=10, choices=WPStatus.choices, default=WPStatus.DRAFT)
    # When our worker publishes it (our own schedule); WordPress's own `future` date is wp_date.
    scheduled_for = models.DateTimeField(null=True, blank=True, db_index=True)
    wp_date = models.DateTimeField(null=True, blank=True)
    external_id = models.CharField(max_length=100, blank=True)
    external_url = models.URLField(max_length=500, blank=True)
    remote_status = models.CharField(max_length=20, blank=True)
    media = models.JSONField(default=dict, blank=True)
    options = models.JSONField(default=dict, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    log = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content", "destination"], name="one_publish_record_per_destination"
            ),
            choices_check("status", PublishStatus, "publish_record_status_valid"),
            choices_check("wp_status", WPStatus, "publish_record_wp_status_valid"),
        ]
        indexes = [models.Index(fields=["status", "scheduled_for"])]

    def __str__(self) -> str:
        return f"{self.destination} {self.status} of content {self.content_id}"


class ScheduleMode(models.TextChoices):
    SLOTS = "slots", "Fixed time slots"
    STAGGER = "stagger", "Spread over a daily window"


class PublishSchedule(BaseModel):
    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")
    site = models.OneToOneField("accounts.Site", on_delete=models.CASCADE, related_name="publish_schedule")
    mode = models.CharField(max_length=10, choices=ScheduleMode.choices, default=ScheduleMode.SLOTS)
    slots = models.JSONField(default=list, blank=True, help_text='Local times, e.g. ["09:00", "15:00"].')
    window_start = models.TimeField(null=True, blank=True)
    window_end = models.TimeField(null=True, blank=True)
    daily_cap = models.PositiveSmallIntegerField(default=3)
    timezone = models.CharField(max_length=64, default="UTC")

    class Meta:
        constraints = [
            choices_check("mode", ScheduleMode, "publish_schedule_mode_valid"),
            models.CheckConstraint(condition=Q(daily_cap__gte=1), name="publish_schedule_cap_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.mode} schedule of site {self.site_id}"


class RevisionReason(models.TextChoices):
    OPTIMIZE = "optimize", "Before optimisation"
    RESTORE = "restore", "Before a restore"
    LINKS = "links", "Before inserting internal links"
    EDIT = "edit", "Before an edit"


class ContentRevision(SiteOwned):
    content = models.ForeignKey("writer.Content", on_delete=models.CASCADE, related_name="revisions")
    reason = models.CharField(max_length=10, choices=RevisionReason.choices, default=RevisionReason.OPTIMIZE)
    title = models.CharField(max_length=255)
    html = models.TextField(blank=True)
    excerpt = models.TextField(blank=True)
    meta_title = models.CharField(max_length=60, blank=True)
    meta_description = models.CharField(max_length=160, blank=True)
    score = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [choices_check("reason", RevisionReason, "content_revision_reason_valid")]
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Revision {self.pk} of content {self.content_id}"


class PageType(models.TextChoices):
    PILLAR = "pillar", "Pillar page"
    CLUSTER = "cluster", "Cluster page"
    SUPPORTING = "supporting", "Supporting article"


class SitePage(SiteOwned):
    """One node of a site's generated hierarchy: pillars over cluster pages over supporting articles."""

    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    page_type = models.CharField(max_length=10, choices=PageType.choices)
    title = models.CharField(max_length=255)
    slug = models.SlugField(max_length=255, allow_unicode=True)
    description = models.TextField(blank=True)
    keywords = models.JSONField(default=list, blank=True)
    cluster = models.ForeignKey(
        "planner.Cluster", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    idea = models.ForeignKey(
        "planner.ContentIdea", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    content = models.OneToOneField(
        "writer.Content", on_delete=models.SET_NULL, null=True, blank=True, related_name="site_page"
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["site", "page_type", "slug"], name="site_page_unique_slug"),
            choices_check("page_type", PageType, "site_page_type_valid"),
        ]
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.get_page_type_display()}: {self.title}"


class SitemapPage(SiteOwned):
    """A page the site already has, imported from its sitemap: the linker offers links to it beside
    the site's articles. A new import replaces the site's list (the sitemap as last read)."""

    url = models.URLField(max_length=1000)
    title = models.CharField(
        max_length=255, help_text="From the address's last part (sitemaps carry no titles)."
    )
    slug = models.CharField(max_length=255, blank=True)
    lastmod = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["site", "url"], name="sitemap_page_unique_url")]
        ordering = ["url"]

    def __str__(self) -> str:
        return self.url


class SitemapImport(SiteOwned, JobRow):
    """A sitemap read by a worker (publishing/sitemap_jobs.py): an address, or an uploaded file too
    big to read in the request or that names sitemaps to fetch. The row is the truth: progress in
    sitemaps, then the report (the synchronous import's, field for field) or why it failed."""

    url = models.URLField(max_length=1000, blank=True)  # empty for an upload
    file_name = models.CharField(max_length=255, blank=True)  # an upload's name, shown to people
    # The uploaded document, kept until the import finishes (a sitemap is at most 10 MB).
    upload = models.BinaryField(null=True, blank=True)
    sitemaps_read = models.PositiveIntegerField(default=0)
    sitemaps_total = models.PositiveIntegerField(null=True, blank=True)  # as far as known so far
    result = models.JSONField(null=True, blank=True)  # sitemap.ImportReport.as_dict()
    error_field = models.CharField(max_length=20, blank=True)  # "url" or "file": the input at fault

    class Meta:
        constraints = [choices_check("status", JobStatus, "sitemap_import_status_valid")]
        indexes = [models.Index(fields=["status", "heartbeat_at"])]

    def __str__(self) -> str:
        return f"{self.url or self.file_name} ({self.status})"

    @property
    def source(self) -> str:
        return self.url or self.file_name or "the uploaded file"

    @property
    def percentage(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        if not self.sitemaps_total:
            return 0
        # Storing the pages comes after the last sitemap is read: 99 until it is done.
        return min(99, self.sitemaps_read * 100 // self.sitemaps_total)
