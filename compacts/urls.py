from django.urls import path, reverse_lazy
from django.views.generic import RedirectView

from . import views

# Included by the root URLs under the "compacts" namespace, with the home and Compact pages (compact_portal.views).
urlpatterns = [
    # The list of Compacts is the home page; a trimmed address finds it there.
    path("compacts/", RedirectView.as_view(url=reverse_lazy("compacts:home"), permanent=True), name="list"),
    path("glossary/", views.glossary, name="glossary"),
    path("glossary/<slug:compact>/<slug:slug>/", views.term, name="term"),
    path("accessibility/", views.accessibility, name="accessibility"),
]
