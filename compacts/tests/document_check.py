"""Compare a source document with the text of the page that shows it.

Each line of the source, with only bullet characters, list numbers, heading
marks and markdown emphasis stripped, must appear word for word in the page's
text. Table rows are checked cell by cell. A test names the few lines that are
artefacts of the PDF conversion (page footers, watermarks, contents tables),
each with its reason.
"""

import html
import re
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings

# The fixtures' source documents, copied from ../shared/sources (a test checks
# the copies are identical wherever that folder exists).
SOURCES = Path(settings.BASE_DIR) / "fixtures" / "sources"
SHARED_SOURCES = Path(settings.BASE_DIR).parent / "shared" / "sources"

BLOCK_TAGS = {
    "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "br",
    "tr", "td", "th", "table", "section", "article", "header", "footer", "nav", "main", "aside",
    "blockquote", "details", "summary", "span",
}  # fmt: skip
SKIPPED_TAGS = {"script", "style", "head", "title"}


class _TextExtractor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED_TAGS:
            self.skipping += 1
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in SKIPPED_TAGS:
            self.skipping -= 1
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def normalise(text):
    return re.sub(r"\s+", " ", text).strip()


def page_text(content):
    """The visible text of an HTML page, white space collapsed."""
    parser = _TextExtractor()
    parser.feed(content.decode() if isinstance(content, bytes) else content)
    return normalise("".join(parser.parts))


def _strip_line(line):
    line = re.sub(r"^#+\s*", "", line.strip())
    for _ in range(2):  # "- 2. As Stage 1 ..." has a bullet and a list number
        line = re.sub(r"^(?:[-•*]|\d+\.(?=\s))\s+", "", line)
    line = line.replace("**", "")
    line = re.sub(r"(?<!\w)\*(\S(?:.*?\S)?)\*(?!\w)", r"\1", line)
    return normalise(line)


def source_fragments(filename):
    """The fragments of a source document that must appear on its page."""
    for raw in (SOURCES / filename).read_text().splitlines():
        if raw.strip().startswith("|"):
            if re.fullmatch(r"[\s|:-]*", raw):
                continue  # a markdown table's separator row
            for cell in raw.strip().strip("|").split("|"):
                cell = re.sub(r"<[^>]+>", "\n", cell)
                for piece in re.split(r"[•\n]", html.unescape(cell)):
                    piece = _strip_line(piece)
                    if piece:
                        yield piece
        else:
            line = _strip_line(raw)
            if line:
                yield line


def missing_fragments(filename, content, skip_lines=(), remove=()):
    """Source fragments not found on the page.

    `skip_lines` are whole (stripped) source lines that are conversion
    artefacts; `remove` are artefact substrings, such as page footers, cut
    from a line before it is looked for.
    """
    text = page_text(content)
    missing = []
    for fragment in source_fragments(filename):
        if fragment in skip_lines:
            continue
        for artefact in remove:
            fragment = normalise(fragment.replace(artefact, " "))
        if fragment and fragment not in text:
            missing.append(fragment)
    return missing
