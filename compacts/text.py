"""Text the portal accepts: what a page can show. Control characters (a pasted PDF brings form feeds and stray
U+0001s; a forged form brings anything) are invisible, mean nothing in a Compact's words, and make a page that
shows them invalid HTML, so they are taken out of everything the portal is sent: form fields and query strings
(compact_portal.middleware), the names of uploaded files, and the text of imported files. Tabs and line breaks
stay."""

import re

from django.utils import timezone

# C0 controls other than tab, line feed and carriage return; DEL and the C1 controls; and the noncharacters HTML
# refuses (U+FDD0 to U+FDEF, and the last two code points of every plane).
UNSHOWABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef"
    + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17))
    + "]"
)


def showable(text):
    """The text without the characters no page can show."""
    return UNSHOWABLE.sub("", text) if text else text


def is_id(value):
    """Whether a value sent in a form or address can be a row's id: digits, few enough for the database's integer
    (a bigger number is no row's id, and would fail the query on SQLite rather than find nothing)."""
    text = str(value).strip()
    return text.isdigit() and len(text) <= 18


def long_date(day):
    """A date as the portal writes it in words: "1 June 2026" (no leading zero; `%-d` is a glibc extension)."""
    return f"{day.day} {day:%B %Y}"


def long_moment(moment):
    """A moment in the portal's time zone, in words: "1 June 2026 at 14:05"."""
    local = timezone.localtime(moment)
    return f"{long_date(local)} at {local:%H:%M}"
