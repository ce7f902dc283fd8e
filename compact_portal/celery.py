"""The portal's Celery app. Its settings are Django's, named CELERY_* (the task-queue block of
compact_portal/settings.py); its tasks are each app's tasks.py. `make worker` starts a worker, `make beat` the
schedule; both need CELERY_BROKER_URL. Without it there is no worker: the same tasks run in the web process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "compact_portal.settings")

app = Celery("compact_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
