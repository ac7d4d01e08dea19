"""Province codes in digits 1–3 of the personal identification number (số định danh cá nhân).

Source: Appendix I of Circular 07/2016/TT-BCA (kept by Circular 59/2021/TT-BCA, which replaced it):
the province or centrally-run city where the birth was REGISTERED — not where the person lives now.
The codes are the General Statistics Office province codes with a leading zero, so gaps (003, 005, …)
are real gaps, not omissions.

Names are those of the 63 provinces in force when the table was issued: an ID keeps the code of
the province of birth registration for life. The 34 provinces formed on 1 July 2025 (Resolution
202/2025/QH15, Decision 19/2025/QĐ-TTg) each kept the code of one of the merged provinces (e.g.
the new An Giang took Kiên Giang's 91), so every code a new ID can carry is already in this table.

Codes for births registered abroad (mã quốc gia) are also allowed by the circular, but the list
was not available to check: installs that meet them add them with the setting
MOTCUA_ID_EXTRA_PLACE_CODES = {"<3 digits>": "<name>"} instead of the code guessing them.
"""

from __future__ import annotations

from types import MappingProxyType

PROVINCE_CODES: MappingProxyType[str, str] = MappingProxyType(
    {
        "001": "Hà Nội",
        "002": "Hà Giang",
        "004": "Cao Bằng",
        "006": "Bắc Kạn",
        "008": "Tuyên Quang",
        "010": "Lào Cai",
        "011": "Điện Biên",
        "012": "Lai Châu",
        "014": "Sơn La",
        "015": "Yên Bái",
        "017": "Hòa Bình",
        "019": "Thái Nguyên",
        "020": "Lạng Sơn",
        "022": "Quảng Ninh",
        "024": "Bắc Giang",
        "025": "Phú Thọ",
        "026": "Vĩnh Phúc",
        "027": "Bắc Ninh",
        "030": "Hải Dương",
        "031": "Hải Phòng",
        "033": "Hưng Yên",
        "034": "Thái Bình",
        "035": "Hà Nam",
        "036": "Nam Định",
        "037": "Ninh Bình",
        "038": "Thanh Hóa",
        "040": "Nghệ An",
        "042": "Hà Tĩnh",
        "044": "Quảng Bình",
        "045": "Quảng Trị",
        "046": "Thừa Thiên Huế",
        "048": "Đà Nẵng",
        "049": "Quảng Nam",
        "051": "Quảng Ngãi",
        "052": "Bình Định",
        "054": "Phú Yên",
        "056": "Khánh Hòa",
        "058": "Ninh Thuận",
        "060": "Bình Thuận",
        "062": "Kon Tum",
        "064": "Gia Lai",
        "066": "Đắk Lắk",
        "067": "Đắk Nông",
        "068": "Lâm Đồng",
        "070": "Bình Phước",
        "072": "Tây Ninh",
        "074": "Bình Dương",
        "075": "Đồng Nai",
        "077": "Bà Rịa - Vũng Tàu",
        "079": "Hồ Chí Minh",
        "080": "Long An",
        "082": "Tiền Giang",
        "083": "Bến Tre",
        "084": "Trà Vinh",
        "086": "Vĩnh Long",
        "087": "Đồng Tháp",
        "089": "An Giang",
        "091": "Kiên Giang",
        "092": "Cần Thơ",
        "093": "Hậu Giang",
        "094": "Sóc Trăng",
        "095": "Bạc Liêu",
        "096": "Cà Mau",
    }
)
