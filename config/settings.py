"""Settings for motcua, read from the environment (see README, "Cấu hình / Configuration")."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from config.env import ConfigError, Env

BASE_DIR = Path(__file__).resolve().parent.parent
env = Env()

DEBUG = env.boolean("DEBUG", False, "Chế độ phát triển / development mode (never in production)")
SECRET_KEY = env.required_str(
    "SECRET_KEY",
    "Khóa bí mật Django / Django secret key (required when DEBUG is off)",
    unless=DEBUG,
    fallback="insecure-development-key-do-not-use-in-production",
)
ALLOWED_HOSTS = env.strings(
    "ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"], "Tên miền được phục vụ / host names served"
)
CSRF_TRUSTED_ORIGINS = env.strings(
    "CSRF_TRUSTED_ORIGINS", [], "Origin tin cậy cho CSRF (https://…) / trusted origins behind a proxy"
)
DATA_DIR = Path(env.string("MOTCUA_DATA_DIR", str(BASE_DIR / "var"), "Thư mục dữ liệu / data directory"))
DATABASES = {
    "default": env.database(
        "DATABASE_URL",
        f"sqlite:///{DATA_DIR / 'motcua.sqlite3'}",
        "CSDL / database URL: sqlite:///path (default) or postgres://user@host:port/name",
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the worker read while the web process writes; IMMEDIATE takes the write lock at
    # BEGIN so two intakes serialise instead of failing later with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # A file, not memory: threads in concurrency and live-server tests need their own connections.
    # The pid keeps parallel runs from different checkouts or shells apart.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / f"test-{os.getpid()}.sqlite3")}
_REPLICA_HELP = "Bản sao chỉ đọc của CSDL PostgreSQL cho báo cáo (tùy chọn) / read replica for the reports (optional)"
if env.string("DATABASE_REPLICA_URL", "", _REPLICA_HELP):
    DATABASES["replica"] = env.database("DATABASE_REPLICA_URL", "", _REPLICA_HELP)
    # Tests have no replication: the alias reads the test database itself.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["motcua.core.routers.ReplicaRouter"]
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_URL = "/static/"
# WhiteNoise warns on every request when STATIC_ROOT is missing (before the first collectstatic).
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
SEED_CATALOGUE = Path(
    env.string(
        "MOTCUA_SEED_CATALOGUE",
        str(BASE_DIR / "data" / "catalogue-seed.yaml"),
        "Tệp danh mục TTHC mẫu cho lệnh demo / seed catalogue used by `manage.py demo`",
    )
)
PUBLIC_BASE_URL = env.string(
    "PUBLIC_BASE_URL", "http://127.0.0.1:8000", "Địa chỉ công khai (mã QR) / public base URL (QR codes)"
)

INSTALLED_APPS = [
    "motcua.core",
    "motcua.accounts",
    "motcua.audit",
    "motcua.workcalendar",
    "motcua.catalogue",
    "motcua.dossiers",
    "motcua.integrations",
    "motcua.reports",
    "motcua.simulation",
    "motcua.office",
    "motcua.portal",
    "motcua.api",
    "motcua.accounts.apps.SecondFactorAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks_db",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "motcua.core.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "motcua.core.middleware.VietnameseFirstLocaleMiddleware",
    "motcua.api.middleware.ApiLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "motcua.accounts.middleware.SignInPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
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
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
# Sign-in, passwords and sessions: see the "Sign-in policy" block at the end.
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "motcua.core.staticfiles.ForgivingManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True

MAILERS = {
    "default": env.mailer(
        "EMAIL_URL",
        "Máy chủ thư (smtp://user:pass@host:port) / SMTP server",
        # Off DEBUG, the host's own mail relay (Django's historical default) rather than printing
        # citizens' notifications into the logs.
        default="" if DEBUG else "smtp://localhost:25",
    )
}
DEFAULT_FROM_EMAIL = env.string(
    "DEFAULT_FROM_EMAIL", "motcua@localhost", "Địa chỉ gửi thư thông báo / sender of notification e-mails"
)

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# -- Production profile (HTTPS, HSTS, CSP): `DEBUG=false SECRET_KEY=… manage.py check --deploy` is clean
# with these defaults; README "Vận hành thật / Production" explains each variable.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.boolean("SECURE_COOKIES", not DEBUG, "Cookie chỉ qua HTTPS / HTTPS-only cookies")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_SSL_REDIRECT = env.boolean(
    "SECURE_SSL_REDIRECT", not DEBUG, "Chuyển mọi yêu cầu HTTP sang HTTPS / redirect HTTP to HTTPS"
)
SECURE_PROXY_SSL_HEADER = env.proxy_ssl_header(
    "SECURE_PROXY_SSL_HEADER",
    "Header mà reverse proxy đặt để báo HTTPS, ví dụ X-Forwarded-Proto / header the proxy sets for HTTPS",
)
SECURE_HSTS_SECONDS = env.integer(
    "SECURE_HSTS_SECONDS",
    0 if DEBUG else 31_536_000,
    "Thời gian trình duyệt chỉ dùng HTTPS (giây), 0 để tắt / HSTS max-age in seconds, 0 turns it off",
    minimum=0,
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.boolean(
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", True, "HSTS áp dụng cả tên miền con / HSTS covers subdomains"
)
SECURE_HSTS_PRELOAD = env.boolean(
    "SECURE_HSTS_PRELOAD", True, "Cho phép đưa vào danh sách HSTS preload / HSTS preload flag"
)
# No inline script or style anywhere in motcua's own pages; the admin's few carry the per-request nonce.
_CSP_POLICY = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
_CSP_REPORT_ONLY = env.boolean(
    "CSP_REPORT_ONLY",
    False,
    "CSP chỉ báo cáo, không chặn (khi thử nghiệm) / send the CSP as report-only while trialling it",
)
SECURE_CSP = {} if _CSP_REPORT_ONLY else _CSP_POLICY
SECURE_CSP_REPORT_ONLY = _CSP_POLICY if _CSP_REPORT_ONLY else {}
# Where export_audit_heads writes; production puts it where the database roles cannot write (README).
MOTCUA_AUDIT_EXPORT_DIR = Path(
    env.string(
        "MOTCUA_AUDIT_EXPORT_DIR",
        str(DATA_DIR / "audit-heads"),
        "Thư mục bản xuất đầu chuỗi nhật ký / directory of the exported audit stream heads",
    )
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_personal_data": {"()": "motcua.core.logging.MaskPersonalData"}},
    "formatters": {
        "request_line": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}", "style": "{"}
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["mask_personal_data"]},
        "request_line": {
            "class": "logging.StreamHandler",
            "formatter": "request_line",
            "filters": ["mask_personal_data"],
        },
    },
    "root": {"handlers": ["console"], "level": env.string("LOG_LEVEL", "INFO", "Mức log / log level")},
    "loggers": {
        # Django's defaults give "django" and "django.server" handlers of their own, without the mask
        # (and mail_admins would e-mail tracebacks with personal data): redefined here, they keep none
        # but ours. Granian's access log (./run serve) is set up before Django and taken over here too.
        "django": {"handlers": [], "propagate": True},
        "django.server": {"handlers": ["request_line"], "level": "INFO", "propagate": False},
        "granian.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # WeasyPrint reports every rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Time rules (DESIGN.md §5). UNCONFIRMED in law, so they are settings, not constants.
MOTCUA_COUNTER_CUTOFF = env.clock_time(
    "MOTCUA_COUNTER_CUTOFF", "15:00", "Giờ chốt nhận hồ sơ tại quầy / counter cut-off (HH:MM)"
)
MOTCUA_HOURS_PER_WORKING_DAY = env.decimal(
    "MOTCUA_HOURS_PER_WORKING_DAY", "8", "Số giờ của một ngày làm việc / working hours in one working day"
)
MOTCUA_CALENDAR_CACHE_SECONDS = env.integer(
    "MOTCUA_CALENDAR_CACHE_SECONDS",
    300,
    "Thời gian giữ lịch làm việc trong bộ nhớ (giây) / seconds a process caches a working calendar",
    minimum=0,
)
MOTCUA_FORMS_2025_FROM = env.date(
    "MOTCUA_FORMS_2025_FROM",
    "2025-09-15",
    "Ngày áp dụng mẫu TT 03/2025 / date from which the Circular 03/2025 paper set applies",
)
MOTCUA_MAX_RESCHEDULES = env.integer(
    "MOTCUA_MAX_RESCHEDULES", 1, "Số lần hẹn lại tối đa / re-appointments allowed per dossier", minimum=0
)
MOTCUA_DESK_STEP_HOURS = env.decimal(
    "MOTCUA_DESK_STEP_HOURS",
    "4",
    "Giờ làm việc của bước một cửa không có thời gian trong danh mục / "
    "working hours of a desk step the catalogue gives no time",
)
MOTCUA_LATE_RISK_HOURS = env.integer(
    "MOTCUA_LATE_RISK_HOURS",
    8,
    "Số giờ làm việc trước hạn giải quyết thì cảnh báo có nguy cơ trễ hạn / "
    "working hours before the statutory due date at which a dossier is at risk of being late",
    minimum=1,
)
# The sources give no time for the desk's check of an online dossier (RULES.md §1.2, UNCONFIRMED): one
# working day by default; the office warns two hours before it passes.
MOTCUA_ONLINE_CHECK_HOURS = env.integer(
    "MOTCUA_ONLINE_CHECK_HOURS",
    8,
    "Số giờ làm việc để bộ phận một cửa tiếp nhận hoặc từ chối hồ sơ trực tuyến / "
    "working hours for the desk to accept or refuse an online dossier",
    minimum=1,
)
MOTCUA_MAX_OPEN_FEEDBACK = env.integer(
    "MOTCUA_MAX_OPEN_FEEDBACK",
    3,
    "Số phản ánh, kiến nghị đang chờ trả lời tối đa của một công dân về một hồ sơ / "
    "open feedback one citizen may have on one dossier",
    minimum=1,
)
MOTCUA_SUPPLEMENT_EXPIRY_DAYS = env.integer(
    "MOTCUA_SUPPLEMENT_EXPIRY_DAYS",
    30,
    "Số ngày chờ bổ sung trước khi dừng hồ sơ / days an unanswered supplement request stays open",
    minimum=1,
)
MOTCUA_RATING_SCALE = env.integer(
    "MOTCUA_RATING_SCALE", 5, "Thang điểm đánh giá mức độ hài lòng / satisfaction rating scale (1..N)", minimum=2
)
# Biểu 06 cut-off (RULES.md §5, UNCONFIRMED): 0 = calendar months; 15 = a month runs from the 15th of the
# month before to the 14th (the Decree 09/2019 convention).
MOTCUA_REPORT_CUTOFF_DAY = env.integer(
    "MOTCUA_REPORT_CUTOFF_DAY",
    0,
    "Ngày chốt số liệu báo cáo (0 = theo tháng dương lịch) / report cut-off day of the month (0 = calendar months)",
    minimum=0,
)
MOTCUA_LOOKUPS_PER_MINUTE = env.integer(
    "MOTCUA_LOOKUPS_PER_MINUTE",
    30,
    "Số lần tra cứu công khai mỗi phút / public lookups per minute per address",
    minimum=1,
)
# The API's access tokens (OAuth2 client credentials): short-lived, so a deactivated client or a revoked
# scope stops working within this many seconds even for a token already issued.
MOTCUA_API_TOKEN_SECONDS = env.integer(
    "MOTCUA_API_TOKEN_SECONDS",
    600,
    "Thời hạn mã truy cập API (giây) / API access token lifetime in seconds",
    minimum=30,
)
MOTCUA_API_TOKENS_PER_MINUTE = env.integer(
    "MOTCUA_API_TOKENS_PER_MINUTE",
    20,
    "Số lần xin mã truy cập API mỗi phút cho một ứng dụng / token requests per minute per API client",
    minimum=1,
)
# Citizens sign in through VNeID (OpenID Connect). The defaults reach the local simulator that the demo
# starts (motcua/integrations/vneid/simulator.py); production sets the values VNeID registered for us.
MOTCUA_VNEID_ISSUER = env.string(
    "MOTCUA_VNEID_ISSUER",
    "http://127.0.0.1:8765",
    "Địa chỉ nhà cung cấp định danh VNeID (issuer) / VNeID OpenID Connect issuer URL",
)
MOTCUA_VNEID_CLIENT_ID = env.string(
    "MOTCUA_VNEID_CLIENT_ID", "motcua", "Mã ứng dụng đăng ký với VNeID / client_id registered with VNeID"
)
MOTCUA_VNEID_CLIENT_SECRET = env.string(
    "MOTCUA_VNEID_CLIENT_SECRET",
    "motcua-demo-secret",
    "Khóa bí mật ứng dụng với VNeID / client secret registered with VNeID",
)
MOTCUA_VNEID_TIMEOUT_SECONDS = env.integer(
    "MOTCUA_VNEID_TIMEOUT_SECONDS",
    10,
    "Thời gian chờ mỗi lần gọi VNeID (giây) / seconds to wait for each call to VNeID",
    minimum=1,
)
# Online fee payment (RULES.md §8) and the public post (§7). The defaults reach the local simulators
# (motcua/integrations/payment, motcua/integrations/post); production sets the operator's URL and keys.
MOTCUA_PAYMENT_URL = env.string(
    "MOTCUA_PAYMENT_URL", "http://127.0.0.1:8766", "Địa chỉ cổng thanh toán / payment gateway base URL"
)
MOTCUA_PAYMENT_MERCHANT = env.string(
    "MOTCUA_PAYMENT_MERCHANT", "MOTCUA", "Mã đơn vị chấp nhận thanh toán / merchant code at the gateway"
)
MOTCUA_PAYMENT_SECRET = env.string(
    "MOTCUA_PAYMENT_SECRET",
    "motcua-demo-payment-key",
    "Khóa ký HMAC-SHA256 với cổng thanh toán / HMAC-SHA256 key shared with the gateway",
)
MOTCUA_PAYMENT_TIMEOUT_SECONDS = env.integer(
    "MOTCUA_PAYMENT_TIMEOUT_SECONDS", 10, "Thời gian chờ cổng thanh toán (giây) / gateway timeout, seconds", minimum=1
)
MOTCUA_PAYMENT_RECONCILE_MINUTES = env.integer(
    "MOTCUA_PAYMENT_RECONCILE_MINUTES",
    15,
    "Hỏi lại cổng về giao dịch chờ quá số phút này / reconcile pending payments older than this",
    minimum=1,
)
# The pay page's form leads to the gateway's own page, so the CSP lets forms go there too (its origin only).
_PAYMENT_ORIGIN = urlsplit(MOTCUA_PAYMENT_URL)
_CSP_POLICY["form-action"] = [CSP.SELF, f"{_PAYMENT_ORIGIN.scheme}://{_PAYMENT_ORIGIN.netloc}"]
MOTCUA_POST_URL = env.string("MOTCUA_POST_URL", "http://127.0.0.1:8767", "Địa chỉ dịch vụ bưu chính / postal API URL")
MOTCUA_POST_SECRET = env.string(
    "MOTCUA_POST_SECRET", "motcua-demo-post-key", "Khóa ký HMAC-SHA256 với bưu điện / HMAC key shared with the post"
)
MOTCUA_POST_TIMEOUT_SECONDS = env.integer(
    "MOTCUA_POST_TIMEOUT_SECONDS", 10, "Thời gian chờ bưu điện (giây) / postal API timeout, seconds", minimum=1
)
# Notifications by SMS (a brandname gateway) and Zalo (ZNS). The defaults reach the local simulators
# (motcua/integrations/notify); production sets the operators' URLs, keys and the registered template.
MOTCUA_SMS_URL = env.string("MOTCUA_SMS_URL", "http://127.0.0.1:8781", "Địa chỉ tổng đài SMS / SMS gateway URL")
MOTCUA_SMS_SECRET = env.string(
    "MOTCUA_SMS_SECRET",
    "motcua-demo-sms-key",
    "Khóa ký HMAC-SHA256 với tổng đài SMS / HMAC key shared with the gateway",
)
MOTCUA_SMS_BRANDNAME = env.string("MOTCUA_SMS_BRANDNAME", "MOTCUA", "Tên thương hiệu gửi SMS / SMS brandname")
MOTCUA_SMS_TIMEOUT_SECONDS = env.integer(
    "MOTCUA_SMS_TIMEOUT_SECONDS", 10, "Thời gian chờ tổng đài SMS (giây) / SMS gateway timeout, seconds", minimum=1
)
MOTCUA_ZALO_URL = env.string("MOTCUA_ZALO_URL", "http://127.0.0.1:8782", "Địa chỉ API Zalo ZNS / Zalo ZNS API URL")
MOTCUA_ZALO_ACCESS_TOKEN = env.string(
    "MOTCUA_ZALO_ACCESS_TOKEN",
    "motcua-demo-zalo-token",
    "Mã truy cập Zalo Official Account / Zalo OA access token",
)
MOTCUA_ZALO_TEMPLATE_ID = env.string(
    "MOTCUA_ZALO_TEMPLATE_ID", "motcua-ho-so", "Mã mẫu tin ZNS đã đăng ký / registered ZNS template id"
)
MOTCUA_ZALO_TIMEOUT_SECONDS = env.integer(
    "MOTCUA_ZALO_TIMEOUT_SECONDS", 10, "Thời gian chờ Zalo (giây) / Zalo timeout, seconds", minimum=1
)
# The national population database (RULES.md §9.3), reached through the province's LGSP in production; the
# defaults reach the local simulator (motcua/integrations/population). The counter waits for it, so briefly.
MOTCUA_POPULATION_URL = env.string(
    "MOTCUA_POPULATION_URL",
    "http://127.0.0.1:8771",
    "Địa chỉ dịch vụ tra cứu CSDL quốc gia về dân cư / population database lookup URL",
)
MOTCUA_POPULATION_SECRET = env.string(
    "MOTCUA_POPULATION_SECRET",
    "motcua-demo-population-key",
    "Khóa ký HMAC-SHA256 với CSDL dân cư / HMAC key shared with the population database",
)
MOTCUA_POPULATION_TIMEOUT_SECONDS = env.integer(
    "MOTCUA_POPULATION_TIMEOUT_SECONDS",
    5,
    "Thời gian chờ CSDL dân cư (giây) / population database timeout, seconds",
    minimum=1,
)
MOTCUA_POPULATION_LOOKUPS_PER_MINUTE = env.integer(
    "MOTCUA_POPULATION_LOOKUPS_PER_MINUTE",
    10,
    "Số lần tra cứu CSDL dân cư mỗi phút của một người / population lookups per minute per person",
    minimum=1,
)
# The National Public Service Portal's dossier sync (RULES.md §10): the default reaches the local simulator
# (motcua/integrations/portal); production sets the portal's (or the provincial LGSP's) URL and key.
MOTCUA_PORTAL_URL = env.string(
    "MOTCUA_PORTAL_URL", "http://127.0.0.1:8770", "Địa chỉ API đồng bộ Cổng DVCQG / national portal sync API URL"
)
MOTCUA_PORTAL_SECRET = env.string(
    "MOTCUA_PORTAL_SECRET",
    "motcua-demo-portal-key",
    "Khóa ký HMAC-SHA256 với Cổng DVCQG / HMAC key shared with the national portal",
)
MOTCUA_PORTAL_TIMEOUT_SECONDS = env.integer(
    "MOTCUA_PORTAL_TIMEOUT_SECONDS", 10, "Thời gian chờ Cổng DVCQG (giây) / national portal timeout, seconds", minimum=1
)
# E-signature of electronic results (PAdES): the agency's certificate and key in a PKCS#12 file, and the
# roots a signed result must chain to. The defaults are the demo CA that ``manage.py demo_ca`` writes.
MOTCUA_ESIGN_PKCS12 = env.string(
    "MOTCUA_ESIGN_PKCS12",
    str(DATA_DIR / "esign" / "agency.p12"),
    "Tệp PKCS#12 chứng thư ký số của cơ quan / the agency's signing certificate (PKCS#12)",
)
MOTCUA_ESIGN_PASSPHRASE = env.string(
    "MOTCUA_ESIGN_PASSPHRASE", "motcua-demo-esign", "Mật khẩu tệp PKCS#12 / PKCS#12 passphrase"
)
MOTCUA_ESIGN_TRUST_ROOTS = env.strings(
    "MOTCUA_ESIGN_TRUST_ROOTS",
    [str(DATA_DIR / "esign" / "demo-root.pem")],
    "Chứng thư gốc tin cậy (PEM, phân cách bởi dấu phẩy) / trusted root certificates (PEM files, comma-separated)",
)
MOTCUA_CITIZEN_SIGNINS_PER_MINUTE = env.integer(
    "MOTCUA_CITIZEN_SIGNINS_PER_MINUTE",
    20,
    "Số lần đăng nhập của công dân mỗi phút từ một địa chỉ / citizen sign-in attempts per minute per address",
    minimum=1,
)
# Uploaded scans and result files go out only through views that check who asks; the front web server
# may send the bytes itself (Apache/lighttpd "X-Sendfile", nginx "X-Accel-Redirect" to an internal location).
MOTCUA_SENDFILE_HEADER = env.string(
    "MOTCUA_SENDFILE_HEADER",
    "",
    "Máy chủ web gửi tệp: trống, X-Sendfile hoặc X-Accel-Redirect / let the web server send files",
)
if MOTCUA_SENDFILE_HEADER not in ("", "X-Sendfile", "X-Accel-Redirect"):
    raise ConfigError(
        f"MOTCUA_SENDFILE_HEADER={MOTCUA_SENDFILE_HEADER!r}: chỉ nhận X-Sendfile hoặc X-Accel-Redirect. / "
        "Only X-Sendfile or X-Accel-Redirect."
    )
MOTCUA_SENDFILE_PREFIX = env.string(
    "MOTCUA_SENDFILE_PREFIX",
    "/_tep/",
    "Vị trí nội bộ của nginx cho X-Accel-Redirect / nginx internal location for X-Accel-Redirect",
)

# ── Sign-in policy, second factor, sessions and the shared cache (motcua/accounts/signin.py) ──
CACHES = {
    "default": env.cache(
        "CACHE_URL",
        "db://motcua_cache",
        "Bộ nhớ đệm dùng chung giữa các tiến trình (db://bảng, redis://máy:cổng/số) / shared cache",
    )
}
if not DEBUG and CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    raise ConfigError(
        "CACHE_URL=locmem:// chỉ dùng khi phát triển: mỗi tiến trình sẽ đếm riêng. / "
        "CACHE_URL=locmem:// is for development only: each process would count on its own."
    )
MOTCUA_TRUSTED_PROXIES = env.networks(
    "MOTCUA_TRUSTED_PROXIES",
    [],
    "Reverse proxy tin cậy (IP/CIDR) được đọc X-Forwarded-For / trusted reverse proxies (IP or CIDR)",
)
MOTCUA_LOGIN_ATTEMPTS = env.integer(
    "MOTCUA_LOGIN_ATTEMPTS",
    5,
    "Số lần đăng nhập sai trước khi khóa cặp tài khoản + địa chỉ / failed sign-ins before a lock-out",
    minimum=1,
)
MOTCUA_LOGIN_LOCKOUT_MINUTES = env.integer(
    "MOTCUA_LOGIN_LOCKOUT_MINUTES", 15, "Thời gian khóa đăng nhập (phút) / lock-out length in minutes", minimum=1
)
MOTCUA_2FA_ROLES = tuple(
    env.strings(
        "MOTCUA_2FA_ROLES",
        ["admin", "leader"],
        "Vai trò phải xác thực hai lớp (TOTP) / roles that must use a second factor",
    )
)
MOTCUA_PASSWORD_MIN_LENGTH = env.integer(
    "MOTCUA_PASSWORD_MIN_LENGTH", 10, "Độ dài mật khẩu tối thiểu / minimum password length", minimum=8
)
MOTCUA_SESSION_IDLE_MINUTES = env.integer(
    "MOTCUA_SESSION_IDLE_MINUTES",
    30,
    "Phiên hết hạn sau bấy nhiêu phút không thao tác / idle minutes before a session ends",
    minimum=1,
)
MOTCUA_SESSION_MAX_HOURS = env.integer(
    "MOTCUA_SESSION_MAX_HOURS",
    10,
    "Phiên dài nhất kể từ khi đăng nhập (giờ) / hours after sign-in before a session ends",
    minimum=1,
)

LOGIN_URL = "/dang-nhap/"
LOGIN_REDIRECT_URL = "/"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": MOTCUA_PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "motcua.accounts.signin.SignInPolicyBackend",  # first: refuses a locked pair before any password check
    "django.contrib.auth.backends.ModelBackend",
]
# The session row lives as long as the longest session; the idle limit is enforced per request.
SESSION_COOKIE_AGE = MOTCUA_SESSION_MAX_HOURS * 3600

AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_CACHE = "default"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = "motcua.accounts.signin.failure_limit"
AXES_COOLOFF_TIME = "motcua.accounts.signin.cool_off"
AXES_USERNAME_CALLABLE = "motcua.accounts.signin.normalised_username"
AXES_CLIENT_IP_CALLABLE = "motcua.core.throttle.client_ip"
AXES_LOCKOUT_CALLABLE = "motcua.accounts.views.locked_out"
AXES_RESET_ON_SUCCESS = True
# A locked pair waits out its lock-out; further tries neither extend it nor count.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_ENABLE_ADMIN = False  # counters live in the cache, not in axes' tables
AXES_VERBOSE = False

OTP_TOTP_ISSUER = "Một cửa"
# The admin lists TOTP devices (to delete a lost one) but never shows their secrets.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
