from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from igny8.system.views import healthz
from igny8.web.urls import auth_patterns
from igny8.web.views import shell as web_shell
from igny8.web.views.signin import ThrottledLoginView
from igny8.writer.media import media_file

urlpatterns = [
    path("", web_shell.dashboard, name="home"),
    path("login/", ThrottledLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("api/v1/", include("igny8.config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view loads Swagger UI's init script from ?script instead of inlining it, and our
    # template moves its inline <style> to a static file: the docs pass the site's strict CSP.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="api/swagger_ui.html"),
        name="api-docs",
    ),
    *auth_patterns,
    path("", include("igny8.web.urls")),
    # Generated images go to members of the owning account only (writer/media.py), embedded or
    # scaled out: a web server must never serve MEDIA_ROOT directly.
    re_path(r"^media/(?P<path>.*)$", media_file, name="media"),
]

# Styled error pages with the navigation and the reason (web/views/errors.py).
handler403 = "igny8.web.views.errors.forbidden"
handler404 = "igny8.web.views.errors.not_found"
handler500 = "igny8.web.views.errors.server_error"
