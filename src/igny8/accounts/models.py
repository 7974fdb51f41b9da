"""Tenancy: the account is the tenant; users reach it through a membership with a role."""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from igny8.core.fields import EncryptedJSONField
from igny8.core.models import BaseModel, choices_check


class Plan(BaseModel):
    name = models.CharField(max_length=100, unique=True)
    is_default = models.BooleanField(default=False)
    max_sites = models.PositiveIntegerField(default=5)
    max_users = models.PositiveIntegerField(default=5)
    max_keywords = models.PositiveIntegerField(default=100_000)
    max_clusters = models.PositiveIntegerField(default=5_000)
    daily_cluster_limit = models.PositiveIntegerField(default=1_000)
    monthly_credits = models.PositiveIntegerField(default=5_000)
    # A self-hosted team pays its provider directly: credit checks pass and the balance never
    # moves, while the ledger and the usage log still say what each run would have cost.
    unlimited_credits = models.BooleanField(default=False)
    # How often the balance is topped up to monthly_credits (billing/tasks.py, on beat).
    credit_cycle = models.CharField(
        max_length=10,
        choices=[("monthly", "Monthly"), ("yearly", "Yearly"), ("never", "Never")],
        default="monthly",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_plan"
            ),
            models.CheckConstraint(
                condition=Q(credit_cycle__in=["monthly", "yearly", "never"]), name="plan_credit_cycle_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Account(BaseModel):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="accounts")
    credits = models.IntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(credits__gte=0), name="account_credits_not_negative")
        ]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra):
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(auto_now_add=True)
    # API tokens made before this stop working (accounts/tokens.py); empty for users from before it.
    password_changed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = UserManager()
    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"

    def __str__(self) -> str:
        return self.email

    def set_password(self, raw_password: str | None) -> None:
        # Here rather than in each place that changes a password (the password page, the admin,
        # `changepassword`, a reset form): every one of them calls set_password and then saves.
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    def check_password(self, raw_password: str) -> bool:
        # Django re-hashes a correct password when the hasher settings change (a Django upgrade);
        # that calls set_password but is the same password, so the user's tokens must live on.
        changed_at = self.password_changed_at
        try:
            return super().check_password(raw_password)
        finally:
            self.password_changed_at = changed_at


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    ADMIN = "admin", "Admin"
    EDITOR = "editor", "Editor"
    VIEWER = "viewer", "Viewer"


# What each role may do, weakest first: viewer reads; editor writes planner/writer/automation data;
# admin and owner also manage sites, settings, integrations and members.
ROLE_RANK = {Role.VIEWER: 0, Role.EDITOR: 1, Role.ADMIN: 2, Role.OWNER: 3}


class Membership(BaseModel):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VIEWER)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "account"], name="one_membership_per_user_account"),
            choices_check("role", Role, "membership_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.account} ({self.role})"


class Site(BaseModel):
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="sites")
    name = models.CharField(max_length=200)
    url = models.URLField(max_length=500, blank=True)
    is_active = models.BooleanField(default=True)
    # The voice of the site's articles; a sector may choose another (Sector.author_profile).
    author_profile = models.ForeignKey(
        "system.AuthorProfile", on_delete=models.SET_NULL, null=True, blank=True, related_name="sites"
    )
    # WordPress connection (used by publishing); the application password is encrypted at rest.
    wp_url = models.URLField(max_length=500, blank=True)
    wp_username = models.CharField(max_length=150, blank=True)
    wp_secrets = EncryptedJSONField(blank=True, default=dict)

    class Meta:
        constraints = [
            # Case-insensitive: "Coffee Blog" and "coffee blog" are one site to a person.
            models.UniqueConstraint(Lower("name"), "account", name="site_name_unique_per_account")
        ]

    def __str__(self) -> str:
        return self.name


class Sector(BaseModel):
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="sectors")
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="sectors")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text="Industry/topic context that prompts use.")
    is_active = models.BooleanField(default=True)
    # Overrides the site's author profile for this sector's keywords, clusters, ideas and articles.
    author_profile = models.ForeignKey(
        "system.AuthorProfile", on_delete=models.SET_NULL, null=True, blank=True, related_name="sectors"
    )

    class Meta:
        constraints = [models.UniqueConstraint(Lower("name"), "site", name="sector_name_unique_per_site")]

    def __str__(self) -> str:
        return self.name


class ApiToken(BaseModel):
    """A bearer token for scripts. Only its SHA-256 is stored; the key is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, default="cli")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True, help_text="Empty: never expires.")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"


class Invitation(BaseModel):
    """An offer to join an account with a role, sent by email. The emailed link carries this row's
    public_id signed with a timestamp (accounts/invitations.py); sending again gives the row a new
    public_id, so only the newest link works. Nobody becomes a member until they follow the link."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VIEWER)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["account", "email"],
                condition=Q(accepted_at__isnull=True),
                name="one_open_invitation_per_email",
            ),
            choices_check("role", Role, "invitation_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.email} to {self.account} ({self.role})"
