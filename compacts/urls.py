from django.urls import path

from . import views

app_name = "compacts"
urlpatterns = [
    path("", views.home, name="home"),
    path("compacts/<slug:slug>/", views.detail, name="detail"),
]
