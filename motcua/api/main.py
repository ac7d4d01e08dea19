"""The JSON API, version 1, at /api/v1/ (OpenAPI 3 at /api/v1/openapi.json, committed as docs/openapi.json)."""

from __future__ import annotations

from ninja import NinjaAPI

from . import catalogue, dossiers, errors, lifecycle, lookup, postal, reports, token

api = NinjaAPI(
    title="motcua API",
    version="1.0.0",
    # The committed schema is one text whatever the language of the request that built it: Vietnamese.
    description=(
        "API của hệ thống một cửa: danh mục thủ tục, hồ sơ và các thao tác xử lý, tra cứu công khai, số liệu "
        "báo cáo. Hệ thống gọi API lấy mã truy cập ở /api/v1/auth/token (OAuth2 client credentials); cán bộ "
        "đã đăng nhập dùng phiên làm việc (kèm mã CSRF khi gửi thay đổi). Thông báo lỗi theo Accept-Language."
    ),
    urls_namespace="api-v1",
    # No Swagger page: it would load its script from a CDN, which counters on closed networks cannot reach.
    docs_url=None,
)
errors.install(api)
api.add_router("/auth", token.router)
api.add_router("/catalogue", catalogue.router)
api.add_router("/dossiers", dossiers.router)
api.add_router("/dossiers", lifecycle.router)
api.add_router("/dossiers", postal.router)
api.add_router("/lookup", lookup.router)
api.add_router("/reports", reports.router)
