"""Root URLs."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from compacts.forms import PasswordResetForm, SetPasswordForm
from compacts.views import SignInView, register

from . import health

urlpatterns = [
    # The documents' addresses come first: "manage/new-compact/" is not a Compact called "new-compact".
    path("", include("documents.urls")),
    path("", include("reports.urls")),
    path("", include("compacts.urls")),
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
    path("health/", health.health, name="health"),
    path("ready/", health.ready, name="ready"),
]
