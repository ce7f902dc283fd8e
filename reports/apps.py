from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """The annual report of each Compact and the summary of every Compact's figures, read from complaints, records,
    sign-ups and the work plan."""

    name = "reports"
