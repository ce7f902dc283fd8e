"""Helpers for the files the portal lets people download."""

import csv

from django.http import HttpResponse, StreamingHttpResponse

# What makes Excel, LibreOffice or Google Sheets read a cell as a formula (or a
# cell that a formula can hide behind), so a downloaded CSV could run it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV = "text/csv; charset=utf-8"


def safe_cell(value):
    """A CSV cell a spreadsheet shows as text and never runs: text that starts like a formula gets an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def safe_row(row):
    """`safe_cell` over a row, a list or a dict."""
    if isinstance(row, dict):
        return {key: safe_cell(value) for key, value in row.items()}
    return [safe_cell(value) for value in row]


def csv_response(filename, headings, rows, *, stream=False):
    """A CSV file to download as `filename`: a row of `headings`, then `rows` (each a list, or a dict keyed by the
    headings), every cell made safe to open in a spreadsheet (safe_row). Streamed (`stream`) where the rows are
    many: each is written as it is read, so the file is never held whole."""
    response_class = StreamingHttpResponse if stream else HttpResponse
    response = response_class(_lines(headings, rows), content_type=CSV)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class _Line:
    """Where the csv module writes a row: it hands the row's line back, to be sent on."""

    def write(self, line):
        return line


def _lines(headings, rows):
    plain, named = csv.writer(_Line()), csv.DictWriter(_Line(), fieldnames=headings)
    yield plain.writerow(headings)
    for row in rows:
        yield (named if isinstance(row, dict) else plain).writerow(safe_row(row))
