"""Template filters used across the portal (loaded as a builtin)."""

from itertools import groupby

from django import template
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


def _line_kind(line):
    if line.startswith("- "):
        return "list"
    if line.startswith("| "):
        return "table"
    return "text"


def _render_run(kind, lines):
    if kind == "list":
        items = format_html_join("", "<li>{}</li>", ((line[2:],) for line in lines))
        return f'<ul class="govuk-list govuk-list--bullet">{items}</ul>'
    if kind == "table":
        rows = []
        for line in lines:
            cells = [cell.strip() for cell in line.strip().strip("|").split(" | ")]
            head, *rest = cells
            tds = "".join(f'<td class="govuk-table__cell">{escape(cell)}</td>' for cell in rest)
            th = f'<th scope="row" class="govuk-table__header">{escape(head)}</th>'
            rows.append(f'<tr class="govuk-table__row">{th}{tds}</tr>')
        return f'<table class="govuk-table"><tbody class="govuk-table__body">{"".join(rows)}</tbody></table>'
    return f'<p class="govuk-body">{"<br>".join(escape(line) for line in lines)}</p>'


@register.filter
def layout(text):
    """Render the portal's plain-text layout: blank lines separate blocks,
    "- " lines make a bulleted list and "| a | b |" lines a table row."""
    html = []
    for block in text.strip().split("\n\n"):
        lines = [line.rstrip() for line in block.strip().splitlines() if line.strip()]
        for kind, run in groupby(lines, key=_line_kind):
            html.append(_render_run(kind, list(run)))
    return mark_safe("\n".join(html))  # noqa: S308 every piece of text in it was escaped above


@register.filter
def bold_prefix(text, prefix):
    """Show a printed item with its leading name in bold, when it starts with it."""
    if prefix and text.startswith(prefix):
        return format_html("<strong>{}</strong>{}", prefix, text[len(prefix) :])
    return text
