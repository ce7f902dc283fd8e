from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class CompactsConfig(AppConfig):
    name = "compacts"

    def ready(self):
        from . import cache

        # Any change to a Compact's content, from the admin, loaddata or code,
        # makes every cached public page stale.
        for label in CONTENT_MODELS:
            model = self.apps.get_model(label)
            post_save.connect(cache.bump_content_version, sender=model, dispatch_uid=f"cache-{label}-save")
            post_delete.connect(cache.bump_content_version, sender=model, dispatch_uid=f"cache-{label}-delete")


CONTENT_MODELS = [
    "compacts.Organisation",
    "compacts.Compact",
    "compacts.CompactEvent",
    "compacts.Section",
    "compacts.Principle",
    "compacts.Signatory",
    "compacts.Contact",
    "compacts.GlossaryTerm",
    "compacts.CodeOfPractice",
    "compacts.CaseStudy",
    "commitments.Theme",
    "commitments.Commitment",
    "commitments.Figure",
    "commitments.RelatedTerms",
    "disputes.Procedure",
    "disputes.Stage",
]
