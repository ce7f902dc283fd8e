"""Root URLs."""

from django.contrib import admin
from django.urls import include, path

from compacts.views import health
from disputes.views import register

urlpatterns = [
    path("", include("compacts.urls")),
    path("", include("commitments.urls")),
    path("complaints/", include("disputes.urls")),
    path("accounts/register/", register, name="register"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("health/", health, name="health"),
]
