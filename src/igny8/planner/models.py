"""Keywords, the clusters they are grouped into, and the content ideas built on clusters."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from igny8.core.models import JobRow, JobStatus, choices_check
from igny8.core.tenancy import SiteOwned


class Intent(models.TextChoices):
    INFORMATIONAL = "informational", "Informational"
    COMMERCIAL = "commercial", "Commercial"
    TRANSACTIONAL = "transactional", "Transactional"
    NAVIGATIONAL = "navigational", "Navigational"


class KeywordStatus(models.TextChoices):
    NEW = "new", "New"
    CLUSTERED = "clustered", "Clustered"
    # A clustering run found no cluster for it (intent, modifiers or meaning set it apart). Not
    # picked again until new keywords arrive for the site or someone re-clusters it by id.
    UNCLUSTERED = "unclustered", "Not grouped"
    USED = "used", "Used"
    ARCHIVED = "archived", "Archived"


class ClusterStatus(models.TextChoices):
    NEW = "new", "New"
    ACTIVE = "active", "Active"
    COMPLETE = "complete", "Complete"


class IdeaStatus(models.TextChoices):
    NEW = "new", "New"
    QUEUED = "queued", "Queued"
    COMPLETED = "completed", "Completed"


class ContentType(models.TextChoices):
    POST = "post", "Post"
    PAGE = "page", "Page"
    PRODUCT = "product", "Product"
    TAXONOMY = "taxonomy", "Taxonomy"


class ContentStructure(models.TextChoices):
    ARTICLE = "article", "Article"
    GUIDE = "guide", "Guide"
    HOW_TO = "how_to", "How-to"
    COMPARISON = "comparison", "Comparison"
    REVIEW = "review", "Review"
    LISTICLE = "listicle", "Listicle"
    LANDING_PAGE = "landing_page", "Landing page"
    PILLAR = "pillar", "Pillar page"
    CLUSTER_HUB = "cluster_hub", "Cluster hub"
    PRODUCT_PAGE = "product_page", "Product page"
    CATEGORY_PAGE = "category_page", "Category page"


class Cluster(SiteOwned):
    name = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=ClusterStatus.choices, default=ClusterStatus.NEW)
    keywords_count = models.PositiveIntegerField(default=0)
    volume = models.PositiveBigIntegerField(default=0, help_text="Total search volume of its keywords.")
    avg_difficulty = models.FloatField(default=0)
    # Set by hand: clustering runs leave a locked cluster as it is (no keywords added or taken,
    # no rename); its keywords are not re-clustered.
    locked = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["site", "name"], name="cluster_name_unique_per_site"),
            choices_check("status", ClusterStatus, "cluster_status_valid"),
        ]
        indexes = [models.Index(fields=["site", "status"])]

    def __str__(self) -> str:
        return self.name


class Keyword(SiteOwned):
    keyword = models.CharField(max_length=255)
    normalized = models.CharField(max_length=255, editable=False)
    volume = models.PositiveIntegerField(default=0)
    difficulty = models.PositiveSmallIntegerField(
        default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    cpc = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    intent = models.CharField(max_length=15, choices=Intent.choices, default=Intent.INFORMATIONAL)
    status = models.CharField(max_length=12, choices=KeywordStatus.choices, default=KeywordStatus.NEW)
    cluster = models.ForeignKey(
        Cluster, on_delete=models.SET_NULL, null=True, blank=True, related_name="keywords"
    )
    # The top-10 ranking URLs for the keyword, in rank order, when a keyword tool exported them:
    # what SERP-overlap clustering compares.
    serp_urls = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["site", "normalized"], name="keyword_unique_per_site"),
            models.CheckConstraint(condition=Q(difficulty__lte=100), name="keyword_difficulty_0_100"),
            models.CheckConstraint(condition=Q(cpc__gte=0), name="keyword_cpc_not_negative"),
            choices_check("intent", Intent, "keyword_intent_valid"),
            choices_check("status", KeywordStatus, "keyword_status_valid"),
        ]
        indexes = [models.Index(fields=["site", "status"]), models.Index(fields=["site", "volume"])]

    def __str__(self) -> str:
        return self.keyword


class ContentIdea(SiteOwned):
    cluster = models.ForeignKey(
        Cluster, on_delete=models.SET_NULL, null=True, blank=True, related_name="ideas"
    )
    title = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    # [{"heading": "...", "level": 2, "subsections": [{"heading": "...", "level": 3}]}]
    outline = models.JSONField(default=list, blank=True)
    primary_keyword = models.CharField(max_length=255, blank=True)
    secondary_keywords = models.JSONField(default=list, blank=True)
    content_type = models.CharField(max_length=10, choices=ContentType.choices, default=ContentType.POST)
    content_structure = models.CharField(
        max_length=20, choices=ContentStructure.choices, default=ContentStructure.ARTICLE
    )
    estimated_word_count = models.PositiveIntegerField(default=1500)
    status = models.CharField(max_length=10, choices=IdeaStatus.choices, default=IdeaStatus.NEW)

    class Meta:
        constraints = [
            choices_check("status", IdeaStatus, "idea_status_valid"),
            choices_check("content_type", ContentType, "idea_content_type_valid"),
            choices_check("content_structure", ContentStructure, "idea_content_structure_valid"),
        ]
        indexes = [models.Index(fields=["site", "status"])]

    def __str__(self) -> str:
        return self.title


class KeywordEmbedding(models.Model):
    """One embedding per (model, normalised keyword text), shared by every site: the vector depends
    only on the text and the model, so re-clustering embeds only texts never seen before. The vector
    is the model's unit-length float32 output stored as raw bytes (384 x 4 = 1,536 for MiniLM)."""

    model_name = models.CharField(max_length=100)
    normalized = models.CharField(max_length=255)
    vector = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["model_name", "normalized"], name="keyword_embedding_unique")
        ]

    def __str__(self) -> str:
        return f"{self.model_name}: {self.normalized}"


class KeywordImport(SiteOwned, JobRow):
    """A keyword file too big to import inside the web request (planner/import_jobs.py): the upload
    is kept as a file in the var directory and a worker imports it through the job kernel. The row is
    the truth: progress, the report (the synchronous import's, field for field) or why it failed."""

    file_name = models.CharField(max_length=255)  # as uploaded, shown to people
    file_path = models.CharField(max_length=500)  # the stored copy, relative to the var directory
    file_size = models.PositiveBigIntegerField()
    rows_total = models.PositiveIntegerField(null=True, blank=True)  # known once the file is parsed
    rows_read = models.PositiveIntegerField(default=0)
    result = models.JSONField(null=True, blank=True)  # ImportReport.as_dict()
    error_field = models.CharField(max_length=20, blank=True)  # "file": the file is at fault

    class Meta:
        constraints = [choices_check("status", JobStatus, "keyword_import_status_valid")]
        indexes = [models.Index(fields=["status", "heartbeat_at"])]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.status})"

    @property
    def percentage(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        if not self.rows_total:
            return 0
        # The last step (writing the rows) happens after every row is read: 99 until it is done.
        return min(99, self.rows_read * 100 // self.rows_total)
