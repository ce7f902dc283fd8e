from django.urls import path, reverse_lazy
from django.views.generic import RedirectView

from . import views

app_name = "compacts"
urlpatterns = [
    path("", views.home, name="home"),
    # The list of Compacts is the home page; a trimmed address finds it there.
    path("compacts/", RedirectView.as_view(url=reverse_lazy("compacts:home"), permanent=True), name="list"),
    path("compacts/<slug:slug>/", views.detail, name="detail"),
    path("glossary/", views.glossary, name="glossary"),
    path("glossary/<slug:compact>/<slug:slug>/", views.term, name="term"),
    path("accessibility/", views.accessibility, name="accessibility"),
]
