from django.apps import AppConfig


class CommitmentsConfig(AppConfig):
    name = "commitments"

    def ready(self):
        from django.utils import timezone

        from compacts import background
        from compacts import content as registry

        from . import content, services

        # Without a broker, each web process's background thread sweeps the imports as beat would.
        background.every(
            "imports", services.IMPORT_SWEEP_AFTER.total_seconds() / 6, lambda: services.imports_sweep(timezone.now())
        )
        # This app's kinds of a Compact's content, and the other models its public pages show.
        registry.register(*content.KINDS)
        registry.show(*content.SHOWN)
