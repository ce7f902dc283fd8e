from django.urls import path

from . import views

app_name = "commitments"
urlpatterns = [
    path("commitments/", views.explorer, name="explorer"),
    path("commitments/commitments.csv", views.export_csv, name="export_csv"),
    path("commitments/commitments.json", views.export_json, name="export_json"),
    path("compacts/<slug:compact>/commitments/<str:ref>/", views.detail, name="detail"),
    path("compare/", views.compare, name="compare"),
    path("compacts/<slug:compact>/records/new/", views.record_new, name="record_new"),
    path("compacts/<slug:compact>/records/new/<str:kind>/", views.record_form, name="record_form"),
    path("compacts/<slug:compact>/records/import/", views.record_import, name="record_import"),
    path(
        "compacts/<slug:compact>/records/import/<str:kind>-template.csv",
        views.record_import_template,
        name="record_import_template",
    ),
    path("compacts/<slug:compact>/records/imports/<int:pk>/", views.record_import_job, name="record_import_job"),
    path("compacts/<slug:compact>/records/<int:pk>/", views.record_detail, name="record"),
    path("compacts/<slug:compact>/records/<int:pk>/correct/<str:kind>/", views.record_form, name="record_correct"),
    path("compacts/<slug:compact>/records/<int:pk>/answer/", views.record_respond, name="record_respond"),
    path("compacts/<slug:compact>/checker/", views.checker, name="checker"),
    path("compacts/<slug:compact>/checker/<str:ref>/", views.checker_commitment, name="checker_commitment"),
    path("compacts/<slug:slug>/work-plan/", views.work_plan, name="work_plan"),
    path("manage/<slug:slug>/work-plan/", views.manage_work_plan, name="manage_work_plan"),
    path("manage/<slug:slug>/work-plan/new/", views.work_plan_action, name="work_plan_add"),
    path("manage/<slug:slug>/work-plan/<int:pk>/", views.work_plan_action, name="work_plan_action"),
]
