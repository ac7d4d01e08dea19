"""Bad values for any form field, and the check that a front door answers them without storing anything.

Every value drawn here is bad for the field it goes to whatever the field means (a character no text may
hold, more text than any column takes, a number, date or choice out of every range), so a fuzzed form
that the base values would pass must now be refused: no 5xx, no row written, no file left behind.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import strategies as st

from .forms import Field, Form

# Characters no text field may keep: controls, invisibles, direction overrides, surrogates, private use.
REFUSED = [
    "\x00", "\x07", "\x1b", "\x7f", "\x85", "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2060",
    "\ufeff", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
    "\u061c", "\ud800", "\udfff", "\ue000", "\U000f0000", "\u2028", "\u2029", "\u3164", "\u2800",
    "\U000e0041", "\ufffd",
]  # fmt: skip
# More than the longest column (2,000 characters), under the 2.5 MB request cap.
LONGEST = 2000

letters = st.text(st.characters(categories=["L", "N", "Zs", "P"]), max_size=12)
poisoned = st.builds(lambda a, c, b: a + c + b, letters, st.sampled_from(REFUSED), st.text(max_size=12))
huge = st.builds(lambda ch, n: ch * n, st.sampled_from(["A", "ễ", "9", "x "]), st.integers(LONGEST + 1, 300_000))
numbers = st.one_of(st.integers(max_value=-1), st.integers(min_value=2**31), st.integers(10**29, 10**40)).map(
    str
) | st.sampled_from(["1e309", "NaN", "inf", "-0", "0x10", "1,5", "١٢"])
DATES = ["0001-01-01", "9999-12-31", "2024-02-30", "10000-01-01", "1899-12-31", "2100-01-01", "15/07/2024"]
MOMENTS = ["0001-01-01T00:00", "9999-12-31T23:59", "2024-07-21T03:00", "2024-07-22T03:00", "2099-06-01T09:00"]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
BAD_FILES = [
    ("scan.pdf", b"MZ\x90\x00 not a pdf"),
    ("scan.exe", PDF),
    ("scan.pdf", b""),
    ("scan", PDF),
    ("scan.png", b"\x89PNX"),
]


def bad_values(f: Field) -> st.SearchStrategy[Any]:
    """Values bad for ``f`` whatever it means; files as (name, bytes)."""
    if f.kind == "file":
        return st.sampled_from(BAD_FILES)
    common = poisoned | huge
    if f.kind in ("select", "radio", "checkbox"):
        return common | numbers.filter(lambda v: v not in f.options and v != f.value)
    if f.kind in ("number", "hidden"):
        return common | numbers
    if f.kind == "date":
        return common | st.sampled_from(DATES)
    if f.kind == "datetime-local":
        return common | st.sampled_from(MOMENTS)
    if f.kind == "email":
        return common | st.sampled_from(["a" * 250 + "@x.vn", "không-phải-thư", "a@b", "a@@example.org"])
    return common


def fuzzable(form: Form) -> list[Field]:
    """Fields whose every value can be bad: not tick boxes, not the CSRF token (the test client skips it)."""
    names: dict[str, Field] = {}
    for f in form.fields:
        if not f.is_boolean and f.name != "csrfmiddlewaretoken":
            names.setdefault(f.name, f)
    return list(names.values())


def _encode(values: dict[str, Any]) -> bytes:
    """A urlencoded body that can carry lone surrogates, as broken clients send them (UTF-8, surrogatepass)."""
    pairs = []
    for name, value in values.items():
        for one in value if isinstance(value, list) else [value]:
            pairs.append(f"{quote(name)}={quote(str(one).encode('utf-8', 'surrogatepass'))}")
    return "&".join(pairs).encode()


def submit(client: Client, form: Form, values: dict[str, Any], upload: tuple[str, bytes] | None = None) -> Any:
    path = urlsplit(form.action).path
    if form.method == "get":
        return client.get(f"{path}?{_encode(values).decode()}")
    if upload is not None:
        values = dict(values)
        field_name = values.pop("__file__")
        return client.post(path, {**values, field_name: SimpleUploadedFile(upload[0], upload[1])})
    return client.post(path, _encode(values), content_type="application/x-www-form-urlencoded")


def with_value(form: Form, base: dict[str, Any], f: Field, value: Any) -> tuple[dict[str, Any], Any]:
    values = dict(base)
    if f.kind == "file":
        values["__file__"] = f.name
        return values, value
    values[f.name] = value
    return values, None


# What writing would change: rows of the domain's tables (viewing a page logs personal-data access,
# which is no input being stored) and files under MEDIA_ROOT.
STORED_APPS = ("accounts", "catalogue", "dossiers", "workcalendar", "integrations", "reports", "api")
NOT_INPUT = {"audit.personaldataaccess"}


def stored_rows() -> dict[str, int]:
    counts = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if (model._meta.app_label in STORED_APPS or model._meta.app_label == "audit") and label not in NOT_INPUT:
            counts[label] = model._default_manager.count()
    return counts


def media_files(root: str | Path) -> set[str]:
    return {str(Path(d, name)) for d, _, names in os.walk(root) for name in names}


def all_fields(forms: list[Form]) -> Iterator[tuple[Form, Field]]:
    for form in forms:
        for f in fuzzable(form):
            yield form, f
