"""Static files storage for production: hashed, compressed names, and never a 500 for a missing manifest.

With DEBUG off, Django's manifest storage raises for any file that ``collectstatic`` has not yet
processed, which turns every page into a server error. ``./run serve`` collects on every start;
should the server be started some other way first (or with a stale manifest), pages fall back to
the unhashed name, which WhiteNoise serves from the apps' static folders (WHITENOISE_USE_FINDERS).
"""

from __future__ import annotations

import logging

from whitenoise.storage import CompressedManifestStaticFilesStorage

logger = logging.getLogger(__name__)


class ForgivingManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    _reported_missing_manifest = False

    def stored_name(self, name: str) -> str:
        try:
            return str(super().stored_name(name))
        except ValueError:
            # WhiteNoise itself probes names that do not exist, so only a missing manifest is news.
            if not self.hashed_files and not ForgivingManifestStaticFilesStorage._reported_missing_manifest:
                ForgivingManifestStaticFilesStorage._reported_missing_manifest = True
                logger.warning(
                    "No collectstatic manifest in %s: static files are served unhashed until "
                    "`./run manage collectstatic` runs (./run serve does it on every start).",
                    self.location,
                )
            return name
