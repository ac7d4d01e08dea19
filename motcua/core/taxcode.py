"""The tax code (mã số thuế, MST) of an organisation: 10 digits, or 13 for a dependent unit (branch).

Structure (Thông tư 105/2020/TT-BTC, Điều 5; unchanged from Quyết định 75/1998/QĐ-TCT): N1–N2 the
province block, N3–N9 the serial, N10 the check digit, N11–N13 (branches only) the dependent unit's
number from 001. The check digit: with weights 31, 29, 23, 19, 17, 13, 7, 5, 3 on N1–N9,
N10 = 10 − (weighted sum mod 11); a remainder that gives 10 is never issued. A 13-digit code is
written with a dash after the tenth digit ("0101234567-001"), the form kept on the dossier.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)
_SHAPE = re.compile(r"([0-9]{10})(?:-?([0-9]{3}))?", re.ASCII)


def check_digit(first_nine: str) -> int | None:
    """N10 for N1–N9, or None when no valid code has them (the remainder would need a "10")."""
    digit = 10 - sum(w * int(n) for w, n in zip(WEIGHTS, first_nine, strict=True)) % 11
    return None if digit == 10 else digit


def normalise_tax_code(value: str) -> str:
    """The code as kept ("0101234567" or "0101234567-001"), or a ValidationError saying what is wrong."""
    text = value.strip().replace(" ", "")
    match = _SHAPE.fullmatch(text)
    if match is None:
        raise ValidationError(
            _("Mã số thuế gồm 10 chữ số, hoặc 13 chữ số (dạng 0101234567-001) với đơn vị phụ thuộc."),
            code="tax_code_shape",
        )
    main, branch = match.groups()
    if check_digit(main[:9]) != int(main[9]):
        raise ValidationError(
            _("Mã số thuế %(code)s không đúng: chữ số kiểm tra (chữ số thứ 10) không khớp. Hãy kiểm tra lại."),
            code="tax_code_check",
            params={"code": main},
        )
    if branch == "000":
        raise ValidationError(_("Ba chữ số của đơn vị phụ thuộc bắt đầu từ 001."), code="tax_code_branch")
    return f"{main}-{branch}" if branch else main
