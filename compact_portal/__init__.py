# The Celery app is made when Django starts, so that tasks are sent with its settings.
from .celery import app as celery_app

__all__ = ["celery_app"]
