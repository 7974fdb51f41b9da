"""A WordPress REST API client (Application Passwords, no plugin), its error explanations and the
address check that keeps publishing away from private networks."""

from igny8.publishing.wordpress.client import WordPressClient, client_for_site
from igny8.publishing.wordpress.errors import WordPressError
from igny8.publishing.wordpress.urls import UnsafeURL, check_url

__all__ = ["UnsafeURL", "WordPressClient", "WordPressError", "check_url", "client_for_site"]
