from django.apps import apps
from django.contrib.auth import views as auth_views
from django.urls import path

from igny8.web.views import (
    author_profiles,
    cluster_edits,
    invitations,
    keywords,
    onboarding,
    password,
    password_reset,
    planner,
    runs,
    settings,
    shell,
    sites,
    team,
    writer,
)

app_name = "web"

urlpatterns = [
    path("switch/account/", shell.switch_account, name="switch-account"),
    path("switch/site/", shell.switch_site, name="switch-site"),
    path("planner/keywords/", keywords.keyword_list, name="keywords"),
    path("planner/keywords/import/", keywords.keyword_import, name="keyword-import"),
    path(
        "planner/keywords/imports/<int:pk>/",
        keywords.keyword_import_progress,
        name="keyword-import-progress",
    ),
    path("planner/keywords/bulk/delete/", keywords.keyword_bulk_delete, name="keyword-bulk-delete"),
    path("planner/keywords/bulk/status/", keywords.keyword_bulk_status, name="keyword-bulk-status"),
    path("planner/keywords/bulk/cluster/", keywords.keyword_bulk_cluster, name="keyword-bulk-cluster"),
    path("planner/clusters/", planner.cluster_list, name="clusters"),
    path("planner/clusters/<int:pk>/", planner.cluster_detail, name="cluster"),
    path("planner/clusters/ideas/", planner.cluster_generate_ideas, name="cluster-generate-ideas"),
    path("planner/clusters/merge/", cluster_edits.clusters_merge, name="clusters-merge"),
    path("planner/clusters/map/", planner.cluster_map_page, name="cluster-map"),
    path("planner/clusters/<int:pk>/rename/", cluster_edits.cluster_rename, name="cluster-rename"),
    path("planner/clusters/<int:pk>/lock/", cluster_edits.cluster_lock, name="cluster-lock"),
    path("planner/clusters/<int:pk>/keywords/", cluster_edits.cluster_keywords, name="cluster-keywords"),
    path("planner/clusters/<int:pk>/delete/", cluster_edits.cluster_delete, name="cluster-delete"),
    path("planner/ideas/", planner.idea_list, name="ideas"),
    path("planner/ideas/<int:pk>/", planner.idea_detail, name="idea"),
    path("planner/ideas/queue/", planner.idea_queue, name="idea-queue"),
    path("writer/tasks/", writer.task_list, name="tasks"),
    path("writer/tasks/generate/", writer.task_generate_content, name="task-generate"),
    path("writer/content/", writer.content_list, name="contents"),
    path("writer/content/<int:pk>/", writer.content_detail, name="content"),
    path("writer/content/prompts/", writer.content_image_prompts, name="content-image-prompts"),
    path("writer/content/bulk/status/", writer.content_bulk_status, name="content-bulk-status"),
    path("writer/images/", writer.image_list, name="images"),
    path("writer/images/generate/", writer.image_generate, name="image-generate"),
    path("runs/", runs.run_index, name="runs"),
    path("runs/<str:task_id>/", runs.run_detail, name="run-detail"),
    path("runs/<str:task_id>/modal/", runs.run_modal, name="run-modal"),
    path("runs/<str:task_id>/progress/", runs.run_progress, name="run-progress"),
    path("runs/<str:task_id>/cancel/", runs.run_cancel, name="run-cancel"),
    path("settings/", settings.settings_index, name="settings"),
    path("settings/integrations/<str:kind>/", settings.integration_save, name="settings-integration"),
    path("settings/integrations/<str:kind>/test/", settings.integration_check, name="settings-test"),
    path("settings/test-image/", settings.image_check, name="settings-test-image"),
    path("settings/tests/<int:pk>/", settings.check_progress, name="settings-check"),
    path("settings/prompts/<str:prompt_type>/", settings.prompt_edit, name="settings-prompt"),
    path("settings/prompts/<str:prompt_type>/reset/", settings.prompt_reset, name="settings-prompt-reset"),
    path("settings/wordpress/", settings.wordpress_save, name="settings-wordpress"),
    path("settings/wordpress/test/", settings.wordpress_check, name="settings-wordpress-test"),
    path("team/", team.team, name="team"),
    path("team/add/", team.member_add, name="team-add"),
    path("team/<int:pk>/role/", team.member_role, name="team-role"),
    path("team/<int:pk>/remove/", team.member_remove, name="team-remove"),
    path("team/invitations/<int:pk>/withdraw/", team.invitation_withdraw, name="team-invitation-withdraw"),
    path("settings/author-profiles/", author_profiles.author_profile_list, name="author-profiles"),
    path("settings/author-profiles/new/", author_profiles.author_profile_edit, name="author-profile-new"),
    path(
        "settings/author-profiles/<int:pk>/", author_profiles.author_profile_edit, name="author-profile-edit"
    ),
    path(
        "settings/author-profiles/<int:pk>/delete/",
        author_profiles.author_profile_delete,
        name="author-profile-delete",
    ),
    path("sites/", sites.site_list_view, name="sites"),
    path("sites/<int:pk>/", sites.site_edit, name="site-edit"),
    path("sites/<int:pk>/delete/", sites.site_delete_view, name="site-delete"),
    path("sectors/<int:pk>/", sites.sector_edit, name="sector-edit"),
    path("sectors/<int:pk>/delete/", sites.sector_delete_view, name="sector-delete"),
    path("signup/", onboarding.signup, name="signup"),
    path("signup/sent/", onboarding.signup_sent, name="signup-sent"),
    path("signup/confirm/<str:token>/", onboarding.signup_confirm, name="signup-confirm"),
    path("accounts/new/", onboarding.account_new, name="account-new"),
    path("onboarding/", onboarding.onboarding, name="onboarding"),
    path("onboarding/site/", onboarding.onboarding_site, name="onboarding-site"),
    path("onboarding/sectors/", onboarding.onboarding_sectors, name="onboarding-sectors"),
    path("onboarding/keywords/", onboarding.onboarding_keywords, name="onboarding-keywords"),
    path("billing/", settings.billing, name="billing"),
]

if apps.is_installed("igny8.publishing"):  # its views import the publishing app's models
    from igny8.web.views.publishing_urls import urlpatterns as publishing_urls

    urlpatterns += publishing_urls

from igny8.web.views.automation_urls import urlpatterns as automation_urls  # noqa: E402

urlpatterns += automation_urls

# Django's own password change and reset views, in our layout, the user's API tokens beside them,
# and the link of an invitation (accounts/invitations.py builds it by this name).
auth_patterns = [
    path("invitations/<str:token>/", invitations.invitation_accept_view, name="invitation-accept"),
    path("password/reset/", password_reset.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", password_reset.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        password_reset.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        password_reset.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("password/", password.PasswordChangeView.as_view(), name="password_change"),
    path("password/tokens/<int:pk>/revoke/", password.token_revoke_view, name="token_revoke"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="web/registration/password_change_done.html"),
        name="password_change_done",
    ),
]
