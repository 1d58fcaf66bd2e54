"""Exports of all responses as CSV and XLSX, streamed: one row per response, read from a
server-side cursor in batches and written out as it goes, so 250,000 responses never sit in
memory at once (Decidim's export ran out of memory there, decidim#15443).

The XLSX is written by hand as a zip over a stream (inline strings, one sheet): Python's
zipfile writes to a stream that cannot seek, with a data descriptor after each member, so
nothing but the current batch is held.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from xml.sax.saxutils import escape

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from participatie.enquetes.models import Antwoord, Enquete, Respons
from participatie.enquetes.workflow import AntwoordStatus, VraagType
from participatie.extensions import db
from participatie.gebieden.models import Buurt

BATCH = 5000
_ONLEESBAAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def kolommen(enquete: Enquete) -> list[tuple[str, int, int | None]]:
    """(heading, question id, option id) per column after respons, dag and buurt."""
    uit = []
    for nummer, vraag in enumerate(enquete.vragen, start=1):
        if vraag.type_enum == VraagType.MEER_KEUZES:
            uit += [(f"V{nummer} {vraag.tekst}: {o.tekst}", vraag.id, o.id) for o in vraag.opties]
        else:
            uit.append((f"V{nummer} {vraag.tekst}", vraag.id, None))
    return uit


def rijen(enquete: Enquete, sessie: Session) -> Iterator[list]:
    """The heading, then one list of cell values per sent response, in id order.

    `sessie` is the export's own session (see `stroom`): the answer is written after the
    request's session has ended."""
    kols = kolommen(enquete)
    yield ["respons", "verzonden_op", "buurt", *(k[0] for k in kols)]
    plaats = {(v, o): i for i, (_, v, o) in enumerate(kols)}
    labels = {o.id: o.tekst for v in enquete.vragen for o in v.opties}
    soorten = {v.id: v.type_enum for v in enquete.vragen}
    buurten = dict(sessie.execute(select(Buurt.code, Buurt.naam)).all())
    query = (
        select(Respons.id, Respons.verzonden_op, Respons.buurt_code, Antwoord.vraag_id,
               Antwoord.optie_id, Antwoord.getal, Antwoord.tekst, Antwoord.inbox_status,
               func.ST_Y(Antwoord.locatie).label("lat"), func.ST_X(Antwoord.locatie)
               .label("lon"))
        .outerjoin(Antwoord, Antwoord.respons_id == Respons.id)
        .where(Respons.enquete_id == enquete.id, Respons.verzonden_op.is_not(None))
        .order_by(Respons.id, Antwoord.id)
        .execution_options(yield_per=BATCH))
    huidig, rij = None, []
    for r in sessie.execute(query):
        if r.id != huidig:
            if huidig is not None:
                yield rij
            huidig = r.id
            rij = [r.id, r.verzonden_op.isoformat(), buurten.get(r.buurt_code, ""),
                   *([""] * len(kols))]
        if r.vraag_id is None or r.vraag_id not in soorten:
            continue
        soort = soorten[r.vraag_id]
        if soort == VraagType.MEER_KEUZES:
            rij[3 + plaats[(r.vraag_id, r.optie_id)]] = 1
            continue
        i = 3 + plaats[(r.vraag_id, None)]
        if soort == VraagType.EEN_KEUZE:
            rij[i] = labels.get(r.optie_id, "")
        elif soort == VraagType.JA_NEE:
            rij[i] = "ja" if r.getal else "nee"
        elif soort.bereik:
            rij[i] = r.getal
        elif soort == VraagType.PLEK:
            plek = f"{r.lat:.6f},{r.lon:.6f}" if r.lat is not None else ""
            rij[i] = " ".join(filter(None, [plek, r.tekst or ""]))
        elif r.inbox_status != AntwoordStatus.VERBORGEN.value:
            rij[i] = r.tekst or ""
    if huidig is not None:
        yield rij


def veilig(waarde) -> str:
    """A text cell as a spreadsheet may not read it as a formula."""
    tekst = _ONLEESBAAR.sub("", str(waarde))
    return "'" + tekst if tekst[:1] in ("=", "+", "-", "@") else tekst


def csv_stroom(enquete: Enquete, sessie: Session) -> Iterator[str]:
    uit = io.StringIO()
    schrijver = csv.writer(uit, delimiter=";")
    uit.write("\ufeff")
    for n, rij in enumerate(rijen(enquete, sessie)):
        schrijver.writerow([w if isinstance(w, int) else veilig(w) for w in rij])
        if n % 1000 == 0:
            yield uit.getvalue()
            uit.seek(0)
            uit.truncate()
    yield uit.getvalue()


class _Stroom:
    """A write-only file for zipfile: it keeps the bytes until `neem` hands them on."""

    def __init__(self) -> None:
        self.stukken: list[bytes] = []

    def write(self, data) -> int:
        self.stukken.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def neem(self) -> bytes:
        data = b"".join(self.stukken)
        self.stukken.clear()
        return data


def _kolom(i: int) -> str:
    letters = ""
    i += 1
    while i:
        i, rest = divmod(i - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cel(ref: str, waarde) -> str:
    if waarde == "" or waarde is None:
        return ""
    if isinstance(waarde, int):
        return f'<c r="{ref}"><v>{waarde}</v></c>'
    tekst = escape(_ONLEESBAAR.sub("", str(waarde)))
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{tekst}</t></is></c>'


_VAST = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
        'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
        'worksheet+xml"/></Types>'),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Antwoorden" sheetId="1" r:id="rId1"/></sheets></workbook>'),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'),
}


def xlsx_stroom(enquete: Enquete, sessie: Session) -> Iterator[bytes]:
    stroom = _Stroom()
    with zipfile.ZipFile(stroom, "w", compression=zipfile.ZIP_DEFLATED) as zip_:
        for naam, inhoud in _VAST.items():
            zip_.writestr(naam, inhoud)
        yield stroom.neem()
        with zip_.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as blad:
            blad.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                       b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                       b'2006/main"><sheetData>')
            for n, rij in enumerate(rijen(enquete, sessie), start=1):
                cellen = "".join(_cel(f"{_kolom(i)}{n}", w) for i, w in enumerate(rij))
                blad.write(f'<row r="{n}">{cellen}</row>'.encode())
                if n % 1000 == 0:
                    yield stroom.neem()
            blad.write(b"</sheetData></worksheet>")
        yield stroom.neem()
    yield stroom.neem()


def stroom(maker, enquete: Enquete) -> Iterator:
    """Run an export in a session of its own on the request's database connection or
    engine, so it needs no request or app context while the answer is being sent."""
    bind = db.session.get_bind()  # now, inside the request; the rows are read later

    def schrijf() -> Iterator:
        with Session(bind=bind) as sessie:
            yield from maker(enquete, sessie)

    return schrijf()
