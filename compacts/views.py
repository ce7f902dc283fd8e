from django.shortcuts import render

from . import selectors


def home(request):
    return render(request, "compacts/home.html", {"compacts": selectors.compact_list()})


def detail(request, slug):
    compact = selectors.compact_document(slug)
    return render(request, "compacts/detail.html", {"compact": compact, "document": compact.document})
