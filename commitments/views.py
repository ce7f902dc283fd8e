from django.http import Http404
from django.shortcuts import render

from .models import Commitment


def detail(request, compact, ref):
    try:
        commitment = Commitment.objects.select_related("compact", "section__compact", "theme").get(
            compact__slug=compact, ref=ref
        )
    except Commitment.DoesNotExist:
        raise Http404("No commitment with that reference in that Compact.") from None
    return render(request, "commitments/detail.html", {"commitment": commitment})
