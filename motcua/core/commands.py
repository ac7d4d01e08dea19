"""Management commands' help in the active language."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext


class TranslatedHelp:
    """A command's ``help`` read in the active language each time it is asked for.

    argparse formats the description with regular expressions, which a lazy translation cannot go
    through; this gives it plain text. Mark the message with ``gettext_noop`` so the catalogue has it.
    """

    def __init__(self, message: str) -> None:
        self.message = message

    def __get__(self, instance: Any, owner: Any = None) -> str:
        return gettext(self.message)
