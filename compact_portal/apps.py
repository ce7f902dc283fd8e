from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The project package as an app: pages and commands that need Compacts, commitments and complaints together
    (the apps below it import one way only: disputes, then commitments, then compacts)."""

    name = "compact_portal"
    label = "portal"
