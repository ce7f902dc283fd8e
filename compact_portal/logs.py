"""Request ids in the logs, and logs as JSON lines.

Every request gets an id: the X-Request-ID its proxy sent, if that is a sane value, or else a new one. It is said
back in the response's X-Request-ID and is on every log record made while the request is handled, so one request's
lines can be found among many servers' (and matched with the proxy's own log). With LOG_FORMAT=json the console
writes one JSON object a line, for a log collector; otherwise plain lines (see LOGGING in settings).
"""

import contextvars
import datetime
import json
import logging
import re
import uuid

HEADER = "X-Request-ID"
OUTSIDE_A_REQUEST = "-"
SANE = re.compile(r"[A-Za-z0-9._-]{1,200}")

_request_id = contextvars.ContextVar("request_id", default=OUTSIDE_A_REQUEST)


def current_request_id():
    """The id of the request being handled, or "-" outside one."""
    return _request_id.get()


class RequestIdMiddleware:
    """Give each request its id (a sane X-Request-ID as sent, or a new uuid4), as `request.request_id`, on the
    request's log records, and in the response's X-Request-ID. First in MIDDLEWARE, so it covers every other."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(HEADER, "")
        request.request_id = given if SANE.fullmatch(given) else uuid.uuid4().hex
        token = _request_id.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response[HEADER] = request.request_id
        return response


class RequestIdFilter(logging.Filter):
    """Put the current request's id on each record as `request_id` ("-" outside a request), for the formatters."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        return True


# What every LogRecord has, and what Formatter.format adds: none of these is an `extra` field.
STANDARD_ATTRIBUTES = frozenset(vars(logging.LogRecord("", logging.INFO, "", 0, "", None, None))) | {
    "message",
    "asctime",
}


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC, to the millisecond), level, logger, message and request_id, the
    exception's traceback where there is one, and any `extra` fields that JSON can carry."""

    def format(self, record):
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or current_request_id(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        for key, value in vars(record).items():
            if key in STANDARD_ATTRIBUTES or key in entry or key.startswith("_"):
                continue
            try:
                json.dumps(value)
            except (TypeError, ValueError):
                continue  # a request, a model instance: not for a log line
            entry[key] = value
        return json.dumps(entry)
