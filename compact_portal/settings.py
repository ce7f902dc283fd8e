"""Settings for Compact Portal, read from the environment (see .env.example).

With nothing set the portal runs in development mode on an embedded SQLite
database. Production differs only by environment: DEBUG off, SECRET_KEY,
ALLOWED_HOSTS and DATABASE_URL set. There is no second settings file.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)

SECRET_KEY = env("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
if DEBUG:
    SECRET_KEY = SECRET_KEY or "development-only-not-secret"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]"]
elif not SECRET_KEY or not ALLOWED_HOSTS:
    # In production there are no defaults: a missing one stops start-up.
    raise ImproperlyConfigured("With DEBUG off, set SECRET_KEY and ALLOWED_HOSTS.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "axes",
    "crispy_forms",
    "crispy_forms_gds",
    "compacts",
    "commitments",
    "disputes",
    "documents",
    "reports",
    "demo",
]

MIDDLEWARE = [
    "compact_portal.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the session, CSRF and messages middleware, so it sees the cookies they set.
    "compacts.cache.cache_headers",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CSRF, which reads the form first: no view or form sees a character a page cannot show.
    "compact_portal.middleware.showable_input",
    "compact_portal.middleware.admin_selection",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "compact_portal.urls"
# Widgets render with the project's templates, so templates/ can mend a widget's markup.
FORM_RENDERER = "compacts.forms.FormRenderer"
WSGI_APPLICATION = "compact_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "compact_portal.context_processors.navigation",
            ],
            "builtins": ["compacts.templatetags.portal"],
        },
    }
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's default page cost (4.0) assumes spinning disks: on SSDs, or with the data in memory, it makes
    # the planner read every commitment rather than use the search index. 1.1 is the usual figure for SSDs.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c random_page_cost={env.float('PG_RANDOM_PAGE_COST', default=1.1)}"
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default under concurrent requests: a transaction takes the write lock when it begins
    # (IMMEDIATE), so two cannot both read and then fail to write ("database is locked"); a request that finds the
    # lock taken waits for it (timeout, seconds) rather than failing; and in WAL mode, readers never wait for the
    # writer. synchronous=NORMAL is WAL's usual pairing: durable across a crash of the process.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        transaction_mode="IMMEDIATE",
        timeout=env.int("SQLITE_TIMEOUT", default=20),
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
# Whole-page caching of public pages for visitors (compacts/cache.py).
PAGE_CACHE = env.bool("PAGE_CACHE", default=True)
# How long a browser, proxy or CDN may keep a public page served to a visitor (compacts.cache.cache_headers).
PUBLIC_PAGE_SECONDS = env.int("PUBLIC_PAGE_SECONDS", default=60)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "frontend" / "build"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "compact_portal.storage.StaticStorage"},
}

# Repeated failed sign-ins lock the account out for an hour (django-axes), but
# only from the address they came from: the lock is on the combination of
# account and address, so nobody can lock someone else out by failing to sign
# in as them from elsewhere. Behind proxies, TRUSTED_PROXY_COUNT says how many
# (each appending to X-Forwarded-For), so the client's own address is counted.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "compact_portal.proxies.client_ip"

# Argon2 first: a sign-in checks a password in about half the time PBKDF2 takes at Django's iterations, for
# stronger protection against guessing on graphics cards. Passwords kept under PBKDF2 still work, and are stored
# again under Argon2 the next time their owner signs in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

LOGIN_URL = "login"
# Where signing in leads when no page was asked for: administrators to Manage, everyone else to their complaints
# (compacts.views.SignInView).
LOGIN_REDIRECT_URL = "disputes:list"
LOGOUT_REDIRECT_URL = "documents:home"

# Evidence files attached to complaints: private, served only through a view
# that checks who is asking. Never under STATIC_ROOT or a public MEDIA_ROOT.
# They are kept in this folder unless a bucket is named below.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private_media")
# Or in a private bucket of S3-compatible object storage, named in one of two ways, not both:
#   STORAGE_URL=s3://BUCKET?endpoint_url=https://HOST:PORT&region_name=eu-west-2
#   AWS_STORAGE_BUCKET_NAME=BUCKET, AWS_S3_ENDPOINT_URL=https://HOST:PORT, AWS_S3_REGION_NAME=eu-west-2
# The endpoint and region are optional (without an endpoint, Amazon S3 itself). The keys are never in the URL:
# AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither, for whatever boto3 finds (an instance's role, say).
# EVIDENCE_BUCKET says only where the bucket is; how it is used is disputes.models.private_storage's business.


def _storage_url(url):
    """STORAGE_URL's bucket and parameters; anything else in it stops start-up, saying what."""
    from urllib.parse import parse_qsl, urlsplit

    form = "s3://BUCKET?endpoint_url=https://HOST:PORT&region_name=REGION (both parameters optional)"
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    names = [name for name, _ in query]
    others = sorted(set(names) - {"endpoint_url", "region_name"})
    problem = None
    if parts.scheme != "s3":
        problem = "it does not start s3://"
    elif "@" in parts.netloc:  # what stood before the @ may be a secret key, so it is not repeated
        problem = "it holds a user or password (the keys go in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)"
    elif parts.path.strip("/") or parts.fragment:
        problem = "it has more after the bucket's name"
    elif others:
        problem = f"it has other parameters ({', '.join(others)})"
    elif len(names) != len(set(names)):
        problem = "a parameter is given twice"
    elif not all(value for _, value in query):
        problem = "a parameter is empty (leave it out instead)"
    if problem:
        raise ImproperlyConfigured(f"STORAGE_URL must be {form}: {problem}.")
    return parts.netloc, dict(query)


def _evidence_bucket():
    """Where evidence files go when a bucket is named: its name, endpoint, region and keys, as
    storages.backends.s3.S3Storage takes them; {} for none. Anything malformed stops start-up, saying what."""
    import re

    url = env("STORAGE_URL", default="")
    bucket = env("AWS_STORAGE_BUCKET_NAME", default="")
    where = {name: env(f"AWS_S3_{name.upper()}", default="") for name in ("endpoint_url", "region_name")}
    if url and (bucket or any(where.values())):
        raise ImproperlyConfigured(
            "Name the evidence bucket in STORAGE_URL or in AWS_STORAGE_BUCKET_NAME (with AWS_S3_ENDPOINT_URL and "
            "AWS_S3_REGION_NAME), not both."
        )
    if url:
        bucket, where = _storage_url(url)
        source = "STORAGE_URL"
    elif bucket:
        source = "AWS_STORAGE_BUCKET_NAME"
    elif any(where.values()):
        raise ImproperlyConfigured("AWS_S3_ENDPOINT_URL and AWS_S3_REGION_NAME need AWS_STORAGE_BUCKET_NAME too.")
    else:
        return {}
    # Amazon's rules, which other S3-compatible stores follow: the name must work in a host name.
    if not re.fullmatch(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]", bucket):
        raise ImproperlyConfigured(
            f"{source} names the bucket {bucket!r}: a bucket's name is 3 to 63 lower-case letters, digits, dots "
            "and hyphens, starting and ending with a letter or digit."
        )
    endpoint = where.get("endpoint_url", "")
    if endpoint and not re.fullmatch(r"https?://[^/?#\s]+(/\S*)?", endpoint):
        raise ImproperlyConfigured(f"{source}: the endpoint_url must be an http:// or https:// address.")
    keys = {"access_key": env("AWS_ACCESS_KEY_ID", default=""), "secret_key": env("AWS_SECRET_ACCESS_KEY", default="")}
    if bool(keys["access_key"]) != bool(keys["secret_key"]):
        raise ImproperlyConfigured("Set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither.")
    return {
        "bucket_name": bucket,
        "endpoint_url": endpoint or None,
        "region_name": where.get("region_name") or None,
        **{name: key or None for name, key in keys.items()},
    }


EVIDENCE_BUCKET = _evidence_bucket()
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"
# crispy-forms-gds styles text, email and password inputs as GOV.UK inputs; number and web address inputs too.
CRISPY_CLASS_CONVERTERS = {"numberinput": "govuk-input", "urlinput": "govuk-input"}

EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# Seconds to wait for the mail server, so a hung one cannot hold anything up.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Compact Portal <noreply@localhost>")
# The portal's address, for links in emails.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# With CELERY_BROKER_URL set (redis://127.0.0.1:6379/2, say: not the cache's database, which may be flushed), a
# Celery worker does the slow work (`make worker`) and Celery's beat starts what runs on a schedule (`make beat`);
# unset, the same tasks run in each web process's own background thread after the transaction commits, off the
# request (compacts/background.py, which also runs the sweeps), and `manage.py send_reminders` must run daily
# instead of beat. BACKGROUND_TASKS=false runs them inside the request instead (the tests' default).
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
BACKGROUND_TASKS = env.bool("BACKGROUND_TASKS", default=True)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # A message taken by a worker that died before acknowledging it is handed out again after this many seconds.
    # Longer than an email's longest wait before a retry (an hour, compacts.outbox), which Redis holds as taken
    # meanwhile; the outbox sweep sends a lost email well before this.
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=7200),
    # A broker that is down, or hangs, costs the request that queues an email a few seconds, not minutes.
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task is acknowledged once it has run, so the task of a worker that died runs again: every task is safe to run
# twice. Each worker process takes one message at a time, so a killed worker takes no others with it.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = CELERY_TASK_SOFT_TIME_LIMIT + 60
# The rows the tasks change are the record (an email's sent_at, attempts and last_error): no result backend.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# The worker logs through LOGGING below (JSON lines with LOG_FORMAT=json), not Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE = {
    # Stage and work-plan reminders, once a day (London time), as `manage.py send_reminders` does.
    "send-reminders": {"task": "disputes.tasks.send_reminders", "schedule": crontab(hour=7, minute=0)},
    # Unsent emails whose message was lost (a broker down when the change committed, a killed worker).
    "sweep-outbox": {"task": "compacts.tasks.sweep_outbox", "schedule": crontab(minute="*/5")},
    # Record imports whose message was lost, the same way.
    "sweep-imports": {"task": "commitments.tasks.sweep_imports", "schedule": crontab(minute="*/5")},
}
# Where beat keeps when each entry last ran, so a run missed while it was stopped happens when it starts again.
CELERY_BEAT_SCHEDULE_FILENAME = env("CELERY_BEAT_SCHEDULE_FILENAME", default=str(BASE_DIR / "celerybeat-schedule"))

# Security. Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
    }
}

# Every console line carries its request's id (compact_portal.logs); LOG_FORMAT=json makes each a JSON object.
LOG_FORMAT = env("LOG_FORMAT", default="plain").strip().lower()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "compact_portal.logs.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "compact_portal.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]
