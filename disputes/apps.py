from django.apps import AppConfig


class DisputesConfig(AppConfig):
    name = "disputes"

    def ready(self):
        from compacts import content as registry

        from . import content

        registry.register(*content.KINDS)
        registry.show(*content.SHOWN)
