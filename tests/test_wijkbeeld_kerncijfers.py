"""`flask gebieden kerncijfers FILE.csv`: CBS's Kerncijfers wijken en buurten as CBS
publishes them, all or nothing, a re-import replacing the year."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from participatie.extensions import db
from participatie.wijkbeeld.models import Kerncijfer

BESTAND = Path(__file__).parent / "data" / "kerncijfers_85984NED_test.csv"


def _kerncijfers() -> dict[tuple[int, str], tuple[int | None, int | None]]:
    return {(k.jaar, k.gebied_code): (k.inwoners, k.huishoudens)
            for k in db.session.scalars(select(Kerncijfer))}


def _importeer(runner, pad: Path, *extra: str):
    return runner.invoke(args=["gebieden", "kerncijfers", str(pad), *extra])


def _variant(tmp_path: Path, naam: str, vervang: dict[int, tuple[str, str]]) -> Path:
    """The test file with some lines changed: {line number: (old, new)}."""
    regels = BESTAND.read_bytes().decode("utf-8").split("\r\n")
    for nummer, (oud, nieuw) in vervang.items():
        assert oud in regels[nummer - 1]
        regels[nummer - 1] = regels[nummer - 1].replace(oud, nieuw)
    pad = tmp_path / naam
    pad.write_text("\r\n".join(regels), encoding="utf-8")
    return pad


def test_het_bestand_van_cbs_wordt_ingelezen(runner, db_session):
    uit = _importeer(runner, BESTAND)
    assert uit.exit_code == 0, uit.output
    # The year comes from CBS's table number in the name (85984NED: 2024); Enschede is
    # not ours and is left out.
    assert "Kerncijfers 2024: 8 gebieden ingelezen." in uit.output
    assert "1 gebieden uit het bestand horen niet bij deze gemeente" in uit.output
    cijfers = _kerncijfers()
    assert cijfers[(2024, "GM0164")] == (80000, 37000)
    assert cijfers[(2024, "WK016402")] == (10000, 4600)
    assert cijfers[(2024, "BU01640202")] == (2000, 900)
    assert cijfers[(2024, "BU01640204")] == (None, None)  # CBS: "." (unknown)
    assert (2024, "GM0153") not in cijfers


def test_opnieuw_inlezen_vervangt_dat_jaar(runner, db_session, tmp_path):
    assert _importeer(runner, BESTAND).exit_code == 0
    nieuw = _variant(tmp_path, "kerncijfers_2024_nieuw.csv", {5: ("   10000", "   10500")})
    uit = _importeer(runner, nieuw)
    assert uit.exit_code == 0, uit.output
    assert "8 cijfers van dat jaar vervangen" in uit.output
    assert _kerncijfers()[(2024, "WK016402")] == (10500, 4600)
    assert db.session.scalar(select(func.count()).select_from(Kerncijfer)) == 8
    # Another year stands beside it.
    ander = _variant(tmp_path, "kerncijfers_2023.csv", {5: ("   10000", "    9900")})
    assert _importeer(runner, ander).exit_code == 0
    assert _kerncijfers()[(2023, "WK016402")] == (9900, 4600)
    assert _kerncijfers()[(2024, "WK016402")] == (10500, 4600)


def test_een_fout_noemt_de_regel_en_er_wordt_niets_ingelezen(runner, db_session, tmp_path):
    assert _importeer(runner, BESTAND).exit_code == 0
    fout = _variant(tmp_path, "kerncijfers_2024.csv", {
        5: ("   10000", "   11000"), 7: ("    2500", "  2.500,5")})
    uit = _importeer(runner, fout)
    assert uit.exit_code != 0
    assert "Regel 7: AantalInwoners is '2.500,5'; dat is geen heel getal" in uit.output
    assert "Er is niets geïmporteerd." in uit.output
    # The earlier import stands, untouched by the first good lines of the bad file.
    assert _kerncijfers()[(2024, "WK016402")] == (10000, 4600)


def test_onbekende_code_komma_s_en_dubbele_regels_worden_uitgelegd(runner, db_session,
                                                                  tmp_path):
    code = _variant(tmp_path, "k_2024.csv", {6: ('"BU01640200"', '"Noord"')})
    assert "Regel 6: 'Noord' is geen CBS-code" in _importeer(runner, code).output
    dubbel = _variant(tmp_path, "d_2024.csv", {6: ("BU01640200", "BU01640202")})
    assert "Regel 8: BU01640202 stond al op regel 6." in _importeer(runner, dubbel).output
    komma = tmp_path / "komma_2024.csv"
    komma.write_text("Codering_3,AantalInwoners_5\nWK016402,10000\n", encoding="utf-8")
    assert "gescheiden door komma's" in _importeer(runner, komma).output
    kolom = tmp_path / "kolom_2024.csv"
    kolom.write_text('"Codering_3";"Mannen_6"\n"WK016402";"5000"\n', encoding="utf-8")
    assert "de kolom AantalInwoners ontbreekt" in _importeer(runner, kolom).output
    assert _kerncijfers() == {}


def test_zonder_jaar_vraagt_het_commando_erom(runner, db_session, tmp_path):
    zonder = tmp_path / "kerncijfers.csv"
    zonder.write_bytes(BESTAND.read_bytes())
    uit = _importeer(runner, zonder)
    assert uit.exit_code != 0 and "Geef het jaar op met --jaar" in uit.output
    assert _importeer(runner, zonder, "--jaar", "2022").exit_code == 0
    assert _kerncijfers()[(2022, "WK016402")] == (10000, 4600)


def test_perioden_kolom_geeft_het_jaar(runner, db_session, tmp_path):
    met = tmp_path / "kerncijfers.csv"
    met.write_text('"ID";"Perioden";"Codering_3";"AantalInwoners_5"\r\n'
                   '"1";"2021JJ00";"WK016402  ";"   9800"\r\n', encoding="utf-8")
    assert _importeer(runner, met).exit_code == 0
    assert _kerncijfers() == {(2021, "WK016402"): (9800, None)}
    assert "gaat over 2021" in _importeer(runner, met, "--jaar", "2020").output
