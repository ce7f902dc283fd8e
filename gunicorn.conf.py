"""gunicorn's own settings, read from this folder when it starts (`gunicorn compact_portal.wsgi`): its log lines
in the portal's format, so that with LOG_FORMAT=json every line a server writes, gunicorn's and Django's, is one
JSON object (compact_portal.logs.JsonFormatter)."""

import os

if os.environ.get("LOG_FORMAT", "").strip().lower() == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "compact_portal.logs.JsonFormatter"}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
        "loggers": {
            "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
            "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
        },
    }
