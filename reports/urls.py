from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("compacts/<slug:slug>/report/", views.report_latest, name="report_latest"),
    path("compacts/<slug:slug>/report/<int:year>/", views.report, name="report"),
    path("compacts/<slug:slug>/report/<int:year>/<str:table>.csv", views.report_csv, name="report_csv"),
    path("reports/<int:year>/", views.reports_summary, name="reports_summary"),
]
