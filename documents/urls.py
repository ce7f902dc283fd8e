from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("", views.home, name="home"),
    path("compacts/<slug:slug>/", views.compact, name="detail"),
    path("compacts/<slug:slug>/versions/", views.version_list, name="versions"),
    path("compacts/<slug:slug>/versions/<int:number>/", views.version, name="version"),
    path("compacts/<slug:slug>/versions/<int:older>/to/<int:newer>/", views.version_changes, name="version_changes"),
    path("manage/new-compact/", views.import_compact, name="import_compact"),
    path("manage/new-compact/example-compact.md", views.import_example, name="import_example"),
    path("manage/<slug:slug>/review/", views.review, name="review"),
    path("manage/<slug:slug>/review/preview/", views.review_preview, name="review_preview"),
    path("manage/<slug:slug>/review/publish/", views.review_publish, name="review_publish"),
    path("manage/<slug:slug>/review/published/<int:number>/", views.review_published, name="review_published"),
    path("manage/<slug:slug>/review/<str:kind>/<str:ref>/", views.review_item, name="review_item"),
]
