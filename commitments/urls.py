from django.urls import path

from . import views

app_name = "commitments"
urlpatterns = [
    path("commitments/", views.explorer, name="explorer"),
    path("commitments/commitments.csv", views.export_csv, name="export_csv"),
    path("commitments/commitments.json", views.export_json, name="export_json"),
    path("compacts/<slug:compact>/commitments/<str:ref>/", views.detail, name="detail"),
    path("compare/", views.compare, name="compare"),
]
