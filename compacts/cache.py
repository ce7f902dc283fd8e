"""Whole-page caching of public pages, invalidated when any content changes.

Every cached page's key carries the content version. Every service that changes
what public pages show calls `content_changed()`, which bumps the version when
the change commits, so pages made from older content are never served again.
Saving or deleting a row of a model public pages show (compacts.content) calls
it too: the safety net for the changes no service makes (the admin, loaddata,
the shell). Pages are cached only for visitors who are not signed in, since
signed-in pages show who is.

Two levels: the shared cache (Redis in production, so every app server sees
the same pages and the same version) and, in front of it, a small in-process
store of recently served pages. Each process re-reads the shared version at
most once a second (and at once after a change it made itself), so a change
reaches every server within a second, while a hot page costs no network round
trip at all.

Each page is also stored gzipped (compressed once, when cached) and served
so to clients that accept it, as every browser does. Cached pages are for
visitors only and carry no secrets or tokens, so compression is safe here.

What a browser, proxy or CDN may keep is said on every response (the
`cache_headers` middleware): a page for someone signed in is `private,
no-store`, and so is anything else that is not a public page; a public page
served to a visitor may be kept for `PUBLIC_PAGE_SECONDS` (a change reaches
a proxy's copy within that time, as it reaches every app server within a
second).
"""

import gzip
import threading
import time
from collections import OrderedDict
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse

VERSION_KEY = "content-version"
PAGE_TIMEOUT = 60 * 60 * 24
VERSION_TTL = 1.0  # seconds a process trusts the version it last read
LOCAL_BYTES = 32 * 1024 * 1024  # the in-process store's budget


def _size(page):
    content, compressed, _ = page
    return len(content) + len(compressed)


class _LocalPages:
    """A byte-bounded, least-recently-used store of pages, for one process."""

    def __init__(self, budget):
        self.budget = budget
        self.size = 0
        self.pages = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            page = self.pages.get(key)
            if page is not None:
                self.pages.move_to_end(key)
            return page

    def put(self, key, page):
        with self.lock:
            if key in self.pages:
                return
            self.pages[key] = page
            self.size += _size(page)
            while self.size > self.budget:
                _, oldest = self.pages.popitem(last=False)
                self.size -= _size(oldest)

    def clear(self):
        with self.lock:
            self.pages.clear()
            self.size = 0


_local_pages = _LocalPages(LOCAL_BYTES)
_version = {"value": None, "read_at": 0.0}


def content_version():
    """The current content version, read from the shared cache at most once a second."""
    now = time.monotonic()
    if _version["value"] is None or now - _version["read_at"] > VERSION_TTL:
        _version["value"] = cache.get_or_set(VERSION_KEY, 1, timeout=None)
        _version["read_at"] = now
    return _version["value"]


def _bump():
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, timeout=None)
    _version["value"] = None
    _local_pages.clear()


def content_changed():
    """Make every cached public page stale: what they show is changing, in the transaction under way (if any).

    The version is bumped as the transaction commits. A request running meanwhile reads the content as it was before
    the commit, and so must store its page under a version no request reads after the commit: bumped in the
    transaction only (as post_save did), the new version could be read, and the old content cached under it, before
    the commit, and served from then on. It is bumped at once as well, so that the transaction making the change (and
    a test, whose transaction never commits) no longer reads pages made before it; a page cached under that
    in-between version is as stale as the rest once the commit bumps it again. A bump that fails after the commit is
    logged (robust), so that it neither turns a change already made into an error nor stops the rest of the commit's
    work (its emails)."""
    _bump()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_bump, robust=True)


def row_changed(sender, **kwargs):
    """A row of a model public pages show was saved or deleted (a signal receiver): its content changed."""
    content_changed()


def follow(model):
    """Make any save or delete of this model, by the admin, loaddata or code, stale every cached public page: the
    safety net for changes no service makes (services call content_changed themselves). Each kind of content and each
    other model public pages show is followed as it is declared (compacts.content)."""
    post_save.connect(row_changed, sender=model)
    post_delete.connect(row_changed, sender=model)


def clear():
    """Forget every cached page (tests start from nothing)."""
    cache.clear()
    _version["value"] = None
    _local_pages.clear()


def public_page(view):
    """Cache a public GET view's successful responses for visitors. A page that will show the visitor a message
    meant for them alone ("signed out", "draft saved") is theirs: it is neither served from the cache nor kept."""

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or request.user.is_authenticated or _has_messages(request):
            return view(request, *args, **kwargs)
        request.public_page = True
        if not settings.PAGE_CACHE:
            return view(request, *args, **kwargs)
        key = f"page:{content_version()}:{request.get_full_path()}"
        page = _local_pages.get(key)
        if page is None:
            page = cache.get(key)
            if page is not None:
                _local_pages.put(key, page)
        if page is not None:
            return _response(request, page)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            page = (response.content, gzip.compress(response.content, 6), response["Content-Type"])
            cache.set(key, page, PAGE_TIMEOUT)
            _local_pages.put(key, page)
            response["Vary"] = "Accept-Encoding"
        return response

    cached_view.public_page = True
    return cached_view


def _has_messages(request):
    # The length of the message storage counts them without marking them read.
    return bool(len(messages.get_messages(request)))


def _response(request, page):
    content, compressed, content_type = page
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        response = HttpResponse(compressed, content_type=content_type)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(content, content_type=content_type)
    response["Vary"] = "Accept-Encoding"
    return response


PRIVATE = "private, no-store"


def cache_headers(get_response):
    """Say on every response who may keep it. Public pages served to visitors may be kept by anyone for a while;
    everything else (every page for someone signed in, forms, redirects, errors, downloads of private data) is
    kept by no one. A response that sets a cookie is never public."""

    def middleware(request):
        response = get_response(request)
        user = getattr(request, "user", None)
        public = (
            getattr(request, "public_page", False)
            and response.status_code == 200
            and not response.cookies
            and not (user is not None and user.is_authenticated)
        )
        if public:
            response["Cache-Control"] = f"public, max-age={settings.PUBLIC_PAGE_SECONDS}"
        elif (user is not None and user.is_authenticated) or "Cache-Control" not in response:
            response["Cache-Control"] = PRIVATE
        return response

    return middleware
