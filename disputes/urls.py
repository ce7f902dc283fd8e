from django.urls import path

from . import views

app_name = "disputes"
urlpatterns = [
    path("", views.complaint_list, name="list"),
    path("complaints.csv", views.complaint_csv, name="csv"),
    path("new/", views.complaint_new, name="new"),
    path("<int:pk>/", views.complaint_detail, name="detail"),
    path("<int:pk>/edit/", views.complaint_edit, name="edit"),
    path("<int:pk>/delete/", views.complaint_delete, name="delete"),
    path("<int:pk>/submitted/", views.complaint_submitted, name="submitted"),
    path("<int:pk>/files/<int:attachment_id>/", views.attachment_download, name="file"),
    path("<int:pk>/<slug:action>/", views.complaint_act, name="act"),
]
