from django.apps import AppConfig


class CommitmentsConfig(AppConfig):
    name = "commitments"

    def ready(self):
        from compacts import cache

        cache.follow(self, ["Theme", "Commitment", "Figure", "RelatedTerms", "Record"])
