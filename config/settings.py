"""Settings for the bulletin system, read from the environment.

Defaults are safe for production (DEBUG off, no hosts allowed); the `dev` script
sets what a local run needs.
"""

import json
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key"  # noqa: S105 - only with DEBUG on
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Shared services: with REDIS_URL the cache and the task queue live in Redis, so that several
# machines behind a load balancer see the same rendered PDFs and share one queue.
REDIS_URL = os.environ.get("REDIS_URL", "")

INSTALLED_APPS = [
    "editorial.apps.EditorialAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "adminsortable2",
    "django_ckeditor_5",
    "reversion",
    "import_export",
    "django_tasks",
    "config.apps.TasksDatabaseConfig",
    "config.apps.AxesConfig",
    "bulletins",
    "editorial",
    "intake",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "editorial.security.SessionRefreshMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several people saving at once on SQLite (Django 5.1+): a transaction takes the write lock
    # when it begins (IMMEDIATE), so it waits its turn rather than failing with "database is
    # locked" when a read turns into a write; a writer waits up to SQLITE_BUSY_SECONDS for the
    # lock; in WAL mode readers never wait for a writer (nor for the task worker's poll), and
    # synchronous=NORMAL is WAL's safe setting (a power cut may lose the last commit, never
    # corrupt the file).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": float(os.environ.get("SQLITE_BUSY_SECONDS", "20")),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
# Chinese for what the libraries leave in English (django-import-export, django-ckeditor-5).
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
# The old editor bundle django-ckeditor-5 ships is never served (editorial.staticfiles).
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "editorial.staticfiles.AppDirectoriesFinder",
]
# Uploads (article images) are read and written through the `default` storage only, so
# STORAGE_BACKEND=storages.backends.s3.S3Storage (django-storages, with its AWS_* settings)
# puts them in S3-compatible object storage; STORAGE_OPTIONS is a JSON object of its options.
STORAGES = {
    "default": {
        "BACKEND": os.environ.get("STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"),
        "OPTIONS": json.loads(os.environ.get("STORAGE_OPTIONS", "{}")),
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# HTTPS. On by default in production; an intranet served over plain HTTP turns these off with
# HTTPS=off (check --deploy then warns, rightly, about W004/W008/W012/W016).
HTTPS = env_bool("HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600) if HTTPS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
# Behind a reverse proxy that terminates TLS: the header it sets, e.g. X-Forwarded-Proto.
if proxy_header := os.environ.get("SECURE_PROXY_SSL_HEADER", ""):
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + proxy_header.upper().replace("-", "_"), "https")
# How many proxies in front of the site append to X-Forwarded-For (for the login throttle).
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Sessions end after SESSION_HOURS of inactivity (the expiry moves on with each request)
# and when the browser closes.
SESSION_COOKIE_AGE = int(float(os.environ.get("SESSION_HOURS", "8")) * 3600)
# Rather than on every request (a database write each time), a session in use is saved again
# once it is SESSION_REFRESH_SECONDS old (editorial.security.SessionRefreshMiddleware).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Request limits: a form body (an issue with its articles) and the number of its fields; files
# larger than FILE_UPLOAD_MAX_MEMORY_SIZE are streamed to a temporary file, and each upload
# view checks its own limit (article images CKEDITOR_5_MAX_FILE_SIZE_MB, archive files).
DATA_UPLOAD_MAX_MEMORY_SIZE = int(float(os.environ.get("MAX_REQUEST_MB", "10")) * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failed logins for one user name from
# one address, that pair is locked for AXES_COOLOFF_HOURS; an administrator unlocks it by
# deleting the attempt in the admin (访问尝试) or with `manage.py axes_reset`.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"
AXES_CLIENT_IP_CALLABLE = "editorial.security.client_ip"
AXES_VERBOSE = False

# Content-Security-Policy (django-csp): scripts and styles from our own origin only. CKEditor 5
# sets style attributes on the elements it edits, so inline styles are allowed, inline scripts
# are not; images may also be data:/blob: (CKEditor's upload preview) and come from the media
# origin when uploads live in object storage.
_media_origin = os.environ.get("MEDIA_URL", "")
_media_origin = "/".join(_media_origin.split("/")[:3]) if "://" in _media_origin else ""
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", *([_media_origin] if _media_origin else [])],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Workflow notifications: the console by default; SMTP when EMAIL_HOST is set.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "简报编辑印发系统 <bulletins@localhost>")

# Rich text: django-ckeditor-5's widget, configuration and upload view, with the CKEditor 5 build
# in editorial/static/editorial/ckeditor5/ (frontend/, see README). Uploads only for staff, with
# size and type limits, checked in Chinese by editorial.views.uploads before the library stores them.
CK_EDITOR_5_UPLOAD_FILE_VIEW_NAME = "editorial:image_upload"
CKEDITOR_5_FILE_UPLOAD_PERMISSION = "staff"
CKEDITOR_5_MAX_FILE_SIZE = int(os.environ.get("CKEDITOR_5_MAX_FILE_SIZE_MB", "5"))
CKEDITOR_5_UPLOAD_FILE_TYPES = ["jpeg", "jpg", "png"]
# Word manuscripts (.docx) imported as articles (bulletins.manuscripts); their images follow the
# upload limits above.
MANUSCRIPT_MAX_FILE_SIZE_MB = int(os.environ.get("MANUSCRIPT_MAX_FILE_SIZE_MB", "20"))
CKEDITOR_5_FILE_STORAGE = "bulletins.storage.ArticleImageStorage"
CKEDITOR_5_CONFIGS = {
    "default": {
        "language": "zh-cn",
        "bulletins": {"mediaUrl": MEDIA_URL},
        "toolbar": {
            "items": [
                "heading", "|", "bold", "|", "bulletedList", "numberedList", "|",
                "blockQuote", "insertTable", "uploadImage", "|", "undo", "redo",
            ],
            "shouldNotGroupWhenFull": True,
        },
        "heading": {
            "options": [
                {"model": "paragraph", "title": "正文", "class": "ck-heading_paragraph"},
                {"model": "heading2", "view": "h2", "title": "一级标题（一、）",
                 "class": "ck-heading_heading2"},
                {"model": "heading3", "view": "h3", "title": "二级标题（（一））",
                 "class": "ck-heading_heading3"},
                {"model": "heading4", "view": "h4", "title": "三级标题（1.）",
                 "class": "ck-heading_heading4"},
            ]
        },
        "table": {"contentToolbar": ["tableColumn", "tableRow", "mergeTableCells"]},
        "image": {"toolbar": ["imageTextAlternative"]},
    },
}

# django-import-export: only users with the model's permission may import/export.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.CacheStorage"
IMPORT_EXPORT_USE_TRANSACTIONS = True
# Rows left empty in a spreadsheet are not records.
IMPORT_EXPORT_IMPORT_IGNORE_BLANK_LINES = True

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "bulletins"),
    } if REDIS_URL else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("CACHE_DIR", str(BASE_DIR / "var" / "cache")),
        # Rendered PDFs are about 0.7 MB each: keep a few thousand before culling.
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
}
# Uploads waiting for an editor's confirmation and the reports of archive jobs: without Redis a
# file cache of their own that never culls an entry before it expires (bulletins.upload_cache);
# past MAX_ENTRIES files it removes the expired ones.
CACHES["uploads"] = dict(CACHES["default"]) if REDIS_URL else {
    "BACKEND": "bulletins.upload_cache.PendingFileCache",
    "LOCATION": os.environ.get("UPLOAD_CACHE_DIR", str(BASE_DIR / "var" / "upload-cache")),
    "OPTIONS": {"MAX_ENTRIES": 100},
}

# Background tasks (django-tasks, the backport of Django 6's django.tasks). The database
# queue needs no other service (worker: `manage.py db_worker`); with REDIS_URL the queue is
# in Redis (django-tasks-rq; worker: `manage.py rqworker`) so several machines share it.
# TASKS_BACKEND=database|redis|immediate chooses explicitly.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "redis" if REDIS_URL else "database")
if TASKS_BACKEND == "redis":
    if not REDIS_URL:
        raise ImproperlyConfigured("TASKS_BACKEND=redis needs REDIS_URL.")
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
elif TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
elif TASKS_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    raise ImproperlyConfigured(f"Unknown TASKS_BACKEND {TASKS_BACKEND!r} (database, redis, immediate).")

# Printing (bulletins.rendering). Licensed office fonts: put the files in BULLETIN_FONT_DIR
# under their usual names (FZXBSJW.TTF, FangSong_GB2312.ttf, simhei.ttf, KaiTi_GB2312.ttf,
# simsun.ttc) or name a file per role with BULLETIN_FONT_TITLE, _BODY, _HEADING1, _HEADING2,
# _PAGE_NUMBER ("path" or "path#face-index"). Roles left unset use the free Debian fonts.
BULLETIN_FONT_DIR = os.environ.get("BULLETIN_FONT_DIR", str(BASE_DIR / "var" / "fonts"))
BULLETIN_FONTS = {
    role: os.environ[f"BULLETIN_FONT_{role.upper()}"]
    for role in ("title", "body", "heading1", "heading2", "page_number")
    if os.environ.get(f"BULLETIN_FONT_{role.upper()}")
}
# Reduced copies (GB 2312 repertoire) of the free fonts, built by manage.py build_reduced_fonts.
BULLETIN_REDUCED_FONT_DIR = os.environ.get("BULLETIN_REDUCED_FONT_DIR",
                                           str(BASE_DIR / "var" / "reduced-fonts"))
# "pdf/a-3b" writes archival PDF/A-3b; empty writes plain PDF.
BULLETIN_PDF_VARIANT = os.environ.get("BULLETIN_PDF_VARIANT", "")
BULLETIN_PDF_CACHE = "default"
# The TrueType face of the readers' watermark on PDFs downloaded from the reading room (delivery).
BULLETIN_STAMP_FONT = os.environ.get("BULLETIN_STAMP_FONT",
                                     "/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf")

# Background rendering (bulletins.tasks): each PDF is laid out in a child process of the worker
# with a time limit and a memory limit; the child is replaced after a number of renders.
BULLETIN_RENDER_ISOLATED = env_bool("BULLETIN_RENDER_ISOLATED", True)
BULLETIN_RENDER_TIMEOUT = int(os.environ.get("BULLETIN_RENDER_TIMEOUT", "180"))
BULLETIN_RENDER_MEMORY_MB = int(os.environ.get("BULLETIN_RENDER_MEMORY_MB", "3072"))
# How long the child may take to start (Django and WeasyPrint) before its first render; with
# BULLETIN_RENDER_TIMEOUT, the deadline after which a running render's worker is taken for dead.
BULLETIN_RENDER_STARTUP_TIMEOUT = int(os.environ.get("BULLETIN_RENDER_STARTUP_TIMEOUT", "120"))
BULLETIN_RENDER_MAX_TASKS_PER_CHILD = int(os.environ.get("BULLETIN_RENDER_MAX_TASKS_PER_CHILD", "50"))
# The child runs at a lower CPU priority (nice) than the web server on the same machine.
BULLETIN_RENDER_NICENESS = int(os.environ.get("BULLETIN_RENDER_NICENESS", "10"))

# Backups (bulletins.backup): the manifest is signed with HMAC-SHA256 under a key kept apart
# from the backups and the database, BACKUP_KEY itself or a file named by BACKUP_KEY_FILE.
BACKUP_KEY = os.environ.get("BACKUP_KEY", "")
BACKUP_KEY_FILE = os.environ.get("BACKUP_KEY_FILE", "")

# What an upload may expand to (bulletins.limits): every kind of file is bounded by what it
# unpacks to, not only by its size; each refusal names the file and the limit.
UPLOAD_ZIP_MAX_MEMBERS = int(os.environ.get("UPLOAD_ZIP_MAX_MEMBERS", "1000"))
UPLOAD_ZIP_MAX_UNPACKED_MB = int(os.environ.get("UPLOAD_ZIP_MAX_UNPACKED_MB", "60"))
ARCHIVE_MAX_FILE_MB = int(os.environ.get("ARCHIVE_MAX_FILE_MB", "50"))
ARCHIVE_PDF_MAX_PAGES = int(os.environ.get("ARCHIVE_PDF_MAX_PAGES", "300"))
ARCHIVE_PDF_MAX_STREAM_MB = int(os.environ.get("ARCHIVE_PDF_MAX_STREAM_MB", "30"))
ARCHIVE_JSON_MAX_DEPTH = int(os.environ.get("ARCHIVE_JSON_MAX_DEPTH", "32"))
ISSUE_MAX_CHARACTERS = int(os.environ.get("ISSUE_MAX_CHARACTERS", "300000"))
SPREADSHEET_MAX_FILE_MB = int(os.environ.get("SPREADSHEET_MAX_FILE_MB", "5"))
SPREADSHEET_MAX_ROWS = int(os.environ.get("SPREADSHEET_MAX_ROWS", "5000"))
IMAGE_MAX_PIXELS = int(os.environ.get("IMAGE_MAX_PIXELS", "40000000"))
# Uploaded archive files are read in a child process of the web or task worker with these
# limits (bulletins.rendering.isolated.parse_runner), like the PDF renders above. The time
# limit stays under gunicorn's 30 s worker timeout, so that the file fails, not the worker.
BULLETIN_PARSE_ISOLATED = env_bool("BULLETIN_PARSE_ISOLATED", True)
BULLETIN_PARSE_TIMEOUT = int(os.environ.get("BULLETIN_PARSE_TIMEOUT", "25"))
BULLETIN_PARSE_MEMORY_MB = int(os.environ.get("BULLETIN_PARSE_MEMORY_MB", "1024"))
# Behind nginx: the `internal` location that maps to MEDIA_ROOT (e.g. /protected-media/); the
# site then checks who may see an image and nginx sends it (X-Accel-Redirect).
MEDIA_ACCEL_REDIRECT = os.environ.get("MEDIA_ACCEL_REDIRECT", "")
# A spreadsheet of more rows than this is read in that child process too.
SPREADSHEET_ISOLATE_ROWS = int(os.environ.get("SPREADSHEET_ISOLATE_ROWS", "300"))
