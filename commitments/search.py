"""Keyword search of commitments.

On PostgreSQL: full-text search (English stemming, websearch syntax such as
"quoted phrases" and -exclusions), ranked, with the matched words
highlighted, using the stored, GIN-indexed `search_vector` (kept by a trigger,
see migration 0004). Elsewhere (SQLite): every word
must appear, matched case-insensitively, and highlighted the same way.
"""

import re

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Q
from django.utils.html import escape
from django.utils.safestring import mark_safe

CONFIG = "english"
START, STOP = "\x02", "\x03"  # markers no document text contains


def is_postgres():
    return connection.vendor == "postgresql"


def keyword_search(queryset, q):
    """Commitments matching the keywords, best first, each with `highlighted` text."""
    if is_postgres():
        query = SearchQuery(q, config=CONFIG, search_type="websearch")
        return (
            queryset.annotate(
                rank=SearchRank(F("search_vector"), query),
                headline=SearchHeadline(
                    "text", query, config=CONFIG, start_sel=START, stop_sel=STOP, highlight_all=True
                ),
            )
            .filter(search_vector=query)
            .order_by("-rank", "id")  # ties in document order; joins wait for the top rows
        )
    words = q.split()
    matches = Q()
    for word in words:
        matches &= Q(text__icontains=word)
    return queryset.filter(matches)


def highlighted(commitment, q):
    """The commitment's text, escaped, with the matched words in <mark>."""
    marked = getattr(commitment, "headline", None)
    if marked is None:
        words = [re.escape(word) for word in q.split() if word]
        marked = commitment.text
        if words:
            marked = re.sub(f"({'|'.join(words)})", f"{START}\\1{STOP}", marked, flags=re.IGNORECASE)
    html = escape(" ".join(marked.split())).replace(START, "<mark>").replace(STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 escaped above; only our own <mark> tags added
