"""No page shows an internal code as words: the five Compacts and the demo's accounts, complaints and records,
every page reachable by links crawled as each demo role (and a visitor), its visible text checked against the
codes in the database (commitment references that are not printed numbers, figure references, slugs, field names,
choice values that are not their labels). Addresses, ids and anchors may use them; words may not."""

import re
from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve

from commitments.models import Commitment, Figure, Theme
from compacts.models import Compact, Section
from demo.management.commands.seed_demo import PEOPLE
from documents import services as portal_services

COMPACTS = ["dorset", "dacorum", "darlington", "derby-derbyshire", "county-durham"]
APPS = ["compacts", "commitments", "disputes"]
STARTS = ["/", "/complaints/", "/manage/", "/account/"]
SKIP = ("/admin/", "/accounts/logout/", "/static/", "/media/")
PAGES_PER_ROLE = 160  # more than the page shapes any one role can reach
PER_SHAPE = 3  # addresses of one shape (see shape) looked at per role
PER_PUBLIC_SHAPE = 1  # for a signed-in role, of a shape a visitor sees too: the words that differ are the role's
ADDRESS = re.compile(r"\bhttps?://\S+")  # addresses of one route (its pattern and query keys) looked at per role


NOT_WORDS = ("script", "style", "template", "code", "pre")


class VisibleText(HTMLParser):
    """The words a page shows or reads out (visually hidden text too), not its attributes, scripts or styles, nor
    what it sets as code to be typed (<code>, <pre>: the text format an administrator writes, explained on the page
    for adding a Compact, must show its keys as they are typed); and the same-site addresses it links to."""

    def __init__(self):
        super().__init__()
        self.words, self.links, self._hidden = [], [], 0

    def handle_starttag(self, tag, attrs):
        if tag in NOT_WORDS:
            self._hidden += 1
        if tag == "a":
            href = dict(attrs).get("href") or ""
            if href.startswith("/") and not href.startswith("//"):
                self.links.append(href)

    def handle_endtag(self, tag):
        if tag in NOT_WORDS and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.words.append(data)


def internal_codes():
    """Every code the database holds that a person should never read as words."""
    codes = set()
    codes |= {c.ref for c in Commitment.objects.all() if c.ref != c.number}
    codes |= {f"{f.kind}:{f.ref}" for f in Figure.objects.all()}
    codes |= {t.slug for t in Theme.objects.all() if "-" in t.slug or "_" in t.slug}
    codes |= {s.ref for s in Section.objects.all() if "-" in s.ref or "_" in s.ref}
    codes |= {c.slug for c in Compact.objects.all() if "-" in c.slug}
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            for field in model._meta.get_fields():
                if "_" in field.name and not field.name.startswith("_"):
                    codes.add(field.name)
                for value, label in getattr(field, "flatchoices", None) or []:
                    if isinstance(value, str) and ("_" in value or "-" in value) and value != label:
                        codes.add(value)
    return codes


def shape(url):
    """A route, the Compact it is about, the kind of thing or action it is about and the names of its query's keys:
    addresses of one shape show the same kinds of words (each Compact's its own)."""
    parts = urlsplit(url)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return parts.path, None, None, ()
    compact = match.kwargs.get("slug") or match.kwargs.get("compact")
    kind = match.kwargs.get("kind") or match.kwargs.get("action")  # a figure's change page is not a section's
    keys = tuple(sorted({pair.split("=")[0] for pair in parts.query.split("&") if pair}))
    return match.route, compact, kind, keys


def crawl(client, public=frozenset()):
    """Each page reachable from the starting pages by same-site links, as `client`: {address: visible text}; of a
    shape in `public` (those a visitor reaches), fewer."""
    queue, seen, per_shape, pages = deque(STARTS), set(STARTS), Counter(), {}
    while queue and len(pages) < PAGES_PER_ROLE:
        url = queue.popleft()
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = VisibleText()
        parser.feed(response.content.decode())
        pages[url] = ADDRESS.sub(" ", " ".join(parser.words))  # an address written out may hold codes
        for link in parser.links:
            link = urldefrag(link).url
            if link in seen or link.startswith(SKIP) or ".csv" in link or "download" in link or "/files/" in link:
                continue
            seen.add(link)
            key = shape(link)
            if per_shape[key] < (PER_PUBLIC_SHAPE if key in public else PER_SHAPE):
                per_shape[key] += 1
                queue.append(link)
    return pages


@pytest.fixture
def demo(db, settings):
    call_command("loaddata", "themes", *COMPACTS, verbosity=0)
    settings.DEBUG = True  # seed_demo is for trying the portal out, and says so
    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    settings.DEBUG = False
    # A review under way, so its pages (the drafted changes, the preview, an item's change page) are crawled too.
    administrator = get_user("dorset.admin@demo.example")
    review = portal_services.review_open(compact=Compact.objects.get(slug="dorset"), by=administrator)
    commitment = Commitment.objects.get(compact__slug="dorset", ref="consultation-commitments-2")
    portal_services.review_change(
        review=review, by=administrator, kind="commitment", ref=commitment.ref, value=commitment.text + " Together."
    )
    portal_services.review_change(
        review=review,
        by=administrator,
        kind="figure",
        ref="consultation_standard:main",
        value="13",
        quote="13 weeks for a standard written consultation",
        reason="To be agreed with the wording.",
    )


def test_no_page_shows_an_internal_code_as_words(demo):
    codes = internal_codes()
    assert {"independence-1", "consultation_standard:main", "critical_friend", "what_happened"} <= codes
    pattern = re.compile(
        r"(?<![\w:-])(" + "|".join(map(re.escape, sorted(codes, key=len, reverse=True))) + r")(?![\w-])"
    )
    found = {}
    public = set()
    for email in [None] + [email for email, *_ in PEOPLE]:
        client = Client()
        if email:
            client.force_login(get_user(email))
        pages = crawl(client, frozenset(public))
        if email is None:
            public = {shape(url) for url in pages}
        for url, text in pages.items():
            for match in pattern.finditer(text):
                words = " ".join(text[max(match.start() - 40, 0) : match.end() + 40].split())
                found.setdefault(match.group(), f"{url} as {email or 'a visitor'}: …{words}…")
    assert not found, "Codes shown as words:\n" + "\n".join(f"{code!r} on {where}" for code, where in found.items())


def get_user(email):
    return get_user_model().objects.get(username=email)
