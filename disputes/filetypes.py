"""Which evidence files may be attached to a complaint, told from their content alone.

A file's name and the content type the browser declares are both chosen by the uploader, so neither is looked at:
the type comes from the bytes, and the file is always saved and downloaded with the canonical extension of the
type found here. Only the standard library is used.
"""

import codecs
import io
import re
import zipfile
import zlib
from dataclasses import dataclass

MAX_BYTES = 10 * 1024 * 1024
HEAD_BYTES = 8 * 1024  # how much of the start of a file detect() needs to see


@dataclass(frozen=True)
class FileType:
    """A kind of file we accept, with the media type and extension it is served and saved with."""

    mime: str
    label: str
    extension: str


class RefusedFile(ValueError):
    """Why a file cannot be attached, in words for the person uploading it."""


PDF = FileType("application/pdf", "PDF", ".pdf")
DOC = FileType("application/msword", "Word document (.doc)", ".doc")
DOCX = FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word document", ".docx")
ODT = FileType("application/vnd.oasis.opendocument.text", "OpenDocument text", ".odt")
ODS = FileType("application/vnd.oasis.opendocument.spreadsheet", "OpenDocument spreadsheet", ".ods")
ODP = FileType("application/vnd.oasis.opendocument.presentation", "OpenDocument presentation", ".odp")
PLAIN_TEXT = FileType("text/plain", "Plain text", ".txt")
PNG = FileType("image/png", "PNG image", ".png")
JPEG = FileType("image/jpeg", "JPEG image", ".jpg")

ACCEPTED = {file_type.mime: file_type for file_type in (PDF, DOC, DOCX, ODT, ODS, ODP, PLAIN_TEXT, PNG, JPEG)}

NOT_ACCEPTED = "The file is not a PDF, Word, OpenDocument, plain text, PNG or JPEG file"
EMPTY = "The file is empty."
TOO_LARGE = f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB."
DAMAGED = "The file is damaged and cannot be opened: it starts like a Word or OpenDocument file (a ZIP archive)."

_PROGRAM = "a program (an executable file)"
_ZIP_ARCHIVE = "a ZIP archive, not a document we accept"

_SIGNATURES = (
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    # Any OLE2 compound file is taken for a Word .doc: telling Word from Excel, PowerPoint or Outlook files in the
    # same container means reading its directory, and whatever it really is, it is only ever downloaded as .doc.
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", DOC),
)
# The first entry's local header, or the end record that is all an empty archive holds.
_ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
_OPENDOCUMENT = {file_type.mime: file_type for file_type in (ODT, ODS, ODP)}
# Longer than any OpenDocument media type; stops a made-up "mimetype" entry from being inflated in full.
_MIMETYPE_MAX = 100
# What a damaged archive makes zipfile raise while its directory is read or its mimetype entry inflated: bad structure,
# data ending early, names that are not UTF-8 (a ValueError), offsets before the start of the file (ValueError in
# memory, OSError on disk), bad compressed data, unknown compression methods or versions, encryption.
_ZIP_ERRORS = (zipfile.BadZipFile, EOFError, ValueError, OSError, zlib.error, NotImplementedError, RuntimeError)

# Formats people often have at hand, named so that a refusal can say what the file looks like. Only consulted for
# files that are not text, so a text file that happens to start with "MZ" or "BM" is still text.
_BINARY_SIGNATURES = (
    (b"MZ", _PROGRAM),  # Windows and DOS
    (b"\x7fELF", _PROGRAM),  # Linux
    (b"\xfe\xed\xfa\xce", _PROGRAM),  # Mach-O (macOS), 32 and 64 bit, either byte order
    (b"\xfe\xed\xfa\xcf", _PROGRAM),
    (b"\xce\xfa\xed\xfe", _PROGRAM),
    (b"\xcf\xfa\xed\xfe", _PROGRAM),
    (b"\xca\xfe\xba\xbe", _PROGRAM),  # Mach-O universal binary, and Java class file
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"BM", "a BMP image"),
    (b"\x1f\x8b", "a compressed archive, not a document we accept"),  # gzip
    (b"7z\xbc\xaf\x27\x1c", "a compressed archive, not a document we accept"),
    (b"Rar!\x1a\x07", "a compressed archive, not a document we accept"),
)
_HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}

# Control bytes that text does not contain: all below space except BEL, BS, TAB, LF, VT, FF, CR and ESC, and DEL,
# the same line the `file` command draws. They never occur inside a UTF-8 multi-byte sequence either.
_CONTROL = re.compile(rb"[\x00-\x06\x0e-\x1a\x1c-\x1f\x7f]")
# UTF-8, with or without a byte order mark; failing that Windows-1252, which is Latin-1 plus the curly quotes, dashes
# and euro sign that Windows puts in the bytes Latin-1 leaves to control codes.
_TEXT_ENCODINGS = ("utf-8-sig", "cp1252")
_CHUNK_BYTES = 64 * 1024
# The starts that make browsers treat a file as a web page (the WHATWG MIME Sniffing Standard's HTML patterns).
_HTML = re.compile(rb"<(?:!doctype html|html|head|script|iframe|h1|div|font|table|a|style|title|b|body|br|p|!--)[\s>]")


def detect(head: bytes, file=None) -> FileType:
    """Return the type of a file from its first HEAD_BYTES bytes (and the file, when given), or raise RefusedFile."""
    if not head:
        raise RefusedFile(EMPTY)
    for signature, file_type in _SIGNATURES:
        if head.startswith(signature):
            return file_type
    if head.startswith(_ZIP_SIGNATURES):
        # Without the file only a zip that fits in the head can be read; a longer one is refused as damaged.
        return _detect_zip(io.BytesIO(head) if file is None else file)
    if not _is_text(head, file):
        raise RefusedFile(_refusal(_describe_binary(head)))
    what = _describe_text(head)
    if what:
        raise RefusedFile(_refusal(what))
    return PLAIN_TEXT


def check_upload(uploaded_file) -> FileType:
    """Return the type of an uploaded file, or raise RefusedFile if it is empty, too large or of a refused type."""
    # Django measures .size from the bytes it received, not from anything the browser claims.
    if uploaded_file.size == 0:
        raise RefusedFile(EMPTY)
    if uploaded_file.size > MAX_BYTES:
        raise RefusedFile(TOO_LARGE)
    uploaded_file.seek(0)
    try:
        return detect(uploaded_file.read(HEAD_BYTES), uploaded_file)
    finally:
        uploaded_file.seek(0)


def download_name(original_name: str, mime: str) -> str:
    """The name a stored file is downloaded under: the uploaded name, less its own extension, plus the extension of
    the type its content was found to be (so "invoice.exe" that is a PDF downloads as "invoice.pdf")."""
    name = re.sub(r"[\x00-\x1f\x7f]", "", original_name.replace("\\", "/").rsplit("/", 1)[-1]).strip(" .")
    stem = name.rsplit(".", 1)[0].strip(" .") if "." in name else name
    return f"{stem or 'evidence'}{ACCEPTED[mime].extension}"


def _refusal(what: str | None) -> str:
    return f"{NOT_ACCEPTED}: it looks like {what}." if what else f"{NOT_ACCEPTED}."


def _detect_zip(file) -> FileType:
    try:
        with zipfile.ZipFile(file) as archive:
            entries = archive.infolist()
            # OpenDocument names its type in an entry called "mimetype", which the standard puts first.
            if entries and entries[0].filename == "mimetype":
                with archive.open(entries[0]) as entry:
                    mimetype = entry.read(_MIMETYPE_MAX).decode("ascii", "replace")
                if mimetype in _OPENDOCUMENT:
                    return _OPENDOCUMENT[mimetype]
            names = {entry.filename for entry in entries}
    except _ZIP_ERRORS:
        raise RefusedFile(DAMAGED) from None
    # Excel and PowerPoint files have [Content_Types].xml too; only a word/document.xml makes it a Word document.
    if {"[Content_Types].xml", "word/document.xml"} <= names:
        return DOCX
    raise RefusedFile(_refusal(_ZIP_ARCHIVE))


def _is_text(head: bytes, file) -> bool:
    """Whether the whole file (or just the head, without a file) is text in one of the encodings we read."""
    for encoding in _TEXT_ENCODINGS:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            for chunk in _chunks(head, file):
                if _CONTROL.search(chunk):
                    return False
                decoder.decode(chunk)
            # Without the file, the head may end part way through a character.
            decoder.decode(b"", final=file is not None)
        except UnicodeDecodeError:
            continue
        return True
    return False


def _chunks(head: bytes, file):
    if file is None:
        yield head
        return
    file.seek(0)
    while chunk := file.read(_CHUNK_BYTES):
        yield chunk


def _describe_text(head: bytes) -> str | None:
    """What a text file looks like when we refuse it: markup a browser could run scripts in, a script, or RTF."""
    text = head.removeprefix(codecs.BOM_UTF8)
    if text.startswith(b"#!"):
        return "a script (a program)"
    start = text.lstrip(b" \t\n\r\f").lower()
    if _HTML.match(start):
        return "an HTML page"
    if start.startswith((b"<?xml", b"<!doctype", b"<svg")):
        if b"<svg" in start:
            return "an SVG image"
        # XHTML starts like any other XML document.
        return "an HTML page" if b"<html" in start else "an XML document"
    if start.startswith(b"{\\rtf"):
        return "an RTF document"
    return None


def _describe_binary(head: bytes) -> str | None:
    for signature, what in _BINARY_SIGNATURES:
        if head.startswith(signature):
            return what
    if head[4:8] == b"ftyp":
        return "a HEIC photo (the format iPhones use)" if head[8:12] in _HEIC_BRANDS else "a video or audio file"
    if head.startswith(b"RIFF"):
        return "a WebP image" if head[8:12] == b"WEBP" else "a video or audio file"
    return None
