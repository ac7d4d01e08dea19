import datetime as dt

import pypdfium2

from motcua.dossiers.papers import render_paper, render_register
from motcua.dossiers.tests import factories as f
from motcua.dossiers.tests.test_papers_helpers import full_walk, refused, stopped


def _png(pdf, name):
    doc = pypdfium2.PdfDocument(pdf)
    for i in range(len(doc)):
        doc[i].render(scale=110 / 72).to_pil().save(f"/tmp/papers/{name}-{i + 1}.png")
    open(f"/tmp/papers/{name}.pdf", "wb").write(pdf)


def test_scratch(w, clock):
    w.commune.address = "Số 1 Lê Lợi, phường Mỹ Bình"
    w.commune.save()
    for year, start in (("2018", f.at(2024, 7, 15, 9, 5)), ("2025", f.at(2025, 10, 15, 9, 5))):
        walk = full_walk(w, clock, start)
        for form in ("receipt", "supplement", "apology", "control"):
            _png(render_paper(walk.dossier, form, now=walk.returned), f"{year}-{form}")
        _png(render_paper(refused(w, clock, start + dt.timedelta(days=7)), "refusal"), f"{year}-refusal")
        if year == "2025":
            _png(render_paper(stopped(w, clock, start + dt.timedelta(days=8)), "stop"), f"{year}-stop")
        _png(render_register(w.commune, start.date(), start.date() + dt.timedelta(days=30)), f"{year}-register")
