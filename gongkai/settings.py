"""Django settings. Everything is read from the environment; the embedded default needs nothing.

Environment variables (documented in docs/operations.md):
  GONGKAI_DATA_DIR        where SQLite, uploads and the generated secret key live
  DATABASE_URL            e.g. postgres://user:pass@127.0.0.1:5432/gongkai (default: SQLite in the data dir)
  GONGKAI_SECRET_KEY      overrides the generated key
  GONGKAI_ALLOWED_HOSTS   comma-separated host names
  GONGKAI_DEBUG           "1" for development error pages
  GONGKAI_DEADLINE_COUNTS_START_DAY  "1" to count the start day as day one (default: not counted)
  GONGKAI_CSRF_TRUSTED_ORIGINS  e.g. https://gk.example.gov.cn (needed behind HTTPS)
  GONGKAI_BEHIND_TLS_PROXY      "1" when a reverse proxy terminates HTTPS and sets X-Forwarded-Proto
  GONGKAI_TRUSTED_PROXIES       comma-separated addresses/CIDRs of the proxies whose X-Forwarded-For is believed
  GONGKAI_SECURE_COOKIES        "1" to send cookies over HTTPS only
  GONGKAI_HTTPS_REDIRECT        "1" to redirect plain HTTP to HTTPS (SECURE_SSL_REDIRECT)
  GONGKAI_HSTS_SECONDS, GONGKAI_HSTS_INCLUDE_SUBDOMAINS  Strict-Transport-Security on HTTPS responses
  GONGKAI_SITE_NAME             the portal's name
  GONGKAI_LOG_LEVEL, GONGKAI_REQUEST_LOG_LEVEL
  GONGKAI_EMAIL_BACKEND, GONGKAI_EMAIL_HOST, GONGKAI_EMAIL_PORT, GONGKAI_EMAIL_FROM
  GONGKAI_EMAIL_HOST_USER, GONGKAI_EMAIL_HOST_PASSWORD, GONGKAI_EMAIL_USE_TLS, GONGKAI_EMAIL_USE_SSL,
  GONGKAI_EMAIL_TIMEOUT         SMTP sign-in and encryption (STARTTLS, usually port 587; or SSL, port 465)
  GONGKAI_LOGIN_FAILURE_LIMIT, GONGKAI_LOCKOUT_MINUTES, GONGKAI_IDLE_TIMEOUT_MINUTES,
  GONGKAI_PASSWORD_MAX_AGE_DAYS, GONGKAI_ACCOUNT_IDLE_DAYS   sign-in security (docs/security.md)
  GONGKAI_WEBAUTHN_RP_ID, GONGKAI_WEBAUTHN_RP_NAME, GONGKAI_WEBAUTHN_ORIGINS   security keys (docs/security.md)
"""

import datetime
import ipaddress
import json
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from gongkai.datadir import data_dir, secret_key


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = data_dir()

SECRET_KEY = secret_key(DATA_DIR)
DEBUG = _flag("GONGKAI_DEBUG")
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("GONGKAI_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if h.strip()
]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("GONGKAI_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]
GONGKAI_BEHIND_TLS_PROXY = _flag("GONGKAI_BEHIND_TLS_PROXY")
if GONGKAI_BEHIND_TLS_PROXY:
    # The proxy terminates HTTPS and says so in this header; only set this behind a proxy that
    # always overwrites it, or clients could claim HTTPS themselves.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


def _trusted_proxies() -> list[str]:
    """The reverse proxies whose X-Forwarded-For is believed (web/client_address.py). Behind a TLS
    proxy without a list, the proxy is taken to run on this host (loopback)."""
    default = "127.0.0.0/8,::1" if GONGKAI_BEHIND_TLS_PROXY else ""
    listed = [n.strip() for n in os.environ.get("GONGKAI_TRUSTED_PROXIES", default).split(",") if n.strip()]
    for network in listed:
        try:
            ipaddress.ip_network(network, strict=False)
        except ValueError as exc:
            raise ImproperlyConfigured(f"GONGKAI_TRUSTED_PROXIES: “{network}” is not an address or CIDR network") from exc
    return listed


GONGKAI_TRUSTED_PROXIES = _trusted_proxies()

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "gongkai.web",
    "gongkai.audit",
    "gongkai.orgs",
    "gongkai.workdays",
    "gongkai.search",
    "gongkai.disclosure",
    "gongkai.applications",
    "gongkai.consultations",
    "gongkai.enquiries",
    "gongkai.reports",
    "gongkai.stats",
    "gongkai.supervision",
    "gongkai.staff",
    "gongkai.portal",
    "gongkai.demo",
    "gongkai.jobs",
    "django_tasks",
    "django_tasks_db",
    "gongkai.accounts",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "axes",
]

MIDDLEWARE = [
    "gongkai.accounts.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "gongkai.accounts.middleware.StaffGateMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "gongkai.web.security.NoStoreMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gongkai.urls"
WSGI_APPLICATION = "gongkai.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gongkai.web.context.site",
                "gongkai.portal.context.site_identity_context",
                "gongkai.accounts.context.security",
            ],
        },
    },
]

_sqlite_default = f"sqlite:///{DATA_DIR / 'gongkai.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", _sqlite_default), conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's own backend. WAL lets the portal read while staff write; IMMEDIATE transactions
    # take the write lock at BEGIN, so two writers queue on the busy timeout. With the default
    # (DEFERRED), of two transactions that read and then write, the second to write fails with
    # "database is locked" whatever the timeout: what it read may predate the other's commit.
    # synchronous=NORMAL is safe in WAL mode: a power cut may lose the last commits, never
    # corrupt the file.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;",
        "transaction_mode": "IMMEDIATE",
    }
    # Kept open across requests like any other database (conn_max_age above), so the PRAGMAs
    # and Django's SQL functions are set up once per worker, not once per request.

# A file cache in the data directory: shared by every server process of the embedded default
# (rate limits), nothing to install. Production can point GONGKAI_CACHE_URL-style settings elsewhere.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                      "LOCATION": str(DATA_DIR / "cache")}}
# Public forms: submissions and tracking-code lookups per client per hour.
GONGKAI_APPLY_PER_HOUR = int(os.environ.get("GONGKAI_APPLY_PER_HOUR", "10"))
GONGKAI_TRACK_PER_HOUR = int(os.environ.get("GONGKAI_TRACK_PER_HOUR", "30"))
# 意见征集 (consultations): comments per client per hour; the shortest period of a 重大行政决策
# draft without a recorded reason (《重大行政决策程序暂行条例》第十五条: 一般不少于30日) and of other
# drafts (1: no minimum); working days after the period within which 采纳情况反馈 is due.
GONGKAI_COMMENT_PER_HOUR = int(os.environ.get("GONGKAI_COMMENT_PER_HOUR", "5"))
GONGKAI_CONSULTATION_MAJOR_MIN_DAYS = int(os.environ.get("GONGKAI_CONSULTATION_MAJOR_MIN_DAYS", "30"))
GONGKAI_CONSULTATION_MIN_DAYS = int(os.environ.get("GONGKAI_CONSULTATION_MIN_DAYS", "1"))
GONGKAI_CONSULTATION_FEEDBACK_WORKING_DAYS = int(os.environ.get("GONGKAI_CONSULTATION_FEEDBACK_WORKING_DAYS", "15"))
# 留言咨询 (enquiries): messages per client per hour, and the reply limit of each message type in
# working days. /work/shared/spec/supervision.md §3 (seen in notices): simple 咨询 answered after more
# than 5 working days loses points; §7 and spec/regulation.md: 找错 (纠错) reports answered within
# 3 working days (one province's rule). The other types' limits are UNCONFIRMED local practice.
GONGKAI_ENQUIRY_PER_HOUR = int(os.environ.get("GONGKAI_ENQUIRY_PER_HOUR", "5"))
GONGKAI_ENQUIRY_REPLY_WORKING_DAYS = {
    "consult": int(os.environ.get("GONGKAI_ENQUIRY_CONSULT_DAYS", "5")),
    "correction": int(os.environ.get("GONGKAI_ENQUIRY_CORRECTION_DAYS", "3")),
    "suggestion": int(os.environ.get("GONGKAI_ENQUIRY_SUGGESTION_DAYS", "15")),  # UNCONFIRMED
    "complaint": int(os.environ.get("GONGKAI_ENQUIRY_COMPLAINT_DAYS", "15")),  # UNCONFIRMED
    "help": int(os.environ.get("GONGKAI_ENQUIRY_HELP_DAYS", "10")),  # UNCONFIRMED
}
# supervision.md §2 互动回应差 (veto): a valid message unanswered for more than 3 months; §3: a
# reply not published within 2 months is a deduction.
GONGKAI_ENQUIRY_UNANSWERED_MONTHS = 3
GONGKAI_ENQUIRY_PUBLISH_MONTHS = 2

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "gongkai.accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "gongkai.accounts.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "gongkai.accounts.passwords.NotUsernameValidator"},
]

# Sign-in security (等保三级 身份鉴别, docs/security.md). django-axes counts failed sign-ins per
# user name and refuses that name for the lockout period once the limit is reached; the period
# runs from the lockout, not from each refused try.
AUTHENTICATION_BACKENDS = ["gongkai.accounts.backends.LockoutBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = int(os.environ.get("GONGKAI_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("GONGKAI_LOCKOUT_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = ["username"]
# 等保 身份鉴别 asks that the account be locked after repeated failures, whatever address they come
# from; the check axes.W006 wants the address in the key too, which would let an attacker who
# changes address keep guessing. (Public pages are rate-limited by address separately.)
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# The address axes records for a sign-in attempt: the same one the audit trail and the rate limits
# use (trusted proxies only), not django-ipware's guess from headers any client can send.
AXES_CLIENT_IP_CALLABLE = "gongkai.web.client_address.client_ip"
# A session with no request for this long is signed out (登录连接超时自动退出).
GONGKAI_IDLE_TIMEOUT_MINUTES = int(os.environ.get("GONGKAI_IDLE_TIMEOUT_MINUTES", "30"))
# Days after which a password must be changed (等保 定期更换); 0, the default, turns expiry off, as
# ASVS 2.1.10 advises against forced rotation. docs/security.md weighs the two.
GONGKAI_PASSWORD_MAX_AGE_DAYS = int(os.environ.get("GONGKAI_PASSWORD_MAX_AGE_DAYS", "0"))
# Accounts unused this many days are switched off by ``gongkai accounts disable-idle``.
GONGKAI_ACCOUNT_IDLE_DAYS = int(os.environ.get("GONGKAI_ACCOUNT_IDLE_DAYS", "90"))
OTP_TOTP_ISSUER = os.environ.get("GONGKAI_SITE_NAME", "政府信息公开平台")

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns on every start when it is missing
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "media"
# Uploads and generated letters: owner-only whatever the umask (Django chmods after writing).
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
MEDIA_URL = "/media/"

LOGIN_URL = "staff:login"
LOGIN_REDIRECT_URL = "staff:home"
LOGOUT_REDIRECT_URL = "portal:home"

# HTTPS (docs/security.md). HSTS is sent only on HTTPS responses, so the default of one year is
# harmless on plain-HTTP development servers; GONGKAI_HSTS_SECONDS=0 turns it off.
SECURE_HSTS_SECONDS = int(os.environ.get("GONGKAI_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("GONGKAI_HSTS_INCLUDE_SUBDOMAINS")
SECURE_SSL_REDIRECT = _flag("GONGKAI_HTTPS_REDIRECT")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy through django-csp (Django 5.2 has none built in). No page runs a script
# of its own or from elsewhere; style attributes are used in templates, so inline styles stay allowed.
CONTENT_SECURITY_POLICY = {"DIRECTIVES": {
    "default-src": ["'self'"], "script-src": ["'self'"], "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"], "font-src": ["'self'"], "object-src": ["'none'"], "base-uri": ["'self'"],
    "form-action": ["'self'"], "frame-ancestors": ["'none'"],
}}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = _flag("GONGKAI_SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# The default keeps each message in <data dir>/outbox/, encrypted under the field key (mailfile.py).
EMAIL_BACKEND = os.environ.get("GONGKAI_EMAIL_BACKEND", "gongkai.mailfile.EncryptedFileEmailBackend")
# Whether mail leaves this machine: the default file backend (and Django's console, file, memory and
# dummy backends) only keep it here, so the portal must not tell an applicant it was sent
# (applications/mailing.py). GONGKAI_MAIL_DELIVERS=1/0 overrides for a backend not listed.
_LOCAL_EMAIL_BACKENDS = {
    "gongkai.mailfile.EncryptedFileEmailBackend", "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.console.EmailBackend", "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
}
GONGKAI_MAIL_DELIVERS = _flag("GONGKAI_MAIL_DELIVERS", EMAIL_BACKEND not in _LOCAL_EMAIL_BACKENDS)
EMAIL_FILE_PATH = DATA_DIR / "outbox"
EMAIL_HOST = os.environ.get("GONGKAI_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("GONGKAI_EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("GONGKAI_EMAIL_FROM", "gongkai@localhost")
EMAIL_HOST_USER = os.environ.get("GONGKAI_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("GONGKAI_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _flag("GONGKAI_EMAIL_USE_TLS")
EMAIL_USE_SSL = _flag("GONGKAI_EMAIL_USE_SSL")
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("GONGKAI_EMAIL_USE_TLS（STARTTLS，通常端口587）和 GONGKAI_EMAIL_USE_SSL（通常端口465）只能设置一个。")
# A mail server that does not answer must not hold a sender for long (refused mail is tried again: mailing.py).
EMAIL_TIMEOUT = int(os.environ.get("GONGKAI_EMAIL_TIMEOUT", "10"))
# Background work runs on Django's tasks framework (the django-tasks backport until Django 6): its
# database backend keeps the queue in this same database, so a task enqueued in a transaction
# exists exactly when that transaction commits. `gongkai db_worker` runs them (started beside the
# server by `gongkai up`; its own service in production, docs/operations.md).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Working-day convention (《政府信息公开条例》第33条 "自收到申请之日起20个工作日内").
# Whether the day of receipt counts is not settled by the text (spec: UNCONFIRMED), so it is
# a setting. Default False: the first counted day is the working day after the start date.
GONGKAI_DEADLINE_COUNTS_START_DAY = _flag("GONGKAI_DEADLINE_COUNTS_START_DAY")

# Which applications count towards the 按件 monthly total (109号第四条 names no agency): "agency",
# those the charging agency received (default: its own fee for its own work); "platform", those
# to every agency on the platform.
GONGKAI_FEE_MONTH_COUNT_SCOPE = os.environ.get("GONGKAI_FEE_MONTH_COUNT_SCOPE", "agency")
if GONGKAI_FEE_MONTH_COUNT_SCOPE not in ("agency", "platform"):
    raise ImproperlyConfigured("GONGKAI_FEE_MONTH_COUNT_SCOPE 只能是 agency 或 platform。")
# The reply type a 行政查询 request is recorded as (a choice for the deployment's counsel; docs/operations.md):
# withheld_admin_query counts it in table 三（三）8 as the 2021 report format does, other in 三（六）3.
# Either way the letter answers under 条例第三十六条第（七）项, not as a 第十四～十六条 withholding.
GONGKAI_ADMIN_QUERY_REPLY = os.environ.get("GONGKAI_ADMIN_QUERY_REPLY", "withheld_admin_query")
if GONGKAI_ADMIN_QUERY_REPLY not in ("withheld_admin_query", "other"):
    raise ImproperlyConfigured("GONGKAI_ADMIN_QUERY_REPLY 只能是 withheld_admin_query 或 other。")
# Whether an outstanding fee notice suspends the reply period (spec §1.4: UNCONFIRMED).
GONGKAI_FEE_NOTICE_PAUSES_CLOCK = os.environ.get("GONGKAI_FEE_NOTICE_PAUSES_CLOCK", "1").lower() not in {"0", "false", "no", "off"}

# The format of the 2020 annual report: "2019" (国办公开办函〔2019〕60号 trial format, default) or "2021"
# (〔2021〕30号). Which one applied is UNCONFIRMED in the spec; see docs/reports.md.
GONGKAI_REPORT_FORMAT_2020 = os.environ.get("GONGKAI_REPORT_FORMAT_2020", "2019")
# Two agencies' narrative sections at or above this difflib ratio (names and numbers taken out) are
# flagged as 内容雷同 on the filing page (国办公开办函〔2021〕30号).
GONGKAI_NARRATIVE_SIMILARITY = float(os.environ.get("GONGKAI_NARRATIVE_SIMILARITY", "0.85"))
# The portal's public address (https://gk.example.gov.cn): letters print links to published items with it.
GONGKAI_PUBLIC_URL = os.environ.get("GONGKAI_PUBLIC_URL", "")


def _webauthn_relying_party(public_url: str, trusted_origins: list[str], environ) -> tuple[str, list[str]]:
    """Security keys (django-otp-webauthn): the host name a key is bound to (the relying party id)
    and the addresses whose pages may use it. A key registered under one id never works under
    another, so the id comes from the portal's stable public address, not from each request's
    Host. Unset, it is localhost, where a development server on any port may use keys."""
    public = urlsplit(public_url or (trusted_origins[0] if trusted_origins else ""))
    rp_id = environ.get("GONGKAI_WEBAUTHN_RP_ID", "").strip() or public.hostname or "localhost"
    listed = [o.strip().rstrip("/") for o in environ.get("GONGKAI_WEBAUTHN_ORIGINS", "").split(",") if o.strip()]
    if not listed:
        listed = [o.rstrip("/") for o in trusted_origins]
        if public.scheme and public.netloc:
            listed.insert(0, f"{public.scheme}://{public.netloc}")
        # Browsers offer keys to HTTPS pages only; a plain-HTTP intranet address is left out rather
        # than stopping the start (the library's check refuses such an origin), and keys stay
        # unavailable there. An origin listed by hand is kept, so that the check names the mistake.
        listed = [o for o in listed if o.startswith("https://")] or ([] if rp_id == "localhost" else [f"https://{rp_id}"])
    if rp_id == "localhost":
        # The library wants at least one; accounts/security_keys.py adds the development server's own
        # address (http://localhost:<port>) on localhost only.
        listed.append("http://localhost")
    return rp_id, list(dict.fromkeys(listed))


OTP_WEBAUTHN_RP_ID, OTP_WEBAUTHN_ALLOWED_ORIGINS = _webauthn_relying_party(GONGKAI_PUBLIC_URL, CSRF_TRUSTED_ORIGINS, os.environ)
OTP_WEBAUTHN_RP_NAME = os.environ.get("GONGKAI_WEBAUTHN_RP_NAME", "") or os.environ.get("GONGKAI_SITE_NAME", "政府信息公开平台")
# A key is a second factor after the password, never a sign-in by itself: every staff sign-in goes
# through the password step, its lockout and its audit rows (docs/security.md).
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
# Registration, removal and use of a key are audited (accounts/security_keys.py).
OTP_WEBAUTHN_HELPER_CLASS = "gongkai.accounts.security_keys.AuditedWebAuthnHelper"
# Chinese for the library's browser-side messages (it ships no zh-hans catalogue).
LOCALE_PATHS = [BASE_DIR / "accounts" / "locale"]

# How applicants pay the 信息处理费, per agency code ("*" for any other), as JSON:
# {"*": {"payee": "清河县财政局", "bank": "…", "account": "…", "reference": "信息处理费及查询码"}}
# or {"<code>": {"place": "县政务服务中心3号窗口"}} to pay in person. Unset: in person at the office.
GONGKAI_FEE_PAYMENT = json.loads(os.environ.get("GONGKAI_FEE_PAYMENT", "{}") or "{}")
# An agency's electronic seal image (letters/style.py): embedded in every issued letter, so small.
GONGKAI_SEAL_MAX_BYTES = int(os.environ.get("GONGKAI_SEAL_MAX_KB", "512")) * 1024

# 索引号 layout (目录系统实施指引: 前段码/年份-流水号). Local variants exist, so it is a setting.
GONGKAI_INDEX_NUMBER_FORMAT = os.environ.get("GONGKAI_INDEX_NUMBER_FORMAT", "{code}/{year}-{serial:05d}")
# Virus scanning of uploads through clamd (virusscan.py): "unix:/run/clamav/clamd.ctl" or
# "tcp:127.0.0.1:3310"; empty scans nothing.
GONGKAI_CLAMD = os.environ.get("GONGKAI_CLAMD", "")
GONGKAI_CLAMD_TIMEOUT = float(os.environ.get("GONGKAI_CLAMD_TIMEOUT", "30"))
GONGKAI_ATTACHMENT_MAX_BYTES = int(os.environ.get("GONGKAI_ATTACHMENT_MAX_MB", "20")) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# An item file uploaded on the staff desk (信息导入): larger files go through `gongkai import items`.
GONGKAI_IMPORT_UPLOAD_MAX_BYTES = int(os.environ.get("GONGKAI_IMPORT_UPLOAD_MAX_MB", "50")) * 1024 * 1024
# Reading an uploaded document's text (disclosure/attachments.py) runs in a child process with these
# limits; a document over them is refused with a Chinese message.
GONGKAI_EXTRACT_SECONDS = int(os.environ.get("GONGKAI_EXTRACT_SECONDS", "20"))
GONGKAI_EXTRACT_MEMORY_MB = int(os.environ.get("GONGKAI_EXTRACT_MEMORY_MB", "1024"))
GONGKAI_EXTRACT_MAX_UNPACKED_MB = int(os.environ.get("GONGKAI_EXTRACT_MAX_UNPACKED_MB", "100"))
GONGKAI_EXTRACT_MAX_PARAGRAPHS = int(os.environ.get("GONGKAI_EXTRACT_MAX_PARAGRAPHS", "50000"))
# The public application form (and a 补正 sent through the status page): files per request and
# their total size, so that one anonymous request cannot fill the disk.
GONGKAI_APPLY_MAX_FILES = int(os.environ.get("GONGKAI_APPLY_MAX_FILES", "5"))
GONGKAI_APPLY_MAX_TOTAL_BYTES = int(os.environ.get("GONGKAI_APPLY_MAX_TOTAL_MB", "20")) * 1024 * 1024

# Functions run, in the creating transaction, for every new agency. Keeps orgs independent of the
# apps that give an agency its defaults (the disclosure catalogue today).
GONGKAI_AGENCY_SETUP = ["gongkai.disclosure.catalogue.ensure_catalogue"]
GONGKAI_AGENCY_VISIBILITY_CHANGED = ["gongkai.disclosure.search_sync.agency_visibility_changed"]
# Run after an administrator enters or withdraws a holiday notice: open cases get new due dates.
GONGKAI_CALENDAR_CHANGED = ["gongkai.applications.clockkeeping.recompute_open_clocks",
                            "gongkai.enquiries.services.recompute_open_deadlines"]
# Cards on the workspace dashboard from apps the staff app does not import (staff/views/home.py).
GONGKAI_DASHBOARD_PANELS = ["gongkai.reports.filing.views.dashboard_panel"]
# Facts other apps add to what an annual report's draft knows of the agency's year
# (reports/rendering/records.py): callables (agency, year, *, rollup) -> {Records field: value}.
GONGKAI_REPORT_RECORD_SOURCES = ["gongkai.supervision.workplans.report_facts"]
# Link checking of published items (supervision/links.py): seconds per request, requests per
# second at most, and whether addresses on private networks may be requested (off: no SSRF).
GONGKAI_LINK_CHECK_TIMEOUT = float(os.environ.get("GONGKAI_LINK_CHECK_TIMEOUT", "10"))
GONGKAI_LINK_CHECK_PER_SECOND = float(os.environ.get("GONGKAI_LINK_CHECK_PER_SECOND", "2"))
GONGKAI_LINK_CHECK_ALLOW_PRIVATE = os.environ.get("GONGKAI_LINK_CHECK_ALLOW_PRIVATE", "") == "1"
# The crawl of the portal's own pages (supervision/site_crawl.py): where it starts (its sitemap) and
# how many pages it reads per run; same timeout, rate and private-network rule as the link check.
GONGKAI_SITE_CRAWL_URL = os.environ.get("GONGKAI_SITE_CRAWL_URL", "") or GONGKAI_PUBLIC_URL
GONGKAI_SITE_CRAWL_MAX_PAGES = int(os.environ.get("GONGKAI_SITE_CRAWL_MAX_PAGES", "500"))

GONGKAI_SITE_NAME = os.environ.get("GONGKAI_SITE_NAME", "政府信息公开平台")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("GONGKAI_LOG_LEVEL", "WARNING")},
    # Refused requests (403/404) are normal traffic on a public portal, not warnings.
    "loggers": {"django.request": {"level": os.environ.get("GONGKAI_REQUEST_LOG_LEVEL", "ERROR")}},
}

# Daily monitoring (电子监察, docs/supervision.md). Column update cadences by catalogue code,
# (amount, "days" | "months"), from the 2019 website indicators (国办秘函〔2019〕19号): 动态 two weeks,
# 政策文件 six months; 人事/规划 one year is UNCONFIRMED. A column's own ColumnCadence row wins.
GONGKAI_COLUMN_CADENCE = {
    "gzdt": (14, "days"), "zcwj": (6, "months"), "rsxx": (12, "months"), "ghjh": (12, "months"),
}
# 解读 published with its policy document or at most this many working days later (local rules of
# 辽宁, 郑州; UNCONFIRMED as a national figure).
GONGKAI_INTERPRETATION_WORKING_DAYS = int(os.environ.get("GONGKAI_INTERPRETATION_WORKING_DAYS", "3"))
# 回应关切 (舆情回应) limits in hours from the moment a concern surfaced: for a major or sudden event
# authoritative information within 5 hours and a press conference within 24; any other concern
# answered within 48 hours. National guidance as summarised in spec supervision.md §6 (the seeds
# name 国办发〔2016〕61号); UNCONFIRMED against the text itself, hence settings.
GONGKAI_CONCERN_RESPONSE_HOURS = {
    "major": int(os.environ.get("GONGKAI_CONCERN_MAJOR_HOURS", "5")),
    "general": int(os.environ.get("GONGKAI_CONCERN_GENERAL_HOURS", "48")),
}
GONGKAI_CONCERN_PRESS_CONFERENCE_HOURS = int(os.environ.get("GONGKAI_CONCERN_PRESS_CONFERENCE_HOURS", "24"))
# How far back a monitoring run looks for events (late publications, late 补正 notices).
GONGKAI_MONITOR_WINDOW_DAYS = int(os.environ.get("GONGKAI_MONITOR_WINDOW_DAYS", "365"))
