"""Every URL says who may keep its response: `private, no-store` for anyone signed in and for anything that is not
a public page; a public page served to a visitor may be kept by a proxy or CDN for PUBLIC_PAGE_SECONDS."""

import datetime

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

from compacts import cache as page_cache
from compacts.tests.factories import UserFactory
from disputes.tests.conftest import world  # noqa: F401 the fixture, shared with the complaint tests
from disputes.tests.test_permissions import new_complaint

pytestmark = pytest.mark.django_db

# Pages any visitor reads: each must come out public, so the walk below cannot pass by finding none.
KNOWN_PUBLIC = {"", "compacts/testshire/", "commitments/", "compare/", "glossary/", "accessibility/"}
KNOWN_PRIVATE = {"account/", "complaints/", "manage/", "complaints/new/", "accounts/login/"}


def _patterns(patterns=None, prefix=""):
    """(route, callback) of every URL pattern outside the Django admin, whose own pages are covered by sampling."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if not route.startswith("admin/"):
                yield from _patterns(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern.callback


def _paths(people):
    """A real address for every pattern: the world's Compact, complaint, file and commitment where one is named."""
    complaint = new_complaint(people)
    values = {
        "slug": people.compact.slug,
        "compact": people.compact.slug,
        "ref": people.commitments[0].ref,
        "pk": complaint.pk,
        "attachment_id": complaint.attachments.first().pk,
        "action": "withdraw",
        "year": datetime.date.today().year,
        "number": 1,
        "older": 1,
        "newer": 1,
        "table": "stages",
        "kind": "consultation",
        "organisation": people.council.pk,
        "token": "not-a-token",
        "uidb64": "MQ",
    }
    paths = {}
    for route, callback in _patterns():
        path = route
        for name, value in values.items():
            for converter in ("slug", "str", "int", ""):
                placeholder = f"<{converter}:{name}>" if converter else f"<{name}>"
                path = path.replace(placeholder, str(value))
        assert "<" not in path, f"no value for a part of {route}"
        paths[path] = getattr(callback, "public_page", False)
    return paths


def test_every_url_says_who_may_keep_it(client, world, settings, tmp_path):  # noqa: F811 the fixture
    settings.PRIVATE_MEDIA_ROOT = tmp_path  # /ready/ saves a file there
    paths = _paths(world)
    assert len(paths) > 60
    public_seen = set()
    for path, is_public_view in paths.items():
        response = client.get("/" + path)
        header = response.get("Cache-Control", "")
        if is_public_view and response.status_code == 200:
            assert header == f"public, max-age={settings.PUBLIC_PAGE_SECONDS}", path
            assert not response.cookies, path
            public_seen.add(path)
        else:
            assert "no-store" in header and "private" in header, (path, response.status_code, header)
    assert public_seen >= KNOWN_PUBLIC
    assert not public_seen & KNOWN_PRIVATE

    client.force_login(world.people.administrator)
    for path in paths:
        response = client.get("/" + path)
        assert response["Cache-Control"] == "private, no-store", (path, response.status_code)


def test_the_admin_and_the_health_check_are_never_kept(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    assert client.get("/admin/")["Cache-Control"].count("no-store") == 1  # the sign-in page, for a visitor
    client.force_login(staff)
    for path in ("/admin/", "/admin/commitments/commitment/", "/health/"):
        assert client.get(path)["Cache-Control"] == "private, no-store", path


def test_a_public_page_served_from_the_page_cache_says_the_same(client, world):  # noqa: F811 the fixture
    first = client.get("/commitments/")
    again = client.get("/commitments/")  # from the page cache
    assert first["Cache-Control"] == again["Cache-Control"] == f"public, max-age={settings.PUBLIC_PAGE_SECONDS}"


def test_pages_for_someone_signed_in_never_enter_or_come_from_the_page_cache(client, world, monkeypatch):  # noqa: F811
    client.get("/commitments/")  # a visitor's copy is now cached
    stored = []
    monkeypatch.setattr(page_cache.cache, "set", lambda key, *args, **kwargs: stored.append(key))
    client.force_login(world.people.vcs_member)
    response = client.get("/commitments/")
    assert response["Cache-Control"] == "private, no-store"
    assert b"Sign out" in response.content  # drawn for them, not the visitor's copy
    assert not [key for key in stored if key.startswith("page:")]


def test_the_time_a_proxy_may_keep_a_public_page_is_a_setting(client, world, settings):  # noqa: F811 the fixture
    settings.PUBLIC_PAGE_SECONDS = 5
    assert client.get("/compare/")["Cache-Control"] == "public, max-age=5"


def test_a_message_for_one_visitor_is_never_kept_for_the_next(client, world):  # noqa: F811 the fixture
    """A flash left for a visitor ("Draft saved", say) is shown on the next page they read; if that page is a
    public one, the page with their message must not be cached for everyone."""
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpRequest
    from django.test import Client

    cookie = CookieStorage(HttpRequest())._encode([Message(constants.SUCCESS, "Draft saved for Ms Example")])
    client.cookies[CookieStorage.cookie_name] = cookie
    theirs = client.get("/glossary/?after-signout=1")
    assert b"Draft saved for Ms Example" in theirs.content
    assert theirs["Cache-Control"] == "private, no-store"
    stranger = Client().get("/glossary/?after-signout=1")
    assert b"Draft saved for Ms Example" not in stranger.content
    assert stranger["Cache-Control"].startswith("public")
