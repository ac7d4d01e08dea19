"""Official papers of a dossier as PDF (DESIGN.md §6, FORMS.md §1): both form sets, with a QR each.

render_paper(dossier, "receipt") -> bytes          # the set follows the dossier's receipt date
render_register(agency, date_from, date_to) -> bytes
paper_set_for(received_at) -> "2018" | "2025"
forms_for("2025") -> [FormSpec(...), ...]           # number, title, purpose of each form
"""

from .control import HandOver, handovers
from .qr import status_url
from .render import dossier_set, paper_context, render_guidance, render_paper, render_register
from .sets import CIRCULARS, FormSpec, Paper, PaperUnavailable, SetId, form_spec, forms_for, paper_set_for
from .text import initials

__all__ = [
    "CIRCULARS",
    "FormSpec",
    "HandOver",
    "Paper",
    "PaperUnavailable",
    "SetId",
    "dossier_set",
    "form_spec",
    "forms_for",
    "handovers",
    "initials",
    "paper_context",
    "paper_set_for",
    "render_guidance",
    "render_paper",
    "render_register",
    "status_url",
]
