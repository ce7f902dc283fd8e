from django.apps import AppConfig


class CommitmentsConfig(AppConfig):
    name = "commitments"

    def ready(self):
        from django.utils import timezone

        from compacts import background, cache

        from . import services

        # Without a broker, each web process's background thread sweeps the imports as beat would.
        background.every(
            "imports", services.IMPORT_SWEEP_AFTER.total_seconds() / 6, lambda: services.imports_sweep(timezone.now())
        )
        cache.follow(self, ["Theme", "Commitment", "Figure", "RelatedTerms", "Record"])
