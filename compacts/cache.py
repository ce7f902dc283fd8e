"""Whole-page caching of public pages, invalidated when any content changes.

Every cached page's key carries the content version; saving or deleting any
row of a Compact's content bumps the version (see CompactsConfig.ready), so
every page made from older content is missed from then on and expires.
Pages are cached only for visitors who are not signed in, since signed-in
pages may show who is signed in.
"""

from functools import wraps

from django.core.cache import cache
from django.http import HttpResponse

VERSION_KEY = "content-version"
PAGE_TIMEOUT = 60 * 60 * 24


def content_version():
    return cache.get_or_set(VERSION_KEY, 1, timeout=None)


def bump_content_version(**kwargs):
    """Make every cached public page stale (a signal receiver, hence **kwargs)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, timeout=None)


def public_page(view):
    """Cache a public GET view's successful responses for visitors."""

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        key = f"page:{content_version()}:{request.get_full_path()}"
        hit = cache.get(key)
        if hit is not None:
            content, content_type = hit
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            cache.set(key, (response.content, response["Content-Type"]), PAGE_TIMEOUT)
        return response

    return cached_view
