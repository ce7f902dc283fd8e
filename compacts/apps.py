from django.apps import AppConfig


class CompactsConfig(AppConfig):
    name = "compacts"

    def ready(self):
        from . import background, content, outbox

        # Without a broker, each web process's background thread sweeps the outbox as beat would.
        background.every("outbox", outbox.SWEEP_AFTER.total_seconds(), outbox.sweep)

        # The kinds of a Compact's content and the other models public pages show (the page cache follows them).
        content.register(*content.KINDS)
        content.show(*content.SHOWN)
