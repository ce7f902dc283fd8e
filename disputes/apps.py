from django.apps import AppConfig


class DisputesConfig(AppConfig):
    name = "disputes"

    def ready(self):
        from compacts import cache

        # A Compact's procedure is shown on its public page.
        cache.follow(self, ["Procedure", "Stage"])
