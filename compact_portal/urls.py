"""Root URLs."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from compacts import urls as compact_urls
from compacts.forms import PasswordResetForm, SetPasswordForm
from compacts.views import SignInView, register

from . import health, views

# The Compact pages show commitments and procedures too, so their views live here; their names stay the Compact
# side's ("compacts:detail").
compact_pages = [
    path("", views.home, name="home"),
    path("compacts/<slug:slug>/", views.compact, name="detail"),
    path("compacts/<slug:slug>/work-plan/", views.work_plan, name="work_plan"),
    path("compacts/<slug:slug>/versions/", views.version_list, name="versions"),
    path("compacts/<slug:slug>/versions/<int:number>/", views.version, name="version"),
    path("compacts/<slug:slug>/versions/<int:older>/to/<int:newer>/", views.version_changes, name="version_changes"),
    path("compacts/<slug:slug>/report/", views.report_latest, name="report_latest"),
    path("compacts/<slug:slug>/report/<int:year>/", views.report, name="report"),
    path("compacts/<slug:slug>/report/<int:year>/<str:table>.csv", views.report_csv, name="report_csv"),
    path("reports/<int:year>/", views.reports_summary, name="reports_summary"),
    path("manage/new-compact/", views.import_compact, name="import_compact"),
    path("manage/new-compact/example-compact.md", views.import_example, name="import_example"),
    path("manage/<slug:slug>/review/", views.review, name="review"),
    path("manage/<slug:slug>/review/preview/", views.review_preview, name="review_preview"),
    path("manage/<slug:slug>/review/publish/", views.review_publish, name="review_publish"),
    path("manage/<slug:slug>/review/published/<int:number>/", views.review_published, name="review_published"),
    path("manage/<slug:slug>/review/<str:kind>/<str:ref>/", views.review_item, name="review_item"),
    path("manage/<slug:slug>/work-plan/", views.manage_work_plan, name="manage_work_plan"),
    path("manage/<slug:slug>/work-plan/new/", views.work_plan_action, name="work_plan_add"),
    path("manage/<slug:slug>/work-plan/<int:pk>/", views.work_plan_action, name="work_plan_action"),
    *compact_urls.urlpatterns,
]

urlpatterns = [
    path("", include((compact_pages, "compacts"))),
    path("", include("commitments.urls")),
    path("complaints/", include("disputes.urls")),
    path("accounts/register/", register, name="register"),
    path("accounts/login/", SignInView.as_view(), name="login"),
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=PasswordResetForm),
        name="password_reset",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=SetPasswordForm),
        name="password_reset_confirm",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("health/", views.health, name="health"),
    path("ready/", health.ready, name="ready"),
]
