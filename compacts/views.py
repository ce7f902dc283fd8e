from django.http import HttpResponse
from django.shortcuts import render

from compacts.templatetags.portal import TermLinker

from . import selectors
from .cache import public_page


def health(request):
    """Liveness check for load balancers; also the benchmark's floor."""
    return HttpResponse("ok", content_type="text/plain")


@public_page
def home(request):
    page = selectors.compact_page(request.GET.get("page"))
    return render(request, "compacts/home.html", {"page": page, "compacts": page.object_list})


@public_page
def detail(request, slug):
    compact = selectors.compact_document(slug)
    linker = TermLinker(compact.document.glossary_terms)
    return render(request, "compacts/detail.html", {"compact": compact, "document": compact.document, "linker": linker})


@public_page
def glossary(request):
    return render(request, "compacts/glossary.html", {"terms": selectors.glossary_terms()})


@public_page
def term(request, compact, slug):
    return render(request, "compacts/term.html", {"term": selectors.glossary_term(compact, slug)})


@public_page
def accessibility(request):
    return render(request, "compacts/accessibility.html")
