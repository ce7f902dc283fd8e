from django.shortcuts import render

from . import selectors
from .cache import public_page


@public_page
def glossary(request):
    return render(request, "compacts/glossary.html", {"terms": selectors.glossary_terms()})


@public_page
def term(request, compact, slug):
    return render(request, "compacts/term.html", {"term": selectors.glossary_term(compact, slug)})


@public_page
def accessibility(request):
    return render(request, "compacts/accessibility.html")
