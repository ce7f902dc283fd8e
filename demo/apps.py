from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Made-up data for trying the portal (seed_demo) and for measuring it at the scale of every Compact in England
    (seed_scale). Nothing else imports it."""

    name = "demo"
