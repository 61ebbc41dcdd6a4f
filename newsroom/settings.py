"""Settings for Newsroom, read from the environment (12-factor).

Every switch has a safe default for development on one machine. With
DJANGO_DEBUG off (the default) the site is in production mode and refuses to
start unless the values that must never be guessed are set. The README lists
every variable with its default.
"""

import ipaddress
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A .env file is optional; real environment variables win over it.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Production mode (DJANGO_DEBUG off) needs a "
            'long random secret key; generate one with: python -c "import secrets; '
            'print(secrets.token_urlsafe(50))". For local development set DJANGO_DEBUG=1 '
            "(make run does)."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
if not ALLOWED_HOSTS:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_ALLOWED_HOSTS is not set. Production mode (DJANGO_DEBUG off) needs the "
            "comma-separated host names the site answers to, e.g. "
            "DJANGO_ALLOWED_HOSTS=news.example.org,www.news.example.org."
        )
    ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]"]

CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Before staticfiles so runserver serves static files the way production does.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django.contrib.sites",
    "reversion",
    "django_prose_editor",
    "csp",
    "allauth",
    "allauth.account",
    # Two-factor authentication (authenticator app and recovery codes) for desk accounts.
    "allauth.mfa",
    # Each login's session key, kept with its account, so deleting an account
    # ends every session it has (readers.services.erase_reader) without
    # decoding the whole session table.
    "allauth.usersessions",
    "discussion.apps.ModerationDeskConfig",
    "django_comments",
    "django_tasks",
    "django_tasks_db",
    # Our rooms, each importing only those listed before it (newsroom/tests/test_layout.py).
    # jobs after django_tasks_db: its admin replaces the package's.
    "jobs",
    "outbox",
    "accounts",
    "photos",
    "pagecache",
    "edge",
    "screening",
    "articles",
    "desk",
    # After django-comments-xtd: its ready() undoes one of the package's signal hooks.
    "discussion",
    "commenting",
    "moderation",
    "readers",
    "distribution",
    "wire",
    "demo",
    # The project's own set-up at every migrate (newsroom/apps.py).
    "newsroom",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "newsroom.middleware.DatabaseOutageMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Ahead of sessions, CSRF and auth: a cached page for an anonymous reader
    # needs none of them (pagecache/pages.py says why that is safe).
    # The edge's tags first, so they go on cached and rendered pages alike.
    "edge.middleware.EdgeTagsMiddleware",
    "pagecache.pages.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # After auth and messages: it reads the user and leaves a message when it redirects.
    "accounts.middleware.RequireTwoFactorMiddleware",
    "csp.middleware.CSPMiddleware",
    "newsroom.middleware.PermissionsPolicyMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Django's and allauth's backends, withholding every permission from a
    # member who must turn on two-factor authentication first.
    "accounts.backends.ModelBackend",
    "accounts.backends.AllauthBackend",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Project templates come first so our overrides of third-party
        # templates (and our own 404/500 pages) win.
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "newsroom.context_processors.site",
                "articles.context_processors.navigation",
            ],
        },
    },
]

# Database: SQLite file by default, anything django-environ understands via
# DATABASE_URL (postgres://user:pass@host:5432/name for production).
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while one writer writes; IMMEDIATE takes the
    # write lock at BEGIN so concurrent writers queue on the busy timeout
    # instead of failing with "database is locked" halfway through.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": env.int("SQLITE_BUSY_TIMEOUT", default=20),
        }
    )
# Reusing a connection saves its setup on every request (SQLite's pragmas, a
# PostgreSQL login: docs/benchmarks.md); health checks replace one that died,
# e.g. across a database restart.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: CACHE_URL (any django-environ cache URL) or REDIS_URL (django-redis).
# Without either, production uses a table in the database, because the rate
# limits (ours and allauth's, login and two-factor lockouts included) must
# count in one place for every gunicorn worker and machine: in local memory
# each worker would count on its own, letting through several times the limit.
# Development keeps local memory (one runserver process).
REDIS_URL = env.str("REDIS_URL", default="")
if env.str("CACHE_URL", default=""):
    CACHES = {"default": env.cache("CACHE_URL")}
elif REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                # Redis down: cache reads miss and writes are skipped, so pages
                # are rendered from the database instead of failing; short
                # timeouts keep a dead or stalled Redis from holding requests.
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": env.float("REDIS_TIMEOUT", default=0.5),
                "SOCKET_TIMEOUT": env.float("REDIS_TIMEOUT", default=0.5),
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
elif DEBUG:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.CountingDatabaseCache",
            # Created by every migrate (newsroom/apps.py) and by the test database.
            "LOCATION": "newsroom_cache",
            # Counters of readers seen within the longest window (an hour); past
            # this many rows Django deletes the expired ones, then a third of
            # the rest, which would restart some readers' counts.
            "OPTIONS": {"MAX_ENTRIES": 20000},
        },
        # Pages stay in each process's memory rather than the database, which
        # is slower for hits and misses alike (docs/benchmarks.md) and would
        # take a write for every miss. Local memory per process is exact all
        # the same (pagecache/pages.py: a page holds while the versions of its
        # tags, which every process reads from the database, have not moved).
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
    }
# Full pages for anonymous readers (pagecache/); with a shared cache, in it.
CACHES.setdefault("pages", CACHES["default"])
# How long a cached page may live at most; edits replace it at once anyway.
PAGE_CACHE_SECONDS = env.int("NEWSROOM_PAGE_CACHE_SECONDS", default=600)
# With Redis, each worker thread also keeps the tag versions and pages it
# read in its own memory (pagecache/mirror.py), up to this many bytes.
PAGE_CACHE_MEMORY_BYTES = env.int("NEWSROOM_PAGE_CACHE_MEMORY_BYTES", default=16 * 2**20)
# A page showing something for the first time is served this long before it
# is rendered once more with every version read beforehand (pagecache/pages.py).
PAGE_CACHE_PROVISIONAL_SECONDS = env.int("NEWSROOM_PAGE_CACHE_PROVISIONAL_SECONDS", default=2)

# Background jobs (newsroom/jobs.py): a queue table in this database, worked
# by `manage.py run_worker` (make worker). NEWSROOM_TASKS_BACKEND may name
# another django-tasks backend; "django_tasks.backends.immediate.ImmediateBackend"
# runs each job inside the request that enqueued it, with no worker.
TASKS = {
    "default": {
        "BACKEND": env.str("NEWSROOM_TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")
    }
}
# Seconds a worker may go unseen before the jobs it was running are given to
# another worker (jobs/worker.py). Workers renew theirs every fifth of it; a
# job is never cut short by it, so it needs only to outlast a database hiccup.
JOBS_LEASE = env.float("NEWSROOM_JOBS_LEASE", default=30)
# Multiplies the waits between a job's attempts (newsroom/jobs.py BACKOFF);
# fault tests shorten them. Leave at 1 in production.
JOB_BACKOFF_SCALE = env.float("NEWSROOM_JOB_BACKOFF_SCALE", default=1.0)

# Email: console in development, SMTP on localhost in production unless
# EMAIL_URL says otherwise (smtp+tls://user:password@smtp.example.org:587).
globals().update(
    env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="newsroom@localhost")
# A job sending an email holds its outbox row locked (on SQLite, the database's
# write lock) while the mail server answers: a server that hangs is given up on
# after this many seconds, and the job tries again later.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = env.str("DJANGO_LANGUAGE_CODE", default="en-gb")
# One way of writing times across the desk: "1 Dec 2026, 14:05" (newsroom/formats).
FORMAT_MODULE_PATH = ["newsroom.formats"]
TIME_ZONE = env.str("DJANGO_TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
# Uploaded photo originals keep the photographer's GPS position and camera
# serial, so they live outside MEDIA_ROOT where no public URL reaches them;
# staff download them through the admin (photos/admin.py).
PHOTO_ORIGINALS_ROOT = env.path("PHOTO_ORIGINALS_ROOT", default=BASE_DIR / "private" / "originals")
PHOTO_MAX_UPLOAD_BYTES = env.int("PHOTO_MAX_UPLOAD_BYTES", default=40 * 1024 * 1024)
# Uploads above 2.5 MB are spooled here while the request is read (the
# system's temporary folder when unset); Django deletes them when it ends.
FILE_UPLOAD_TEMP_DIR = env.str("DJANGO_FILE_UPLOAD_TEMP_DIR", default="") or None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # A private FileSystemStorage at PHOTO_ORIGINALS_ROOT; swap for a private
    # S3 bucket (django-storages) without touching the code.
    "photo_originals": {"BACKEND": "photos.storage.OriginalsStorage"},
    "staticfiles": {
        # Hashed, compressed names in production so whitenoise can serve them
        # with far-future cache headers; plain files while developing.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Object storage for several app servers: with AWS_STORAGE_BUCKET_NAME set,
# media go to one S3-compatible bucket every machine shares (django-storages;
# credentials come from boto3's usual AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY
# or an instance role, never from this file). Unset, the local folders above.
# An empty variable counts as unset.
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
# Where pages load photos from besides the site itself (for the CSP below).
MEDIA_ORIGINS = []
if AWS_STORAGE_BUCKET_NAME:
    _custom_domain = env.str("AWS_S3_CUSTOM_DOMAIN", default="") or None
    if _custom_domain:
        MEDIA_ORIGINS.append(f"https://{_custom_domain}")
    _bucket = {
        "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
        "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
        # Signature version 4: the only one newer AWS regions and most
        # S3-compatible services accept for signed URLs.
        "signature_version": "s3v4",
        # Keep every version of a name: a new portrait never replaces the
        # bytes behind a URL that browsers and CDNs may have cached.
        "file_overwrite": False,
    }
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_bucket,
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "custom_domain": _custom_domain,
            # Renditions and portraits are public: plain URLs that caches can
            # share, instead of signatures that expire inside cached pages.
            "querystring_auth": False,
            # Rendition names carry a hash of their content (photos.views says the same).
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }
    STORAGES["photo_originals"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_bucket,
            # Originals keep GPS and camera data: a private bucket of their own
            # (or, by default, a prefix of the media bucket that no public
            # policy covers), readable only through short-lived signed URLs.
            "bucket_name": env.str("AWS_ORIGINALS_BUCKET_NAME", default="")
            or AWS_STORAGE_BUCKET_NAME,
            "location": env.str("AWS_ORIGINALS_LOCATION", default="originals"),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 300,
        },
    }

# Production hardening. Defaults are strict when DEBUG is off; a site behind
# a TLS-terminating proxy sets DJANGO_SECURE_PROXY_SSL_HEADER=1.
if env.bool("DJANGO_SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=False)
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=0)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=False)

# Content-Security-Policy for the public site: scripts only from our own
# origin and no inline scripts (public pages have none; JSON-LD blocks are
# data, not scripts). The admin is left out: its widgets (the rich-text
# editor, the focal-point picker) bring their own scripts.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": [
            "'self'",
            "data:",
            *env.list("NEWSROOM_CSP_IMAGE_ORIGINS", default=[]),
            *MEDIA_ORIGINS,
        ],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
PERMISSIONS_POLICY_DENY = [
    "camera", "microphone", "geolocation", "payment", "usb", "interest-cohort",
]  # fmt: skip

# How often readers may act, per signed-in account and per address:
# (key kind, number of requests, window in seconds). Load tests, which send
# everything from one address, multiply the counts by NEWSROOM_RATE_LIMIT_FACTOR.
_RATE_LIMIT_FACTOR = env.int("NEWSROOM_RATE_LIMIT_FACTOR", default=1)
NEWSROOM_RATE_LIMITS = {
    scope: [(kind, count * _RATE_LIMIT_FACTOR, seconds) for kind, count, seconds in limits]
    for scope, limits in {
        "comment": [("user", 5, 60), ("user", 30, 3600), ("ip", 20, 60)],
        "report": [("user", 10, 600), ("ip", 30, 600)],
        # A reader reading down a long thread may recommend many in a minute.
        "recommend": [("user", 30, 60), ("user", 300, 3600), ("ip", 120, 60)],
        # Edits and deletions together: each edit runs the rules and the screening again.
        "edit": [("user", 10, 60), ("user", 60, 3600)],
        "search": [("ip", 30, 60)],
    }.items()
}
# How many reverse proxies of ours stand in front of gunicorn, each appending
# the address it was reached from to X-Forwarded-For (nginx, Caddy: 1). The
# reader's address is the entry that many places from the end. 0 trusts no
# proxy: the connection's own address is used and the header is ignored, so a
# reader cannot pick a fresh address by sending it. allauth reads this setting
# for its limits and newsroom/ratelimit.py asks allauth, so both count the
# same reader.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("NEWSROOM_TRUSTED_PROXY_COUNT", default=0)

NEWSROOM_SITE_NAME = env.str("NEWSROOM_SITE_NAME", default="The Newsroom")
# The public host name, used in links inside emails (allauth's and the reply
# notifications) through the Site row, which every migrate sets to it.
NEWSROOM_SITE_DOMAIN = env.str("NEWSROOM_SITE_DOMAIN", default=ALLOWED_HOSTS[0])
SITE_ID = 1
# The publisher's logo in structured data (a static file; Google asks for at most 600×60).
NEWSROOM_PUBLISHER_LOGO = env.str("NEWSROOM_PUBLISHER_LOGO", default="img/publisher-logo.png")

# Reader accounts (django-allauth): email and password, verified email required.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SIGNUP_FORM_CLASS = "discussion.forms.ReaderSignupForm"
ACCOUNT_USER_DISPLAY = "discussion.models.public_name"
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{NEWSROOM_SITE_NAME}] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
# Links in allauth's emails on NEWSROOM_SITE_DOMAIN in production, never the request's host.
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
LOGIN_REDIRECT_URL = "/"
# allauth's own limits (they are on by default; stated here so they are visible).
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
}

# Two-factor authentication (allauth.mfa). The desk's login is allauth's
# (newsroom/urls.py sends /admin/login/ there), so an account with an
# authenticator app always meets the second step before the desk. WebAuthn is
# left out: it would pull in fido2 and needs JavaScript on the login page.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# The name authenticator apps show next to the account.
MFA_TOTP_ISSUER = NEWSROOM_SITE_NAME
# Members of these groups (e.g. "Editors,Moderators") must turn on an
# authenticator app before they have any staff rights (accounts.backends)
# and before the desk lets them in (RequireTwoFactorMiddleware).
NEWSROOM_REQUIRE_2FA_GROUPS = env.list("NEWSROOM_REQUIRE_2FA_GROUPS", default=[])

# Comments (django-comments-xtd storage and threading; moderation is ours).
COMMENTS_APP = "django_comments_xtd"
# Our limit for a comment's length. (django-contrib-comments' own
# COMMENT_MAX_LENGTH is left at its default: changing it alters its migrations.)
NEWSROOM_COMMENT_MAX_LENGTH = 5000
# Levels 0, 1 and 2: a comment, a reply, and a reply to that.
COMMENTS_XTD_MAX_THREAD_LEVEL = 2
COMMENTS_XTD_CONFIRM_EMAIL = False
COMMENTS_XTD_SALT = f"comments-{SECRET_KEY}".encode()
COMMENTS_XTD_FROM_EMAIL = DEFAULT_FROM_EMAIL
COMMENTS_XTD_SEND_HTML_EMAIL = False
# The package's default sends from a thread nobody waits for, losing errors
# (and, under gunicorn, sometimes the email); send after the commit instead.
COMMENTS_XTD_THREADED_EMAILS = False
# A comment form may stay open this long before its security stamp expires.
COMMENTS_TIMEOUT = 12 * 60 * 60
COMMENTS_XTD_APP_MODEL_OPTIONS = {
    "default": {
        "who_can_post": "users",
        "allow_flagging": True,
        "allow_feedback": False,
        "show_feedback": False,
    }
}
NEWSROOM_PAGE_SIZE = env.int("NEWSROOM_PAGE_SIZE", default=20)
# PostgreSQL text search configuration (stemming and stop words) for site search.
# Changing it needs the stored vectors recomputed: Article.objects.refresh_search_vectors().
NEWSROOM_SEARCH_CONFIG = env.str("NEWSROOM_SEARCH_CONFIG", default="english")
# python manage.py import_ninjs: seconds to wait for a picture from an http(s) address
# (its size is capped by PHOTO_MAX_UPLOAD_BYTES, like an upload).
NEWSROOM_NINJS_FETCH_TIMEOUT = env.int("NEWSROOM_NINJS_FETCH_TIMEOUT", default=20)
# The link checker and the ninjs importer reach public addresses only
# (newsroom/outbound.py). These networks (e.g. 10.20.0.0/16 for a wire gateway
# on the intranet) are let through besides; the tests open 127.0.0.0/8. In
# production, networks holding this machine's own services (loopback, 0.0.0.0)
# or the cloud's metadata service (link-local) are refused: nothing there is a
# source, and a stray 0.0.0.0/0 would undo the protection.
NEWSROOM_OUTBOUND_ALLOWED_NETWORKS = env.list("NEWSROOM_OUTBOUND_ALLOWED_NETWORKS", default=[])
_MACHINE_AND_METADATA = [
    ipaddress.ip_network(network)
    for network in ("0.0.0.0/8", "127.0.0.0/8", "169.254.0.0/16", "::/127", "fe80::/10")
]
for _network in NEWSROOM_OUTBOUND_ALLOWED_NETWORKS:
    try:
        _allowed = ipaddress.ip_network(_network, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"NEWSROOM_OUTBOUND_ALLOWED_NETWORKS: “{_network}” is not a network; write "
            "addresses with their prefix length, e.g. 10.20.0.0/16,fd00:20::/64."
        ) from None
    if not DEBUG and any(_allowed.overlaps(local) for local in _MACHINE_AND_METADATA):
        raise ImproperlyConfigured(
            f"NEWSROOM_OUTBOUND_ALLOWED_NETWORKS: “{_network}” includes loopback, 0.0.0.0 or "
            "link-local addresses (this machine's services, the cloud's metadata service); "
            "production never fetches from those. Name only the intranet network you need."
        )
# An edge cache in front (edge/): "varnish", "fastly", "cloudflare", or unset
# for none. Tagged public pages then carry their tags and s-maxage, and each
# commit's changed tags are purged there by a job (edge/purges.py).
NEWSROOM_EDGE = env.str("NEWSROOM_EDGE", default="")
NEWSROOM_EDGE_SECONDS = env.int("NEWSROOM_EDGE_SECONDS", default=86400)
NEWSROOM_EDGE_TIMEOUT = env.float("NEWSROOM_EDGE_TIMEOUT", default=10)
NEWSROOM_VARNISH_URL = env.str("NEWSROOM_VARNISH_URL", default="")
NEWSROOM_FASTLY_API = env.str("NEWSROOM_FASTLY_API", default="https://api.fastly.com")
NEWSROOM_FASTLY_SERVICE_ID = env.str("NEWSROOM_FASTLY_SERVICE_ID", default="")
NEWSROOM_FASTLY_KEY = env.str("NEWSROOM_FASTLY_KEY", default="")
NEWSROOM_CLOUDFLARE_API = env.str("NEWSROOM_CLOUDFLARE_API", default="https://api.cloudflare.com")
NEWSROOM_CLOUDFLARE_ZONE = env.str("NEWSROOM_CLOUDFLARE_ZONE", default="")
NEWSROOM_CLOUDFLARE_TOKEN = env.str("NEWSROOM_CLOUDFLARE_TOKEN", default="")
_EDGE_NEEDS = {
    "varnish": ["NEWSROOM_VARNISH_URL"],
    "fastly": ["NEWSROOM_FASTLY_SERVICE_ID", "NEWSROOM_FASTLY_KEY"],
    "cloudflare": ["NEWSROOM_CLOUDFLARE_ZONE", "NEWSROOM_CLOUDFLARE_TOKEN"],
}
if NEWSROOM_EDGE and NEWSROOM_EDGE not in _EDGE_NEEDS:
    raise ImproperlyConfigured(
        f"NEWSROOM_EDGE: “{NEWSROOM_EDGE}” is not an edge we purge; name one of "
        f"{', '.join(_EDGE_NEEDS)}, or leave it unset for none."
    )
_edge_missing = [name for name in _EDGE_NEEDS.get(NEWSROOM_EDGE, []) if not globals()[name]]
if _edge_missing and not DEBUG:
    # Pages would be kept at the edge for a day with nothing to purge them.
    raise ImproperlyConfigured(
        f"NEWSROOM_EDGE={NEWSROOM_EDGE} needs {' and '.join(_edge_missing)}: without them "
        "changed pages stay at the edge for NEWSROOM_EDGE_SECONDS."
    )

# A citation's link is checked after each save that changes its URL, and again
# by the sweep (wire.jobs.sweep_citations) once its last check is this old.
NEWSROOM_LINK_CHECK_DAYS = env.int("NEWSROOM_LINK_CHECK_DAYS", default=7)
# List pages go back this many pages (counting more would scan the archive).
NEWSROOM_MAX_LIST_PAGES = env.int("NEWSROOM_MAX_LIST_PAGES", default=100)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
}
