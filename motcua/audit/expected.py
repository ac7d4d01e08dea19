"""Which streams must exist, and how long each must be, according to the objects they describe.

The log alone cannot notice a stream deleted together with its head. The app that owns the objects
knows better: every dossier is at ``version`` N after exactly N recorded events. Apps register a
source here (the audit layer may not import them); ``verify`` compares each with the heads.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

# Called with the one stream being verified, or None for all; yields (stream, expected head seq).
ExpectedStreams = Callable[[str | None], Iterable[tuple[str, int]]]

_sources: dict[str, ExpectedStreams] = {}


def register(name: str, source: ExpectedStreams) -> None:
    """Register ``source`` under ``name`` (re-registering the same name replaces it: ready() may rerun)."""
    _sources[name] = source


def expected_streams(stream: str | None = None) -> Iterable[tuple[str, int]]:
    for source in _sources.values():
        yield from source(stream)
