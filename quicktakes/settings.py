"""Settings for QuickTakes, read from the environment (12-factor).

DATABASE_URL  database (default: SQLite file db.sqlite3 in the project)
SECRET_KEY    required unless DEBUG is on
DEBUG         "1"/"true" to turn on; off by default
ALLOWED_HOSTS comma-separated; defaults to localhost only
REDIS_URL     a cache shared by several machines (redis://host:6379/0); without it, a
              file-based cache in CACHE_DIR that every process of this machine shares
VARNISH_URLS  comma-separated Varnish addresses (http://127.0.0.1:6081) told to ban the
              surrogate keys of every change; none by default
SECURE_PROXY_SSL_HEADER  "1" behind a proxy that sets X-Forwarded-Proto; off by default
PROXIES_IN_FRONT  how many proxies that append to X-Forwarded-For stand in front (Varnish
              alone: 1; a CDN and Varnish: 2); the login lockout then counts the client's
              address, not the proxy's. 0 (the default): REMOTE_ADDR is the client.

manage.py also reads .env (make run writes one for development); the environment wins.
"""

import hashlib
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Set SECRET_KEY in the environment (or DEBUG=1 for development: "
            "make run writes both to .env)."
        )
    SECRET_KEY = "django-insecure-development-only-key"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "axes",
    "taggit",
    # Articles' revisions (learn.history).
    "reversion",
    "learn",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # First of ours: a path with a NUL would fail a database lookup further in.
    "learn.middleware.RefuseUnservablePathsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages, not static files (whitenoise answers those above, compressed ahead of time).
    # Django's gzip pads its output against BREACH.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Outside the redirects: only a page that stays missing gets the 404 page.
    "learn.middleware.DebugNotFoundPageMiddleware",
    "learn.middleware.RedirectFallbackMiddleware",
    # Last, as django-axes asks: a locked-out login gets its 429 here.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "quicktakes.urls"

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
                # csp_nonce, which the admin's templates give their inline styles.
                "django.template.context_processors.csp",
                "learn.context_processors.subject_navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "quicktakes.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"].get("ENGINE") == "django.db.backends.sqlite3":
    # Readers never wait for a writer. In SQLite's default (rollback journal) mode a
    # writer whose changes outgrow its page cache locks the whole file until it commits:
    # while an import ran, a page's query waited up to the timeout, then failed (503).
    # In WAL mode readers read the last committed state while one writer writes (an
    # import is seen whole, when it commits); synchronous=NORMAL is WAL's durable-enough
    # setting (a power cut may lose the last commits, never corrupt the file).
    # IMMEDIATE: a transaction takes the write lock as it begins, so a second writer
    # waits for the first (up to the timeout) rather than failing at its first write.
    # Defaults only: OPTIONS given in DATABASE_URL's query string win.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options.setdefault("init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL")
    _options.setdefault("transaction_mode", "IMMEDIATE")
if DATABASES["default"].get("ENGINE") == "django.db.backends.postgresql":
    # No JIT compilation: PostgreSQL compiles a query's expressions once the planner costs
    # it high, as it does a search for a common word (90,000 matches estimated at 1M
    # articles, 500 read): 18 ms of compiling for a 40 ms query. A page's queries read
    # few rows; JIT pays off for reports over many.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")

# Cached reader pages are dropped by moving versions kept in the cache, so every process
# serving the site must share it: Redis across machines, else files on this one (a
# database cache would queue readers behind an import's write lock on SQLite).
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "learn.cache_backends.SharedFileCache",
            "LOCATION": os.environ.get("CACHE_DIR", str(BASE_DIR / "cache")),
            # Every page of a large site, twice over (pages of a list), and its keys.
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("CACHE_MAX_ENTRIES", "200000"))},
        }
    }
# One site is one database: processes serving another (make bench's, a second checkout's
# Redis) never read this one's pages, versions or navigation.
_database = DATABASES["default"]
CACHES["default"]["KEY_PREFIX"] = hashlib.sha256(
    f"{_database.get('HOST', '')}:{_database.get('PORT', '')}/{_database['NAME']}".encode()
).hexdigest()[:12]

# Front caches that keep reader pages (Varnish): each change bans its pages' surrogate
# keys in every one (learn/frontend_cache.py, quicktakes/varnish/quicktakes.vcl).
FRONTEND_CACHE_URLS = env_list("VARNISH_URLS", [])

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Login throttling (django-axes): a username is refused from an IP address after five
# failed logins there, for 30 minutes after the last failure; a success clears the count.
# An admin lifts a lockout early in the admin (Axes → Access attempts) or with
# manage.py axes_reset_username USERNAME (see the README's Security section).
AUTHENTICATION_BACKENDS = [
    # First, as django-axes asks: a locked-out login is refused before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
# Per username and address together: a username alone would let anyone lock an editor
# out, an address alone would lock out everyone behind one NAT.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True


def client_address_settings(proxies_in_front):
    """django-axes' settings for the address a lockout counts (django-ipware, axes' own
    extra). Behind proxies every login comes from the proxy's address, so one attacker
    could lock an editor out for everyone: the client is the address the outermost
    trusted proxy appended to X-Forwarded-For, and whatever a client wrote before it is
    ignored (not strict, so a forged prefix does not void the header)."""
    if proxies_in_front < 0:
        raise ImproperlyConfigured("PROXIES_IN_FRONT must be 0 or more.")
    if not proxies_in_front:
        return {"AXES_IPWARE_META_PRECEDENCE_ORDER": ("REMOTE_ADDR",)}
    return {
        "AXES_IPWARE_META_PRECEDENCE_ORDER": ("HTTP_X_FORWARDED_FOR",),
        "AXES_IPWARE_PROXY_ORDER": "left-most",
        # ipware counts the proxies the header lists after the client; the last proxy
        # is REMOTE_ADDR, not in the header.
        "AXES_IPWARE_PROXY_COUNT": proxies_in_front - 1,
        "IPWARE_STRICT": False,
    }


try:
    PROXIES_IN_FRONT = int(os.environ.get("PROXIES_IN_FRONT") or 0)
except ValueError:
    raise ImproperlyConfigured("PROXIES_IN_FRONT must be a whole number.") from None
globals().update(client_address_settings(PROXIES_IN_FRONT))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # The math font's subsets (static/css/math.css), cut by `make mathjs` from the font
    # mathjs/package-lock.json pins (bench/math_font.py).
    ("fonts", BASE_DIR / "mathjs" / "fonts"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "quicktakes.storage.StaticFilesStorage"},
}

# One topic per keyword, whatever its case ("Big O" and "big O").
TAGGIT_CASE_INSENSITIVE = True
# A topics field reads and writes keywords as the importer does (page_keywords' rules).
TAGGIT_TAGS_FROM_STRING = "learn.keywords.parse_keywords"
TAGGIT_STRING_FROM_TAGS = "learn.keywords.string_from_tags"

if not DEBUG:
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
    # Off unless asked: both bind every subdomain of the domain to HTTPS, and a preloaded
    # domain stays in browsers' lists for months after the header is dropped.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS")
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")

# Reader pages run no script and need no inline style (their JSON-LD is a data block,
# which CSP leaves alone). The admin loads its scripts from its static files and gives
# its inline <style> blocks the request's nonce, as Django 6.1's admin templates do.
SECURE_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.NONCE],
    # Answers may show images from other sites (the renderer keeps http and https src).
    "img-src": [CSP.SELF, "https:"],
    # The math font (static/css/math.css).
    "font-src": [CSP.SELF],
    # The admin's autocomplete asks the server.
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}
# No page uses a device or a powerful feature, nor may anything it embeds.
PERMISSIONS_POLICY = {
    feature: []
    for feature in [
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    ]
}

# X-Forwarded-Proto says a request came over HTTPS only where a proxy in front sets it
# (and replaces a client's own): trusted anywhere else, any client could claim HTTPS.
if env_bool("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
