"""Evidence file types, told from content: every sample is a real file of its kind, built here."""

import contextlib
import dataclasses
import io
import struct
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile

from disputes.filetypes import (
    DAMAGED,
    DOC,
    DOCX,
    EMPTY,
    HEAD_BYTES,
    JPEG,
    MAX_BYTES,
    ODP,
    ODS,
    ODT,
    PDF,
    PLAIN_TEXT,
    PNG,
    TOO_LARGE,
    RefusedFile,
    check_upload,
    detect,
)

NOT_ACCEPTED = "The file is not a PDF, Word, OpenDocument, plain text, PNG or JPEG file"
PROGRAM = f"{NOT_ACCEPTED}: it looks like a program (an executable file)."
ZIP_ARCHIVE = f"{NOT_ACCEPTED}: it looks like a ZIP archive, not a document we accept."
HTML_PAGE = f"{NOT_ACCEPTED}: it looks like an HTML page."


def pdf() -> bytes:
    """A one-page PDF with a correct cross-reference table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def png() -> bytes:
    """A 1x1 greyscale PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b"")
    )


def jpeg() -> bytes:
    """Start of image and a JFIF APP0 segment: how every JPEG from a camera or scanner begins."""
    return b"\xff\xd8" + b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\xff\xd9"


def zip_of(*entries: tuple[str, str], stored_first: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (name, content) in enumerate(entries):
            method = zipfile.ZIP_STORED if stored_first and index == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(name, content, compress_type=method)
    return buffer.getvalue()


def docx() -> bytes:
    return zip_of(
        (
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.document.main+xml"/></Types>',
        ),
        ("_rels/.rels", '<?xml version="1.0"?><Relationships/>'),
        (
            "word/document.xml",
            '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>The meeting did not happen.</w:t></w:r></w:p></w:body></w:document>",
        ),
    )


def xlsx() -> bytes:
    return zip_of(
        ("[Content_Types].xml", '<?xml version="1.0"?><Types/>'),
        ("xl/workbook.xml", '<?xml version="1.0"?><workbook/>'),
        ("xl/worksheets/sheet1.xml", '<?xml version="1.0"?><worksheet/>'),
    )


def opendocument(mimetype: str) -> bytes:
    """An OpenDocument package as the standard lays it out: "mimetype" first and stored, then the rest."""
    return zip_of(
        ("mimetype", mimetype),
        ("content.xml", '<?xml version="1.0"?><office:document-content/>'),
        ("META-INF/manifest.xml", '<?xml version="1.0"?><manifest:manifest/>'),
        stored_first=True,
    )


def with_entries_before_the_start(content: bytes) -> bytes:
    """A zip whose end record puts its directory further on than it is, so the entries seem to start before byte 0."""
    end = content.rindex(b"PK\x05\x06")
    (directory,) = struct.unpack_from("<I", content, end + 16)
    return content[: end + 16] + struct.pack("<I", directory + 0x1000) + content[end + 20 :]


def windows_executable() -> bytes:
    """The first bytes of a Windows program: DOS header, DOS stub, then the PE header it points to."""
    dos_header = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(44) + struct.pack("<I", 0x80)
    stub = b"\x0e\x1f\xba\x0e\x00\xb4\x09\xcd\x21\xb8\x01\x4c\xcd\x21This program cannot be run in DOS mode.\r\r\n$"
    return (dos_header + stub).ljust(0x80, b"\x00") + b"PE\x00\x00\x64\x86" + bytes(18)


def elf() -> bytes:
    return b"\x7fELF\x02\x01\x01\x00" + bytes(8) + b"\x02\x00\x3e\x00\x01\x00\x00\x00" + bytes(40)


def mach_o() -> bytes:
    return b"\xcf\xfa\xed\xfe\x07\x00\x00\x01\x03\x00\x00\x00\x02\x00\x00\x00" + bytes(16)


def upload(content: bytes, name: str = "evidence", content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def on_disk(settings, tmp_path):
    """Makes uploads the way Django keeps large ones: in a temporary file on disk."""
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    uploads = []

    def make(content: bytes) -> TemporaryUploadedFile:
        uploaded = TemporaryUploadedFile("evidence", "application/octet-stream", len(content), None)
        uploaded.write(content)
        uploads.append(uploaded)
        return uploaded

    yield make
    for uploaded in uploads:
        uploaded.close()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (pdf(), PDF),
        (png(), PNG),
        (jpeg(), JPEG),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), DOC),
        (docx(), DOCX),
        (opendocument("application/vnd.oasis.opendocument.text"), ODT),
        (opendocument("application/vnd.oasis.opendocument.spreadsheet"), ODS),
        (opendocument("application/vnd.oasis.opendocument.presentation"), ODP),
    ],
    ids=["pdf", "png", "jpeg", "doc", "docx", "odt", "ods", "odp"],
)
def test_accepted_documents_and_images(content, expected):
    assert detect(content[:HEAD_BYTES], io.BytesIO(content)) == expected
    assert check_upload(upload(content)) == expected


def test_file_types_name_mime_label_and_download_extension():
    assert (PDF.mime, PDF.label, PDF.extension) == ("application/pdf", "PDF", ".pdf")
    assert (DOC.mime, DOC.label, DOC.extension) == ("application/msword", "Word document (.doc)", ".doc")
    assert DOCX.mime == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert (DOCX.label, DOCX.extension) == ("Word document", ".docx")
    assert (ODT.label, ODT.extension) == ("OpenDocument text", ".odt")
    assert (PLAIN_TEXT.mime, PLAIN_TEXT.label, PLAIN_TEXT.extension) == ("text/plain", "Plain text", ".txt")
    assert (PNG.label, JPEG.label, JPEG.extension) == ("PNG image", "JPEG image", ".jpg")
    with pytest.raises(dataclasses.FrozenInstanceError):
        PDF.extension = ".exe"


def test_a_small_zip_is_read_from_the_head_alone_when_no_file_is_given():
    assert detect(docx()) == DOCX
    assert detect(opendocument("application/vnd.oasis.opendocument.text")) == ODT


def test_opendocument_with_a_deflated_mimetype_entry_is_still_recognised():
    content = zip_of(("mimetype", "application/vnd.oasis.opendocument.text"), ("content.xml", "<x/>"))
    assert detect(content) == ODT


@pytest.mark.parametrize(
    "content",
    [
        zip_of(("photos/1.jpg", "not really"), ("notes.txt", "hello")),
        xlsx(),
        zip_of(("[Content_Types].xml", "<Types/>"), ("ppt/presentation.xml", "<p:presentation/>")),
        # Right mimetype, but not first: not laid out as an OpenDocument file.
        zip_of(("content.xml", "<x/>"), ("mimetype", "application/vnd.oasis.opendocument.text")),
        opendocument("application/vnd.oasis.opendocument.graphics"),
        opendocument("application/vnd.oasis.opendocument.text-template"),
        opendocument("application/vnd.oasis.opendocument.text" + "x" * 200),
        zip_of(),
    ],
    ids=["plain-zip", "xlsx", "pptx", "mimetype-not-first", "odg", "ott", "mimetype-and-more", "empty-zip"],
)
def test_other_zip_archives_are_refused(content):
    with pytest.raises(RefusedFile) as refusal:
        detect(content, io.BytesIO(content))
    assert str(refusal.value) == ZIP_ARCHIVE


@pytest.mark.parametrize(
    "content",
    [
        b"PK\x03\x04" + bytes(100),
        docx()[: len(docx()) // 2],
        with_entries_before_the_start(opendocument("application/vnd.oasis.opendocument.text")),
    ],
    ids=["garbage", "truncated", "bad-offsets"],
)
def test_damaged_zip_archives_are_refused(content):
    with pytest.raises(RefusedFile) as refusal:
        detect(content[:HEAD_BYTES], io.BytesIO(content))
    assert str(refusal.value) == DAMAGED


def test_a_damaged_zip_is_only_ever_refused_or_recognised():
    for good in (docx(), opendocument("application/vnd.oasis.opendocument.text")):
        for position in range(4, len(good)):
            flipped = good[:position] + bytes([good[position] ^ 0xFF]) + good[position + 1 :]
            for damaged in (good[:position], flipped):
                # Anything else escaping (zlib.error, NotImplementedError, ...) fails the test.
                with contextlib.suppress(RefusedFile):
                    detect(damaged, io.BytesIO(damaged))


def test_zips_uploaded_to_disk_are_read_from_the_file(on_disk):
    uploaded = on_disk(docx())
    assert check_upload(uploaded) == DOCX
    assert uploaded.tell() == 0
    # On disk, seeking before the start is an OSError rather than the ValueError it is in memory.
    damaged = on_disk(with_entries_before_the_start(opendocument("application/vnd.oasis.opendocument.text")))
    with pytest.raises(RefusedFile) as refusal:
        check_upload(damaged)
    assert str(refusal.value) == DAMAGED


@pytest.mark.parametrize(
    "content",
    [
        "Café meeting on 3 March — the notes say “agreed”.\n".encode(),
        "\ufeffCafé meeting on 3 March — the notes say “agreed”.\r\n".encode(),
        "Réunion du comité, à l'hôtel de ville.\n".encode("latin-1"),
        "The notes say “agreed” – 5 €.\n".encode("cp1252"),
        b"Plain ASCII, tabs\tand form feeds\f too.\n",
        # Only a program if it is not text: a text that starts with the letters MZ is still text.
        b"MZ Patel wrote to the council on 4 May.\n",
        b"BM: notes from the board meeting.\n",
        b"<Name> and <Address> were left blank on the form.\n",
    ],
    ids=["utf-8", "utf-8-bom", "latin-1", "windows-1252", "ascii", "starts-mz", "starts-bm", "angle-brackets"],
)
def test_plain_text(content):
    assert detect(content) == PLAIN_TEXT
    assert check_upload(upload(content, name="notes.txt", content_type="text/plain")) == PLAIN_TEXT


def test_a_character_cut_by_the_end_of_the_head_is_still_text():
    # "Ł" is C5 81 in UTF-8, and 81 is no character in Windows-1252: the head can only pass as UTF-8.
    start = "Łódź\n".encode()
    content = start + b"a" * (HEAD_BYTES - 1 - len(start)) + "é and more".encode()
    head = content[:HEAD_BYTES]
    assert head.endswith(b"\xc3")
    assert detect(head) == PLAIN_TEXT
    assert check_upload(upload(content)) == PLAIN_TEXT


def test_text_is_checked_past_the_head_when_the_file_is_given():
    text = b"A long statement.\n" * (HEAD_BYTES // 10)
    assert check_upload(upload(text + "Zoë\n".encode("latin-1"))) == PLAIN_TEXT
    binary_tail = text + b"\x00\x01\x02\x03"
    assert detect(binary_tail[:HEAD_BYTES]) == PLAIN_TEXT
    with pytest.raises(RefusedFile) as refusal:
        check_upload(upload(binary_tail))
    assert str(refusal.value) == f"{NOT_ACCEPTED}."
    binary_head = b"\x00\x01" + text
    with pytest.raises(RefusedFile) as refusal:
        check_upload(upload(binary_head))
    assert str(refusal.value) == f"{NOT_ACCEPTED}."


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"<!DOCTYPE html>\n<html><body>Hello</body></html>", HTML_PAGE),
        (b"\n  <HTML>\n<script>alert(1)</script>", HTML_PAGE),
        (b"<script>fetch('/admin')</script>", HTML_PAGE),
        (b"<!-- saved from the web -->\n<p>Hi</p>", HTML_PAGE),
        ("\ufeff<html><body>Café</body></html>".encode(), HTML_PAGE),
        ("<html><body>Café</body></html>".encode("latin-1"), HTML_PAGE),
        (b'<?xml version="1.0"?>\n<!DOCTYPE html>\n<html xmlns="http://www.w3.org/1999/xhtml"/>', HTML_PAGE),
        (
            b'<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script>'
            b"</svg>",
            f"{NOT_ACCEPTED}: it looks like an SVG image.",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>',
            f"{NOT_ACCEPTED}: it looks like an SVG image.",
        ),
        (b'<?xml version="1.0"?>\n<complaint/>', f"{NOT_ACCEPTED}: it looks like an XML document."),
        (b"#!/bin/sh\nrm -rf ~\n", f"{NOT_ACCEPTED}: it looks like a script (a program)."),
        (b"{\\rtf1\\ansi Hello}", f"{NOT_ACCEPTED}: it looks like an RTF document."),
    ],
    ids=[
        "doctype",
        "html-tag",
        "script",
        "comment",
        "utf-8-bom",
        "latin-1",
        "xhtml",
        "svg",
        "svg-bare",
        "xml",
        "shebang",
        "rtf",
    ],
)
def test_markup_and_scripts_are_refused_though_they_are_text(content, expected):
    with pytest.raises(RefusedFile) as refusal:
        detect(content)
    assert str(refusal.value) == expected


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (windows_executable(), PROGRAM),
        (elf(), PROGRAM),
        (mach_o(), PROGRAM),
        (b"GIF89a\x01\x00\x01\x00\x80\x00\x00", f"{NOT_ACCEPTED}: it looks like a GIF image."),
        (
            b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic",
            f"{NOT_ACCEPTED}: it looks like a HEIC photo (the format iPhones use).",
        ),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", f"{NOT_ACCEPTED}: it looks like a WebP image."),
        (b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00", f"{NOT_ACCEPTED}: it looks like a video or audio file."),
        (
            b"\x1f\x8b\x08\x00\x00\x00\x00\x00",
            f"{NOT_ACCEPTED}: it looks like a compressed archive, not a document we accept.",
        ),
        (bytes(range(256)), f"{NOT_ACCEPTED}."),
        ("A letter saved as UTF-16.".encode("utf-16"), f"{NOT_ACCEPTED}."),
        # Neither UTF-8 nor Windows-1252, in which 81 and 8D stand for nothing.
        (b"Not text after all \x81\x8d", f"{NOT_ACCEPTED}."),
    ],
    ids=["windows", "elf", "mach-o", "gif", "heic", "webp", "mp4", "gzip", "unknown", "utf-16", "undefined-1252"],
)
def test_other_binary_files_are_refused_saying_what_they_look_like(content, expected):
    with pytest.raises(RefusedFile) as refusal:
        detect(content)
    assert str(refusal.value) == expected


def test_content_decides_not_the_name_or_declared_type():
    assert check_upload(upload(pdf(), name="photo.png", content_type="image/png")) == PDF
    with pytest.raises(RefusedFile) as refusal:
        check_upload(upload(windows_executable(), name="report.pdf", content_type="application/pdf"))
    assert str(refusal.value) == PROGRAM
    with pytest.raises(RefusedFile):
        check_upload(upload(b"<html><script>alert(1)</script></html>", name="notes.txt", content_type="text/plain"))


def test_empty_files_are_refused():
    assert EMPTY == "The file is empty."
    with pytest.raises(RefusedFile) as refusal:
        check_upload(upload(b""))
    assert str(refusal.value) == EMPTY
    with pytest.raises(RefusedFile) as refusal:
        detect(b"")
    assert str(refusal.value) == EMPTY


def test_size_limit_is_10_mb_inclusive():
    assert MAX_BYTES == 10 * 1024 * 1024
    assert TOO_LARGE == "The file is larger than 10 MB."
    at_limit = upload(pdf().ljust(MAX_BYTES, b"\n"))
    assert at_limit.size == MAX_BYTES
    assert check_upload(at_limit) == PDF
    over_limit = upload(pdf().ljust(MAX_BYTES + 1, b"\n"))
    with pytest.raises(RefusedFile) as refusal:
        check_upload(over_limit)
    assert str(refusal.value) == TOO_LARGE


@pytest.mark.parametrize(
    "content", [pdf(), docx(), b"Notes.\n" * 5000, windows_executable()], ids=["pdf", "docx", "text", "refused"]
)
def test_check_upload_leaves_the_file_at_the_start(content):
    uploaded = upload(content)
    uploaded.read(3)  # wherever the caller left it
    with contextlib.suppress(RefusedFile):
        check_upload(uploaded)
    assert uploaded.tell() == 0
    assert uploaded.read() == content


def test_a_refusal_is_a_value_error_whose_message_is_the_reason():
    refusal = RefusedFile(EMPTY)
    assert isinstance(refusal, ValueError)
    assert str(refusal) == "The file is empty."
