"""The second way in, for organisations and people without VNeID: a one-time code sent by e-mail or SMS.

An account signed in this way has identity level none (its details are declared, not proven), and an
account that has signed in through VNeID never accepts a code (motcua.accounts.citizens). The code
lives only in the session, as an HMAC, with its expiry and the number of tries; the e-mail or SMS is
sent from the view, outside any transaction, and nothing is kept when it cannot be sent. The code itself
is never logged: only the kind of failure, and the phone number masked.
"""

from __future__ import annotations

import logging
import secrets
import smtplib
import time
from typing import Any

from django import forms
from django.conf import settings
from django.core.mail import send_mail
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from motcua.accounts.citizens import ONE_TIME_CODE, AccountRefused, code_account, record_code_signin, register_by_code
from motcua.accounts.models import Citizen, Sex
from motcua.core import phones
from motcua.core.bounds import EARLIEST_BIRTH, BoundedDate, BoundedText, column_limit
from motcua.core.ids import validate_national_id
from motcua.core.masking import mask_phone
from motcua.core.throttle import Limit
from motcua.integrations.notify import sms
from motcua.portal.signin import failure_page, signed_in, throttled

logger = logging.getLogger(__name__)
CODE_KEY = "motcua_signin_code"
VERIFIED_KEY = "motcua_signin_verified"
CODE_SECONDS = 600
MAX_TRIES = 5
# Codes sent to one address: enough for a typo or two, too few to flood someone's mailbox.
MAILS_PER_ADDRESS = Limit("citizen-code-mail", 3, 900)
# The same for a phone: each SMS costs the agency and wakes someone up.
SMS_PER_PHONE = Limit("citizen-code-sms", 3, 900)
EMAIL, SMS = "email", "sms"

_REFUSED = _(
    "Không đăng nhập bằng mã được cho tài khoản này (tài khoản đăng nhập bằng VNeID, hoặc nhiều tài khoản "
    "dùng chung địa chỉ thư). Vui lòng đăng nhập bằng VNeID hoặc liên hệ Bộ phận một cửa."
)


class EmailForm(forms.Form):
    email = forms.EmailField(label=_("Thư điện tử"), max_length=column_limit(Citizen, "email"))


_NOT_MOBILE = _("Số điện thoại di động gồm 10 chữ số, bắt đầu bằng 03, 05, 07, 08 hoặc 09.")


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("Số điện thoại di động"),
        max_length=20,
        error_messages={"max_length": _NOT_MOBILE},
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )

    def clean_phone(self) -> str:
        number = phones.national(self.cleaned_data["phone"])
        if number is None:
            raise forms.ValidationError(_NOT_MOBILE)
        return number


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Mã đăng nhập (6 chữ số)"),
        regex=r"^[0-9]{6}$",
        max_length=6,
        error_messages={"invalid": _("Mã gồm đúng 6 chữ số.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class RegisterForm(forms.Form):
    full_name = BoundedText(
        label=_("Họ và tên người đại diện"), max_length=column_limit(Citizen, "full_name"), letters=True, required=True
    )
    national_id = forms.CharField(label=_("Số định danh cá nhân"), max_length=12)
    birth_date = BoundedDate(label=_("Ngày sinh"), low=EARLIEST_BIRTH, high=EARLIEST_BIRTH)
    sex = forms.ChoiceField(label=_("Giới tính"), choices=Sex.choices)
    phone = forms.RegexField(
        label=_("Điện thoại"),
        regex=r"^\+?[0-9]{9,15}$",
        max_length=16,
        required=False,
        error_messages={"invalid": _("Số điện thoại gồm 9 đến 15 chữ số.")},
    )
    address = BoundedText(label=_("Địa chỉ"), max_length=column_limit(Citizen, "address"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["birth_date"].high = timezone.localdate()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if {"national_id", "birth_date", "sex"} <= data.keys():
            try:
                validate_national_id(data["national_id"], birth_date=data["birth_date"], sex=data["sex"])
            except forms.ValidationError as error:
                self.add_error("national_id", error)
        return data


def _digest(address: str, code: str) -> str:
    return salted_hmac("motcua.portal.signin_code", f"{address.casefold()}|{code}", algorithm="sha256").hexdigest()


def _page(request: HttpRequest, form: forms.Form, step: str, status: int = 200) -> HttpResponse:
    return render(request, "portal/signin_code.html", {"form": form, "step": step}, status=status)


def _refusal(request: HttpRequest, form: forms.Form, step: str, limit: Limit, too_many: str) -> HttpResponse | None:
    """The page to answer instead of sending a code: the form again, or too many tries from this client or
    to this address (``form``'s only field)."""
    if request.method != "POST" or not form.is_valid():
        return _page(request, form, step, 400 if form.is_bound else 200)
    refusal = throttled(request)
    if refusal is not None:
        return refusal
    if limit.hit(form.cleaned_data[step].casefold()) > limit.attempts:
        return failure_page(request, too_many, status=429)
    return None


def request_code(request: HttpRequest) -> HttpResponse:
    form = EmailForm(request.POST or None)
    too_many = gettext("Đã gửi nhiều mã tới địa chỉ này. Vui lòng chờ 15 phút.")
    refusal = _refusal(request, form, "email", MAILS_PER_ADDRESS, too_many)
    if refusal is not None:
        return refusal
    email = form.cleaned_data["email"]
    code = _new_code()
    body = gettext(
        "Mã đăng nhập dịch vụ công của bạn là %(code)s, dùng được trong %(minutes)d phút. "
        "Nếu bạn không yêu cầu mã này, hãy bỏ qua thư."
    ) % {"code": code, "minutes": CODE_SECONDS // 60}
    try:
        send_mail(gettext("Mã đăng nhập dịch vụ công"), body, settings.DEFAULT_FROM_EMAIL, [email])
    except (smtplib.SMTPException, OSError) as error:
        logger.warning("sign-in code not sent: %s", type(error).__name__)
        return failure_page(request, gettext("Không gửi được thư. Vui lòng thử lại sau."), status=503)
    return _sent(request, EMAIL, email, code)


def request_sms_code(request: HttpRequest) -> HttpResponse:
    form = PhoneForm(request.POST or None)
    too_many = gettext("Đã gửi nhiều mã tới số này. Vui lòng chờ 15 phút.")
    refusal = _refusal(request, form, "phone", SMS_PER_PHONE, too_many)
    if refusal is not None:
        return refusal
    phone = form.cleaned_data["phone"]
    code = _new_code()
    # Folded to ASCII by the SMS client (see motcua.integrations.notify.sms).
    text = gettext("Mã đăng nhập dịch vụ công: %(code)s (dùng trong %(minutes)d phút). Không đưa mã cho ai.") % {
        "code": code,
        "minutes": CODE_SECONDS // 60,
    }
    try:
        sms.send(phone, text, ref=f"signin-{secrets.token_hex(8)}")
    except sms.CallFailed as error:
        logger.warning("sign-in code not sent by SMS to %s: %s", mask_phone(phone), error.reason)
        return failure_page(request, gettext("Không gửi được tin nhắn. Vui lòng thử lại sau."), status=503)
    return _sent(request, SMS, phone, code)


def _new_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def _sent(request: HttpRequest, channel: str, address: str, code: str) -> HttpResponse:
    request.session.pop(VERIFIED_KEY, None)
    request.session[CODE_KEY] = {
        "channel": channel,
        "address": address,
        "digest": _digest(address, code),
        "expires": time.time() + CODE_SECONDS,
        "tries": 0,
    }
    return redirect("portal:code_verify")


def verify_code(request: HttpRequest) -> HttpResponse:
    flow = request.session.get(CODE_KEY)
    if not isinstance(flow, dict) or flow["expires"] < time.time():
        request.session.pop(CODE_KEY, None)
        return failure_page(request, gettext("Mã đã hết hạn hoặc chưa được gửi. Vui lòng nhận mã mới."), status=400)
    form = CodeForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return _page(request, form, "code", 400 if form.is_bound else 200)
    if not constant_time_compare(_digest(flow["address"], form.cleaned_data["code"]), flow["digest"]):
        flow["tries"] += 1
        if flow["tries"] >= MAX_TRIES:
            request.session.pop(CODE_KEY)
            return failure_page(request, gettext("Nhập sai mã quá nhiều lần. Vui lòng nhận mã mới."), status=400)
        request.session[CODE_KEY] = flow
        form.add_error("code", gettext("Mã không đúng."))
        return _page(request, form, "code", 400)
    request.session.pop(CODE_KEY)
    try:
        citizen = code_account(flow["address"], by_phone=flow["channel"] == SMS)
    except AccountRefused:
        return failure_page(request, str(_REFUSED), status=403)
    if citizen is None:
        verified = {"channel": flow["channel"], "address": flow["address"], "until": time.time() + CODE_SECONDS}
        request.session[VERIFIED_KEY] = verified
        return redirect("portal:code_register")
    record_code_signin(request, citizen)
    return signed_in(request, citizen.user, ONE_TIME_CODE, _welcome(citizen, flow["channel"]))


def register(request: HttpRequest) -> HttpResponse:
    verified = request.session.get(VERIFIED_KEY)
    if not isinstance(verified, dict) or verified["until"] < time.time():
        request.session.pop(VERIFIED_KEY, None)
        return failure_page(request, gettext("Mã đã hết hạn hoặc chưa được gửi. Vui lòng nhận mã mới."), status=400)
    form = RegisterForm(request.POST or None)
    by_phone = verified["channel"] == SMS
    if by_phone:  # the phone is the one the code proved
        del form.fields["phone"]
    if request.method != "POST" or not form.is_valid():
        return _page(request, form, "register", 400 if form.is_bound else 200)
    contact = {"email": "", "phone": verified["address"]} if by_phone else {"email": verified["address"]}
    try:
        citizen = register_by_code(request, **contact, **form.cleaned_data, by_phone=by_phone)
    except AccountRefused:
        form.add_error(
            "national_id",
            gettext(
                "Số định danh này đã có tài khoản: hãy đăng nhập bằng VNeID hoặc bằng thư điện tử, "
                "số điện thoại của tài khoản đó."
            ),
        )
        return _page(request, form, "register", 400)
    request.session.pop(VERIFIED_KEY)
    return signed_in(request, citizen.user, ONE_TIME_CODE, _welcome(citizen, verified["channel"]))


def _welcome(citizen: Citizen, channel: str) -> str:
    if channel == SMS:
        text = gettext("Xin chào %(name)s. Bạn đã đăng nhập bằng mã gửi qua tin nhắn SMS (chưa xác thực định danh).")
    else:
        text = gettext("Xin chào %(name)s. Bạn đã đăng nhập bằng mã gửi qua thư điện tử (chưa xác thực định danh).")
    return text % {"name": citizen.full_name}
