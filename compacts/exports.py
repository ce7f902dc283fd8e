"""Helpers for the files the portal lets people download."""

# What makes Excel, LibreOffice or Google Sheets read a cell as a formula (or a
# cell that a formula can hide behind), so a downloaded CSV could run it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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
