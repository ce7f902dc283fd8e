from django.apps import AppConfig


class CompactsConfig(AppConfig):
    name = "compacts"
