from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """The Compact as a published document: the home and Compact pages, versions, reviews and publishing, and
    importing and exporting a Compact's text. It reads Compacts, commitments and procedures together, so it sits above
    them all."""

    name = "documents"
