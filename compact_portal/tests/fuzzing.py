"""The machinery of test_fuzz_posts.py: which views take POST, what their forms ask, malformed data to send them
(Hypothesis strategies), how a request is sent as raw bytes, and what is kept of each 500 for the report."""

import dataclasses
import html.parser
import json
import os
import sys
import time
import traceback
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

from django.apps import apps
from django.conf import settings
from django.db.models import Count, Max
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import strategies as st

ROOT = Path(settings.BASE_DIR)
PROJECT_APPS = ("compacts", "commitments", "disputes", "compact_portal")
# Django's own views the portal routes to (sign in and out, passwords), and the one admin page that runs portal code
# on POST: the membership list's confirm and refuse actions. The rest of the admin is Django's generic add, change
# and delete pages, left out.
AUTH_VIEWS = "django.contrib.auth.views"
ADMIN_VIEWS = {"admin:compacts_membership_changelist"}


# The views ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", as reverse() takes it
    params: tuple  # (name, converter name) of each path parameter
    methods: frozenset | None  # the methods the view allows, or None: any method, POST included
    module: str

    @property
    def is_form(self):
        """Asks for POST itself (require_POST, require_http_methods, a class-based view with post()), or is the admin
        page kept for its actions."""
        return (self.methods is not None and "POST" in self.methods) or self.name in ADMIN_VIEWS


def allowed_methods(callback):
    """The HTTP methods a view allows: read from require_http_methods' closure (through every decorator's
    __wrapped__), or a class-based view's handlers; None if nothing restricts them."""
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return frozenset(m.upper() for m in view_class.http_method_names if hasattr(view_class, m))
    function = callback
    while function is not None:
        for cell in function.__closure__ or ():
            try:
                value = cell.cell_contents
            except ValueError:  # an empty cell
                continue
            if isinstance(value, list | tuple) and value and all(isinstance(m, str) and m.isupper() for m in value):
                return frozenset(value)
        function = getattr(function, "__wrapped__", None)
    return None


def _walk(resolver, namespace, converters):
    for pattern in resolver.url_patterns:
        pattern_converters = {**converters, **getattr(pattern.pattern, "converters", {})}
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace]))
            yield from _walk(pattern, inner, pattern_converters)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            params = tuple(
                (key, type(conv).__name__.removesuffix("Converter").lower()) for key, conv in pattern_converters.items()
            )
            callback = pattern.callback
            module = getattr(callback, "view_class", callback).__module__
            yield Route(name, params, allowed_methods(callback), module)


def post_routes():
    """Every view of the URL configuration that accepts POST: the portal's own, Django's sign-in and password views
    it routes to, and the admin's membership actions. One Route a URL name (the first pattern of a name wins, as
    reverse() would use)."""
    routes = {}
    for route in _walk(get_resolver(), "", {}):
        if route.methods is not None and "POST" not in route.methods:
            continue
        ours = route.module.split(".")[0] in PROJECT_APPS or route.name.split(":")[0] in PROJECT_APPS
        if route.name.startswith("admin:"):
            ours = route.name in ADMIN_VIEWS
        elif route.module == AUTH_VIEWS:
            ours = True
        if ours:
            routes.setdefault(route.name, route)
    return sorted(routes.values(), key=lambda route: route.name)


# What a form asks --------------------------------------------------------------------------------------------------


@dataclass
class Field:
    name: str
    kind: str  # an <input>'s type, "textarea", "select", "multiselect", or "date" (a day/month/year trio)
    options: list = field(default_factory=list)
    default: list = field(default_factory=list)


@dataclass
class Form:
    fields: dict = field(default_factory=dict)  # name to Field
    buttons: list = field(default_factory=list)  # (name, value) of each named submit button
    query: str = ""  # the query string of the form's action, if it has one

    def merge(self, other):
        for name, incoming in other.fields.items():
            mine = self.fields.setdefault(name, Field(name, incoming.kind))
            mine.options += [o for o in incoming.options if o not in mine.options]
            mine.default = mine.default or incoming.default
        self.buttons += [b for b in other.buttons if b not in self.buttons]
        self.query = self.query or other.query

    def files(self):
        return [f.name for f in self.fields.values() if f.kind == "file"]


class _FormParser(html.parser.HTMLParser):
    """The <form method="post"> elements of a page: each one's action and its named fields and buttons."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []  # (action, Form)
        self.form = None
        self.select = self.option = self.textarea = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.form = Form() if a.get("method", "get").lower() == "post" else None
            if self.form is not None:
                self.forms.append((a.get("action", ""), self.form))
            return
        if self.form is None:
            return
        name = a.get("name")
        if name == "csrfmiddlewaretoken":  # the test client does not check it
            return
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "image", "button"):
                self.form.buttons.append((name, a.get("value", "")))
                return
            entry = self.form.fields.setdefault(name, Field(name, kind))
            if kind in ("radio", "checkbox"):
                entry.options.append(a.get("value", "on"))
                if "checked" in a:
                    entry.default.append(a.get("value", "on"))
            elif kind != "file":
                entry.default = [a.get("value", "")]
        elif tag == "button" and name:
            self.form.buttons.append((name, a.get("value", "")))
        elif tag == "textarea" and name:
            self.textarea = self.form.fields.setdefault(name, Field(name, "textarea", default=[""]))
        elif tag == "select" and name:
            self.select = self.form.fields.setdefault(name, Field(name, "multiselect" if "multiple" in a else "select"))
        elif tag == "option" and self.select is not None:
            self.option = [a.get("value"), "", "selected" in a]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea.default = [self.textarea.default[0] + data]
        if self.option is not None:
            self.option[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None
        elif tag == "option" and self.option is not None and self.select is not None:
            value, text, selected = self.option
            value = text.strip() if value is None else value
            self.select.options.append(value)
            if selected:
                self.select.default.append(value)
            self.option = None


class _LinkParser(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs += [value for name, value in attrs if name == "href" and value]


def links(page_html, page_path):
    """The paths the page's links go to."""
    parser = _LinkParser()
    parser.feed(page_html)
    return sorted({urllib.parse.urlsplit(urllib.parse.urljoin(page_path, href)).path for href in parser.hrefs})


def forms_posting_to(page_html, page_path, target_path):
    """The fields of the page's POST forms that send to `target_path` (an empty action sends to the page itself),
    merged into one Form; None if there is none. Day/month/year trios (name_0, name_1, name_2) become one field."""
    parser = _FormParser()
    parser.feed(page_html)
    found = None
    for action, form in parser.forms:
        sent_to = urllib.parse.urlsplit(urllib.parse.urljoin(page_path, action or page_path))
        if sent_to.path == target_path:
            form.query = sent_to.query
            found = found or Form()
            found.merge(form)
    if found is not None:
        for name in list(found.fields):
            base = name[:-2]
            if name.endswith("_0") and all(f"{base}_{i}" in found.fields for i in (1, 2)):
                parts = [found.fields.pop(f"{base}_{i}") for i in range(3)]
                found.fields[base] = Field(base, "date", default=[p.default[0] if p.default else "" for p in parts])
    return found


# Malformed data ----------------------------------------------------------------------------------------------------

HUGE = ["x" * 100_000, "é" * 100_000, "1" * 100_000, "a b\n" * 25_000]
CONTROL = [chr(c) for c in range(0x20)] + ["\x7f"]
WRONG_TYPES = [
    "abc", "1.5", "-1", "0", "1e309", "NaN", "inf", "-0", " 7 ", "0x1F", "١٢", "１２", "true", "None", "null",
    "[]", "{}", "99999999999999999999", "-2147483649", "2147483648", "9223372036854775808", "1,000", "£5", "5%",
]  # fmt: skip
SPECIAL = [
    "' OR 1=1 --", '"><script>alert(1)</script>', "../../../../etc/passwd", "%00", "%s%s%n", "{{ 7*7 }}",
    "\u202eevil", "\ufeffBOM", "a\u0301", "😀" * 10, "\u0000", "\r\n\r\n", "=cmd|' /C calc'!A0", "http://",
    "//evil.example/", "javascript:alert(1)", "https://evil.example/", "/admin/", "\\\\server\\share", " ", "\t",
]  # fmt: skip
# Bytes that are not UTF-8: a lone surrogate (U+D800 as CESU-8), a cut-off sequence, overlong forms, stray bytes.
BAD_BYTES = [
    b"\xed\xa0\x80",
    b"\xed\xbf\xbf",
    b"\xc3",
    b"\xff\xfe",
    b"\x80",
    b"\xc0\xaf",
    b"\xf5\x80\x80\x80",
    b"a\xffb",
]
BAD_DATES = [
    ("31", "2", "2026"), ("29", "2", "2025"), ("30", "2", "2024"), ("0", "0", "0"), ("32", "1", "2026"),
    ("1", "13", "2026"), ("31", "12", "9999"), ("1", "1", "1"), ("1", "1", "0"), ("1", "1", "99999"),
    ("-1", "-1", "-2026"), ("", "", "2026"), ("1", "", ""), ("", "", ""), ("x", "y", "z"), ("1.5", "2", "2026"),
    ("1", "1", "10000"), ("31", "4", "2026"), ("1", "1", "1900"), ("01", "01", "2026"), ("1", "1", "99999999999"),
]  # fmt: skip
ODD_FILENAMES = [
    "", " ", ".", "..", "../../etc/passwd", "..\\..\\boot.ini", "a\x00b.pdf", "CON", "nul.txt", "x" * 1000 + ".pdf",
    "ü ñ 文件.pdf", "evil.pdf.exe", "no-extension", ".hidden", "a\r\nContent-Type: text/html.txt", 'quote".pdf',
    "semi;colon.txt", "%2e%2e%2fpasswd", "file.PDF", "😀.png", "report.docx", "notes.txt", "photo.jpg",
]  # fmt: skip
# Buttons that change what a POST does, some shown only after a first POST (a check, then "create").
BUTTONS = [("submit", ""), ("create", ""), ("remove", ""), ("appoint", ""), ("invite", ""), ("search_commitments", "")]
# Names the views read straight from request.POST (not through a form), and buttons that change what a POST does.
POST_NAMES = [
    "submit", "create", "remove", "appoint", "invite", "contact", "find", "search_commitments", "remove_file", "back",
    "compact", "version", "action", "_selected_action", "select_across", "index", "post", "next", "template",
]  # fmt: skip


def _file_contents():
    return [
        b"",
        b"plain words\n",
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 32,
        b"\xff\xd8\xff\xe0" + b"\x00" * 32,
        b"PK\x03\x04" + b"\x00" * 40,
        bytes(range(256)),
        b"MZ\x90\x00" + b"\x00" * 60,
        b"\xef\xbb\xbf---\n- a\n- b\n---\n",
        b"A" * 3_000_000,  # above the 2 MB import limits
        b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024 + 1),  # above the 10 MB evidence limit
    ]


FILE_CONTENTS = _file_contents()


class Context(SimpleNamespace):
    """What payloads() draws from (see there); short in Hypothesis' reports."""

    def __repr__(self):
        return "Context(...)"


@dataclass
class Payload:
    pairs: list  # (name, value): str or bytes; a name may repeat
    files: list  # (field name, filename, content bytes, content type)
    encoding: str
    repeat: int  # how many times the same request is sent (a double submit is 2)
    query: str = ""  # the form action's query string, sent with it

    def shown(self):
        """The payload for a report: long values cut short, with their length."""

        def short(value):
            if len(value) > 120:
                return f"{value[:40]!r}… ({len(value)} {'bytes' if isinstance(value, bytes) else 'chars'})"
            return repr(value)

        pairs = ", ".join(f"{short(n)}: {short(v)}" for n, v in self.pairs)
        files = "; ".join(f"{name}={short(fn)} ({len(content)} bytes, {ct!r})" for name, fn, content, ct in self.files)
        query = f", to ?{self.query}" if self.query else ""
        times = f", sent {self.repeat} times" if self.repeat > 1 else ""
        return f"[{self.encoding}{query}{times}] {{{pairs}}}" + (f" files: {files}" if files else "")

    def with_field(self, field, values):
        """This payload with the field's values replaced (a date's by its day, month and year)."""
        names = {f"{field.name}_{i}" for i in range(3)} if field.kind == "date" else {field.name}
        pairs = [(n, v) for n, v in self.pairs if n not in names]
        if field.kind == "date":
            pairs += [(f"{field.name}_{i}", value) for i, value in enumerate(values)]
        else:
            pairs += [(field.name, value) for value in values]
        return dataclasses.replace(self, pairs=pairs)


def _text_strategy(seeds):
    control_text = st.lists(st.sampled_from(CONTROL) | st.sampled_from(["a", " ", "é", "1"]), min_size=1, max_size=12)
    return st.one_of(
        st.sampled_from(WRONG_TYPES),
        st.sampled_from(SPECIAL),
        st.sampled_from(HUGE),
        control_text.map("".join),
        st.text(max_size=40),
        _seed(seeds),
    )


def _seed(seeds):
    """A structured text: a kind, then one of that kind (seeds is a list of lists)."""
    return st.sampled_from(seeds).flatmap(st.sampled_from) if seeds else st.nothing()


def junk_value(context):
    """One malformed value: wrong types, control characters, huge strings, ids of other objects, bytes that are not
    UTF-8, structured texts (front matter, CSV) with something wrong in them."""
    return st.one_of(
        _text_strategy(context.seeds),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.sampled_from(context.pks).map(str),
        st.sampled_from(BAD_BYTES),
        st.tuples(st.text(max_size=5), st.sampled_from(BAD_BYTES)).map(lambda t: t[0].encode() + t[1]),
    )


def _plausible(field, context):
    """What a person filling the form in might send for this field: its default, one of its options, or a
    sensible value of its type. A list of values (empty: the field is left out)."""
    if field.kind == "date":
        return st.sampled_from([field.default, ["1", "4", "2026"], ["28", "2", "2026"], ["15", "6", "2025"]])
    if field.kind in ("checkbox", "multiselect"):
        return st.lists(st.sampled_from(field.options), unique=True, max_size=3) if field.options else st.just([])
    if field.kind in ("radio", "select"):
        return st.sampled_from(field.options).map(lambda v: [v]) if field.options else st.just(field.default)
    if field.kind == "file":
        return st.just([])
    if field.name in context.field_seeds:
        return _seed(context.field_seeds[field.name]).map(lambda v: [v])
    if field.default and field.default != [""]:
        return st.just(field.default) | _by_kind(field, context)
    return _by_kind(field, context)


def _by_kind(field, context):
    name = field.name.lower()
    if field.kind == "email" or "email" in name:
        return st.sampled_from([["person@example.org"], [context.emails[0]], [context.emails[-1]]])
    if field.kind == "password" or "password" in name:
        return st.just(["Correct-horse-9-battery"])
    if field.kind == "number" or name in ("version", "year", "value", "amount"):
        return st.sampled_from(["1", "2", "12", "2026", "0"]).map(lambda v: [v])
    if field.kind == "textarea":
        return (st.just("Some words.") | _seed(context.seeds)).map(lambda v: [v])
    if name == "link":
        return st.just(["https://example.org/consultation"])
    return st.sampled_from(["A title", "Someone", "1"]).map(lambda v: [v])


def _mutated(field, context):
    """This field's value, malformed: left out, empty, junk, or sent many times."""
    if field.kind == "date":
        return st.one_of(st.sampled_from(BAD_DATES).map(list), st.lists(junk_value(context), min_size=3, max_size=3))
    one = junk_value(context).map(lambda v: [v])
    many = st.lists(junk_value(context) | _plausible(field, context).map(lambda v: v[0] if v else ""), min_size=2)
    return st.one_of(st.just([]), st.just([""]), one, many.map(lambda vs: vs[:6]))


@st.composite
def payloads(draw, form, context):
    """A POST body for `form` (None: the view shows no form; it gets names the views read, and junk). `context`
    gives ids of objects (pks), people's addresses (emails), structured texts (seeds), and the texts meant for
    particular fields of this form (field_seeds: name to seeds)."""
    form = form or Form()
    fields = list(form.fields.values())
    mode = draw(st.sampled_from(["valid"] * 3 + ["one"] * 3 + ["some"] * 2 + ["all"]))
    wrong = set()
    if fields and mode == "one":
        wrong = {draw(st.sampled_from([f.name for f in fields]))}
    elif mode == "some":
        wrong = {f.name for f in fields if draw(st.booleans())}
    elif mode == "all":
        wrong = {f.name for f in fields}
    pairs = []
    for f in fields:
        values = draw(_mutated(f, context) if f.name in wrong else _plausible(f, context))
        if f.kind == "date":
            pairs += [(f"{f.name}_{i}", v) for i, v in enumerate(values[:3])]
        else:
            pairs += [(f.name, v) for v in values]
    if draw(st.booleans()):  # a button: the form's own, or one another step of it shows
        buttons = st.sampled_from(BUTTONS)
        pairs.append(draw(st.sampled_from(form.buttons) | buttons if form.buttons else buttons))
    if mode != "valid" or not fields:
        names = st.sampled_from(POST_NAMES + [b for b, _ in form.buttons]) | st.text(max_size=10)
        value = junk_value(context) | st.sampled_from(context.pks).map(str) | st.just("")
        pairs += draw(st.lists(st.tuples(names, value), max_size=4))
        if draw(st.booleans()):
            pairs = draw(st.permutations(pairs))
    file_fields = form.files() or (["files", "file"] if mode != "valid" and draw(st.booleans()) else [])
    files = []
    for name in file_fields:
        for _ in range(draw(st.integers(0, 2))):
            filename = draw(st.sampled_from(ODD_FILENAMES) | st.text(min_size=1, max_size=20))
            seeds = context.field_seeds.get(name) or context.seeds
            content = draw(st.sampled_from(FILE_CONTENTS) | _seed(seeds).map(str.encode))
            content_type = draw(st.sampled_from(["text/plain", "application/pdf", "application/octet-stream", ""]))
            files.append((name, filename, content, content_type))
    encodings = ["multipart"] * 5 + ["urlencoded"] * 4 + ["urlencoded-raw", "multipart-broken", "text/plain", "json"]
    encodings += ["multipart-no-boundary", "odd-charset"]
    encoding = draw(st.sampled_from(encodings))
    repeat = draw(st.sampled_from([1, 1, 1, 2]))
    query = form.query if form.query and draw(st.booleans()) else ""
    return Payload(pairs, files, encoding, repeat, query)


def first_values(form, context):
    """The form as someone would first send it: each field's default, first option or a sensible value (a field's
    first structured text, if it has some), the first button."""
    pairs = []
    for f in form.fields.values():
        if f.kind == "file":
            continue
        if f.name in context.field_seeds:
            values = [context.field_seeds[f.name][0][0]]
        elif f.kind == "date":
            values = f.default if all(f.default) else ["1", "4", "2026"]
        elif f.kind in ("checkbox", "multiselect", "radio", "select"):
            values = f.default or [o for o in f.options if o][:1]
        elif f.default and f.default != [""]:
            values = f.default
        else:
            values = {"email": ["person@example.org"], "password": ["Correct-horse-9-battery"]}.get(f.kind, ["1"])
        names = [f"{f.name}_{i}" for i in range(3)] if f.kind == "date" else [f.name] * len(values)
        pairs += list(zip(names, values, strict=False))
    return Payload(pairs + form.buttons[:1], [], "multipart", 1, form.query)


def classic_mistakes(field):
    """A few values for this field that are wrong in the usual ways, each a list of values (a date: day, month,
    year): impossible and out-of-range dates; ids of nothing, negative or too big for the database, and every option
    at once, twice; huge text, control characters, a number too big for any column, nothing."""
    if field.kind == "date":
        return [["31", "2", "2026"], ["1", "1", "99999999999"], ["31", "12", "9999"], ["1", "1", "1"]]
    if field.kind in ("checkbox", "multiselect", "radio", "select"):
        return [["999999"], ["-1"], ["9223372036854775808"], [o for o in field.options if o] * 2]
    return [[HUGE[0]], ["".join(CONTROL)], ["99999999999999999999"], [""]]


def _b(value):
    return value if isinstance(value, bytes) else value.encode("utf-8")


BOUNDARY = "fuzzBoundary7MA4YWxkTrZu0gW"


def encode(payload):
    """The request body and its Content-Type, as bytes exactly as given (no client-side checks or fixes)."""
    if payload.encoding in ("urlencoded", "urlencoded-raw", "text/plain", "odd-charset"):
        if payload.encoding == "urlencoded-raw":  # not percent-encoded: raw bytes, spaces, & and = as they are
            body = b"&".join(_b(n) + b"=" + _b(v) for n, v in payload.pairs)
        else:
            body = b"&".join(
                urllib.parse.quote_from_bytes(_b(n), safe="").encode()
                + b"="
                + urllib.parse.quote_from_bytes(_b(v), safe="").encode()
                for n, v in payload.pairs
            )
        kind = {"text/plain": "text/plain", "odd-charset": "application/x-www-form-urlencoded; charset=utf-16"}
        return body, kind.get(payload.encoding, "application/x-www-form-urlencoded")
    if payload.encoding == "json":
        data = {}
        for n, v in payload.pairs:
            data.setdefault(_b(n).decode("utf-8", "replace"), []).append(_b(v).decode("utf-8", "replace"))
        return json.dumps(data).encode(), "application/json"
    parts = []
    for n, v in payload.pairs:
        parts.append(b'Content-Disposition: form-data; name="' + _b(n) + b'"\r\n\r\n' + _b(v))
    for n, filename, content, content_type in payload.files:
        head = b'Content-Disposition: form-data; name="' + _b(n) + b'"; filename="' + _b(filename) + b'"\r\n'
        if content_type:
            head += b"Content-Type: " + content_type.encode() + b"\r\n"
        parts.append(head + b"\r\n" + content)
    boundary = BOUNDARY.encode()
    body = b"".join(b"--" + boundary + b"\r\n" + part + b"\r\n" for part in parts)
    if payload.encoding == "multipart-broken":  # no closing boundary, and a part with no headers
        body += b"--" + boundary + b"\r\nno headers here\r\n"
    else:
        body += b"--" + boundary + b"--\r\n"
    if payload.encoding == "multipart-no-boundary":
        return body, "multipart/form-data"
    return body, f"multipart/form-data; boundary={BOUNDARY}"


# What the database holds --------------------------------------------------------------------------------------------


def _models():
    found = [apps.get_model("auth", "User")]
    for label in PROJECT_APPS:
        try:
            config = apps.get_app_config(label)
        except LookupError:
            continue
        found += list(config.get_models(include_auto_created=True))
    return found


def snapshot():
    """Each model's row count and highest primary key: the portal's apps' models and the people."""
    state = {}
    for model in _models():
        pk = model._meta.pk.attname
        found = model._base_manager.aggregate(rows=Count(pk), last=Max(pk))
        state[model._meta.label] = (found["rows"], found["last"])
    return state


def changes(before, after):
    return {label: (before[label], after[label]) for label in before if before[label] != after[label]}


# Findings -----------------------------------------------------------------------------------------------------------


@dataclass
class Finding:
    kind: str  # "500", or "changed when refused"
    cause: str  # the exception's type and where it was raised in the portal's code
    view: str
    url: str
    role: str
    payload: str
    status: int
    message: str = ""
    frames: list = field(default_factory=list)
    seen: int = 1


class Findings:
    """Every request sent and every distinct problem found (a cause, in a view), kept for the end of the run; the
    smallest example of each is the one kept."""

    def __init__(self):
        self.counts = Counter()
        self.found = {}
        self.slow = []

    def request(self, status, seconds, what):
        self.counts["requests"] += 1
        self.counts[f"status {status}"] += 1
        if status == 500:
            self.counts["500"] += 1
        if seconds > 5:
            self.slow.append((round(seconds, 1), what))

    def add(self, finding):
        key = (finding.kind, finding.cause, finding.view)
        kept = self.found.get(key)
        if kept is None:
            self.found[key] = finding
            return True
        kept.seen += 1
        if len(finding.payload) < len(kept.payload):
            finding.seen = kept.seen
            self.found[key] = finding
        return False

    def for_view(self, view):
        return [f for f in self.found.values() if f.view == view]

    def summary(self):
        causes = {f.cause for f in self.found.values() if f.kind == "500"}
        views = {f.view for f in self.found.values() if f.kind == "500"}
        refusals = sum(1 for f in self.found.values() if f.kind != "500")
        return (
            f"fuzz: {self.counts['requests']} requests sent, {self.counts['500']} answered 500 "
            f"({len(causes)} distinct causes, in {len(views)} views), {refusals} refusals that changed data, "
            f"{len(self.slow)} took over 5 s"
        )

    def report(self):
        lines = ["# Fuzzing the portal's POST views", "", self.summary(), ""]
        statuses = ", ".join(f"{k}: {v}" for k, v in sorted(self.counts.items()) if k.startswith("status"))
        lines += [f"Statuses: {statuses}", ""]
        for finding in sorted(self.found.values(), key=lambda f: (f.kind, f.cause, f.view)):
            lines += [
                f"## {finding.kind}: {finding.cause}",
                "",
                f"- view {finding.view}, POST {finding.url}, as {finding.role}: status {finding.status} "
                f"(seen {finding.seen} times)",
                f"- data: {finding.payload}",
            ]
            if finding.message:
                lines.append(f"- {finding.message}")
            lines += [f"    {frame}" for frame in finding.frames]
            lines.append("")
        if self.slow:
            lines += ["## Slow requests", ""] + [f"- {s} s: {what}" for s, what in self.slow] + [""]
        return "\n".join(lines)


def _shown_frame(frame):
    path = Path(frame.filename)
    for root in (ROOT / ".venv", ROOT):  # the portal's files from its root; a library's from site-packages
        if path.is_relative_to(root):
            path = path.relative_to(root)
            break
    parts = path.parts
    if "site-packages" in parts:
        path = Path(*parts[parts.index("site-packages") + 1 :])
    return f"{path}:{frame.lineno} in {frame.name}: {(frame.line or '').strip()}"


def _is_portal(frame):
    return frame.filename.startswith(str(ROOT)) and f"{os.sep}.venv{os.sep}" not in frame.filename


def portal_frames(exc_info, keep=4):
    """The last frames of the traceback in the portal's own code, as "file:line in function: code"; and where the
    exception was raised, if that is not in the portal's code."""
    frames = traceback.extract_tb(exc_info[2])
    shown = [_shown_frame(frame) for frame in frames if _is_portal(frame)][-keep:]
    if not shown:  # then the last frames of a library other than Django, if any (django-axes, say)
        libraries = [frame for frame in frames[:-1] if f"{os.sep}django{os.sep}" not in frame.filename]
        shown = [_shown_frame(frame) for frame in libraries[-2:]]
    if frames and not _is_portal(frames[-1]):
        shown.append(f"(raised in) {_shown_frame(frames[-1])}")
    return shown


def cause_of(exc_info, view):
    """An exception's type and where the portal's code last had it (else where it was raised): what tells one bug
    from another."""
    if exc_info is None:
        return f"a 500 response without an exception, from {view}"
    frames = traceback.extract_tb(exc_info[2])
    ours = [frame for frame in frames if _is_portal(frame)]
    if ours:
        where = f"{Path(ours[-1].filename).relative_to(ROOT)} in {ours[-1].name}"  # the function: not the line
    elif frames:
        where = f"{view}, raised in {_shown_frame(frames[-1]).split(':', 1)[0]} in {frames[-1].name}"
    else:
        where = view
    return f"{exc_info[0].__name__} in {where}"


def exception_message(exc_info):
    text = str(exc_info[1]).replace("\n", " ")
    return f"{exc_info[0].__module__}.{exc_info[0].__name__}: {text[:300]}"


def timed(call):
    started = time.perf_counter()
    result = call()
    return result, time.perf_counter() - started


def terminal_line(config, text):
    """Write a line to the terminal, even from a fixture's teardown (whose output pytest otherwise captures)."""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    capture = config.pluginmanager.get_plugin("capturemanager")
    if reporter is None or capture is None:
        print(text, file=sys.stderr)
        return
    with capture.global_and_fixture_disabled():
        reporter.write_line("")
        reporter.write_line(text)
