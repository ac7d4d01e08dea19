"""Errors of the actions shown on the form that called them."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError


def apply_errors(form: forms.Form, exc: ValidationError | PermissionDenied) -> None:
    """Each message under the field it names when the form has that field, else above the form."""
    if isinstance(exc, PermissionDenied):
        form.add_error(None, str(exc))
        return
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def missing_requirements(exc: ValidationError) -> list[int]:
    """The requirement ids an intake checklist lacks (the action lists them with its refusal)."""
    ids: list[int] = []
    for error in getattr(exc, "error_dict", {}).get("documents", []):
        if error.code == "missing_documents" and error.params:
            ids.extend(error.params.get("ids", []))
    return ids
