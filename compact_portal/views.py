from django.http import HttpResponse
from django.shortcuts import render

from compacts.cache import public_page
from compacts.templatetags.portal import TermLinker

from . import pages


def health(request):
    """Liveness check for load balancers; also the benchmark's floor."""
    return HttpResponse("ok", content_type="text/plain")


@public_page
def home(request):
    page = pages.compact_page(request.GET.get("page"))
    return render(request, "compacts/home.html", {"page": page, "compacts": page.object_list})


@public_page
def compact(request, slug):
    compact = pages.compact_document(slug)
    linker = TermLinker(compact.document.glossary_terms)
    return render(request, "compacts/detail.html", {"compact": compact, "document": compact.document, "linker": linker})
