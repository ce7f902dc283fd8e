from django.apps import AppConfig


class CompactsConfig(AppConfig):
    name = "compacts"

    def ready(self):
        from . import background, cache, outbox

        # Without a broker, each web process's background thread sweeps the outbox as beat would.
        background.every("outbox", outbox.SWEEP_AFTER.total_seconds(), outbox.sweep)

        cache.follow(
            self,
            [
                "Organisation",
                "Compact",
                "CompactEvent",
                "Section",
                "Principle",
                "Signatory",
                "Contact",
                "GlossaryTerm",
                "CodeOfPractice",
                "CaseStudy",
                "Membership",  # Champions named in the portal are on the Compact page
                "WorkPlanAction",
                "ChangeRecord",  # written last by every change in the manage area, links included
            ],
        )
