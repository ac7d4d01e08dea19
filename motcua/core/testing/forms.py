"""Find every form a front door renders, the way a browser would: crawl its pages and read the HTML.

Used by the fuzz tests of the office and the portal: a form added later is covered as soon as a page
shows it, with no list to keep up to date. A form is known by where it posts and its fields' names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.test import Client
from django.urls import Resolver404, resolve

# Prefixed action forms ("approve-expected_version", "finish_step-12-note") share their fields' meaning.
_PREFIX = re.compile(r"^[a-z_]+(?:-\d+)?-")


@dataclass
class Field:
    name: str
    kind: str  # the input's type ("text", "number", "date", "checkbox"…), "textarea" or "select"
    value: str = ""
    options: list[str] = field(default_factory=list)
    checked: bool = False

    @property
    def bare(self) -> str:
        """The name without the action form's prefix."""
        return _PREFIX.sub("", self.name)

    @property
    def is_boolean(self) -> bool:
        """A lone tick box: any value means "ticked", so no value of it is bad."""
        return self.kind == "checkbox" and self.value in ("", "on")


@dataclass
class Form:
    page: str
    action: str
    method: str
    multipart: bool
    fields: list[Field] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)

    @property
    def route(self) -> str:
        """Where it posts, by URL name and the arguments that choose the form (not the dossier)."""
        match = resolve(urlsplit(self.action).path)
        kept = {k: v for k, v in match.kwargs.items() if k in ("action", "form")}
        return f"{match.view_name}{kept or ''}"

    @property
    def identity(self) -> tuple[str, str, tuple[str, ...]]:
        """Numbered fields (a checklist's "doc_12", "file_12") count as one kind of field."""
        return self.route, self.method, tuple(sorted({re.sub(r"\d+", "N", f.bare) for f in self.fields}))


class _Reader(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None
        self._option: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            method = a.get("method", "get").lower()
            multipart = a.get("enctype", "") == "multipart/form-data"
            self._form = Form(self.page, a.get("action") or self.page, method, multipart)
            self.forms.append(self._form)
        elif self._form is None or (not a.get("name") and tag != "option"):
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "image", "button", "reset"):
                self._form.buttons.append((a["name"], a.get("value", "")))
            else:
                self._form.fields.append(Field(a["name"], kind, a.get("value", ""), checked="checked" in a))
        elif tag == "button" and a.get("type", "submit") == "submit":
            self._form.buttons.append((a["name"], a.get("value", "")))
        elif tag == "textarea":
            self._textarea = Field(a["name"], "textarea")
            self._form.fields.append(self._textarea)
        elif tag == "select":
            self._select = Field(a["name"], "select")
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._option = a.get("value", "")
            self._select.options.append(self._option)
            if "selected" in a:
                self._select.value = self._option

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def read_page(page: str, html: str) -> tuple[list[Form], list[str]]:
    reader = _Reader(page)
    reader.feed(html)
    return reader.forms, reader.links


def route_of(url: str) -> str | None:
    """``namespace:name`` of a local URL, or None for outside links and anchors."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    try:
        return resolve(parts.path).view_name
    except Resolver404:
        return None


@dataclass
class Crawl:
    forms: dict[tuple[str, str, tuple[str, ...]], Form] = field(default_factory=dict)
    visited_routes: set[str] = field(default_factory=set)


def crawl(
    client: Client,
    start: Iterable[str],
    *,
    namespaces: set[str],
    skip_routes: set[str],
    fill: dict[str, str],
    limit: int = 80,
    found: Crawl | None = None,
) -> Crawl:
    """Pages reachable from ``start`` inside ``namespaces``, their forms (first of each identity) and routes.

    GET forms are also submitted once with their values (``fill`` by field name) to reach result pages.
    """
    result = found or Crawl()
    queue, seen = list(start), set[str]()
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        route = route_of(url)
        if route is None or route.split(":")[0] not in namespaces or route in skip_routes:
            continue
        response = client.get(url)
        result.visited_routes.add(route)
        if "text/html" not in response.get("Content-Type", ""):
            continue
        forms, links = read_page(url, response.content.decode())
        queue.extend(link.split("#")[0] for link in links)
        for form in forms:
            target = route_of(form.action)
            if target is None or target.split(":")[0] not in namespaces:
                continue
            result.forms.setdefault(form.identity, form)
            result.visited_routes.add(target)  # a form's target is reached by submitting it
            if form.method == "get":
                query = urlencode([(k, v) for k, v in base_values(form, fill).items() if isinstance(v, str)])
                queue.append(f"{urlsplit(form.action).path}?{query}")
    return result


def base_values(form: Form, fill: dict[str, str]) -> dict[str, Any]:
    """What a careful user would send: ``fill`` by bare name, else the rendered value or first option;
    every tick box ticked, the first submit button pressed."""
    values: dict[str, Any] = {}
    for f in form.fields:
        if f.kind in ("checkbox", "radio"):
            if f.kind == "radio" and f.name in values and not f.checked:
                continue
            if f.kind == "checkbox" and not f.is_boolean:
                values.setdefault(f.name, []).append(f.value)
            else:
                values[f.name] = f.value or "on"
        elif f.kind == "file":
            continue
        elif f.bare in fill:
            values[f.name] = fill[f.bare]
        elif f.kind == "select":
            values[f.name] = f.value or next((o for o in f.options if o), "")
        else:
            values[f.name] = f.value
    if form.buttons:
        name, value = form.buttons[0]
        values[name] = value
    return values
