"""Template filters used across the portal (loaded as a builtin)."""

import html
import re
from itertools import groupby

from django import forms, template
from django.conf import settings
from django.template.defaultfilters import linebreaksbr
from django.utils.html import escape, format_html, linebreaks
from django.utils.safestring import mark_safe

from compacts.text import long_date

register = template.Library()


class TermLinker:
    """Links the first use of each glossary term on a page to its definition.

    One linker lives for one page render: templates pass it to `layout` in
    document order, so each term is linked once, where it is first used.
    """

    def __init__(self, terms):
        self.urls = {}
        for term in terms:
            self.urls.setdefault(term.term.lower(), term.get_absolute_url())
        words = sorted((re.escape(escape(t)) for t in self.urls), key=len, reverse=True)
        self.pattern = re.compile(rf"(?<![\w&])({'|'.join(words)})(?!\w)", re.IGNORECASE) if words else None

    def link(self, html):
        if not self.pattern or not self.urls:
            return html

        def replace(match):
            key = match.group(1).lower().replace("&amp;", "&")
            url = self.urls.pop(key, None)
            if url is None:
                return match.group(0)
            return f'<a class="govuk-link app-term-link" href="{url}">{match.group(1)}</a>'

        return self.pattern.sub(replace, html)


def _line_kind(line):
    if line.startswith("- "):
        return "list"
    if line.startswith("| "):
        return "table"
    return "text"


def _render_run(kind, lines, text):
    if kind == "list":
        items = "".join(f"<li>{text(line[2:])}</li>" for line in lines)
        return f'<ul class="govuk-list govuk-list--bullet">{items}</ul>'
    if kind == "table":
        rows = []
        for line in lines:
            head, *rest = [cell.strip() for cell in line.strip().strip("|").split(" | ")]
            th = f'<th scope="row" class="govuk-table__header">{text(head)}</th>'
            tds = "".join(f'<td class="govuk-table__cell">{text(cell)}</td>' for cell in rest)
            rows.append(f'<tr class="govuk-table__row">{th}{tds}</tr>')
        table = f'<table class="govuk-table"><tbody class="govuk-table__body">{"".join(rows)}</tbody></table>'
        # Wide tables scroll sideways in their own box on narrow screens (WCAG 1.4.10 allows this for tables).
        return f'<div class="app-table-scroll" tabindex="0">{table}</div>'
    return f'<p class="govuk-body">{"<br>".join(text(line) for line in lines)}</p>'


@register.filter
def layout(value, linker=None):
    """Render the portal's plain-text layout: blank lines separate blocks,
    "- " lines make a bulleted list and "| a | b |" lines a table row. With a
    TermLinker, glossary terms are linked where first used."""

    def text(line):
        html = escape(line)
        return linker.link(html) if linker else html

    html = []
    for block in value.strip().split("\n\n"):
        lines = [line.rstrip() for line in block.strip().splitlines() if line.strip()]
        for kind, run in groupby(lines, key=_line_kind):
            html.append(_render_run(kind, list(run), text))
    return mark_safe("\n".join(html))  # noqa: S308 every piece of text in it was escaped above


@register.filter
def bold_prefix(text, prefix):
    """Show a printed item with its leading name in bold, when it starts with it."""
    if prefix and text.startswith(prefix):
        return format_html("<strong>{}</strong>{}", prefix, text[len(prefix) :])
    return text


@register.filter
def page_range(paginator, number):
    """Page numbers around the current one, with None where pages are skipped."""
    pages = paginator.get_elided_page_range(number, on_each_side=2, on_ends=1)
    return [None if page == paginator.ELLIPSIS else page for page in pages]


@register.filter
def error_anchor(bound_field, field_id):
    """Where an error summary link to this field goes: the field, or its first option (checkboxes, radios) or
    first part (a date), whose ids are the field's own with _1 or _0 added."""
    if field_id == bound_field.auto_id:
        widget = bound_field.field.widget
        if isinstance(widget, (forms.CheckboxSelectMultiple, forms.RadioSelect)):
            return f"{field_id}_1"
        if isinstance(widget, forms.MultiWidget):
            return f"{field_id}_0"
    return field_id


@register.filter
def checkbox_inputs(bound_field):
    """A checkbox field's options as GOV.UK checkbox items, built in one pass
    (hundreds of options are too many for a template loop). A field may carry
    `hints`, option value to longer text, shown in a details component under
    the option (a label cut short keeps its whole wording one click away)."""
    data = bound_field.value() or []
    selected = {str(value) for value in (data if isinstance(data, (list, tuple)) else [data])}
    quote = html.escape  # plain str in, plain str out: Django's escape costs more per call, on hundreds of options
    name = quote(bound_field.html_name)
    hints = getattr(bound_field.field, "hints", {})
    summary = escape(getattr(bound_field.field, "hint_summary", "More"))
    items = []
    for n, (value, label) in enumerate(bound_field.field.choices, start=1):
        checked = " checked" if str(value) in selected else ""
        hint = hints.get(str(value))
        described = f' aria-describedby="id_{name}_{n}_hint"' if hint else ""
        item = (
            f'<div class="govuk-checkboxes__item"><input type="checkbox" name="{name}" '
            f'class="govuk-checkboxes__input" id="id_{name}_{n}" value="{quote(str(value))}"{checked}{described}>'
            f'<label class="govuk-label govuk-checkboxes__label" for="id_{name}_{n}">{quote(str(label))}</label>'
        )
        if hint:
            item += (
                f'<div id="id_{name}_{n}_hint" class="govuk-hint govuk-checkboxes__hint">'
                '<details class="govuk-details govuk-!-margin-bottom-0"><summary class="govuk-details__summary">'
                f'<span class="govuk-details__summary-text">{summary}</span></summary>'
                f'<div class="govuk-details__text">{linebreaksbr(hint)}</div></details></div>'
            )
        items.append(item + "</div>")
    return mark_safe("\n".join(items))  # noqa: S308 the name, values, labels and hints are escaped


@register.filter
def lowerfirst(text):
    """A label set mid-sentence: its first letter in lower case, the rest as written ("the Compact Champions of
    the organisations in dispute", never "the compact champions")."""
    text = str(text)
    return text[:1].lower() + text[1:]


@register.filter("long_date", expects_localtime=True)
def long_date_filter(value):
    """A date, or a moment in the portal's time zone, as the portal writes it: "1 June 2026" (compacts.text's
    long_date, so pages and emails say a date the same way); nothing where there is no date."""
    return "" if value in (None, "") else long_date(value)


PORTAL_ADDRESS = r"(?<![\w/.:-])(?:{site})?(/(?:compacts|complaints|commitments)/(?:[\w/.~%-]*[\w/~%-])?)"


@register.filter(needs_autoescape=True)
def linebreaks_linked(text, autoescape=True):
    """Text someone wrote, as paragraphs (as `linebreaks`), with each address of a page of this portal in it (the
    record a complaint was raised from: "https://…/compacts/dorset/records/5/") a link to that page. Other
    addresses stay words: only the portal's own pages are linked, and everything else is escaped."""
    text = str(text)
    pattern = re.compile(PORTAL_ADDRESS.format(site=re.escape(settings.SITE_URL.rstrip("/"))))
    parts, end = [], 0
    for match in pattern.finditer(text):
        parts += [
            escape(text[end : match.start()]),
            format_html('<a class="govuk-link" href="{}">{}</a>', match[1], match[0]),
        ]
        end = match.end()
    parts.append(escape(text[end:]))
    return mark_safe(linebreaks("".join(parts), autoescape=False))  # noqa: S308 each part escaped
