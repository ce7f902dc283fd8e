"""Root URLs."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("compacts.urls")),
    path("compacts/<slug:compact>/commitments/", include("commitments.urls")),
    path("admin/", admin.site.urls),
]
