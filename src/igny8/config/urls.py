from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from igny8.system.views import healthz
from igny8.web.urls import auth_patterns
from igny8.web.views import shell as web_shell
from igny8.web.views.signin import ThrottledLoginView

urlpatterns = [
    path("", web_shell.dashboard, name="home"),
    path("login/", ThrottledLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("api/v1/", include("igny8.config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    *auth_patterns,
    path("", include("igny8.web.urls")),
    # Generated images are served by the app itself in the embedded default; put a web server in
    # front of MEDIA_ROOT when scaling out.
    re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
]
