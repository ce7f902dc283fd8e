from django.urls import path

from . import views

app_name = "compacts"
urlpatterns = [
    path("", views.home, name="home"),
    path("compacts/<slug:slug>/", views.detail, name="detail"),
    path("glossary/", views.glossary, name="glossary"),
    path("glossary/<slug:compact>/<slug:slug>/", views.term, name="term"),
    path("accessibility/", views.accessibility, name="accessibility"),
]
