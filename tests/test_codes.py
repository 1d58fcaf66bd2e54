"""Stemcodes: residents type them from a letter; a typo is caught before any lookup."""

import random
import re

import pytest

from participatie import codes
from participatie.codes import ALFABET, CodeFout, controleer, hash_code, maak_code, normaliseer

TIKFOUT = "Er zit een tikfout in de code. Kijk de tekens nog eens na."


def _steekproef(aantal: int, lengte: int = codes.LENGTE, zaad: int = 8) -> list[str]:
    """Valid normalised codes from a seeded generator (maak_code itself uses secrets)."""
    rng = random.Random(zaad)
    uit = []
    for _ in range(aantal):
        tekens = "".join(rng.choice(ALFABET) for _ in range(lengte))
        uit.append(tekens + codes._controleteken(tekens))
    return uit


def test_alfabet_heeft_geen_tekens_die_op_elkaar_lijken():
    assert len(ALFABET) == len(set(ALFABET)) == 19
    assert all(19 % d for d in range(2, 19))  # a prime, which the check symbol relies on
    for verwarrend in "0O1IL2Z5S8BGQUVYJ":
        assert verwarrend not in ALFABET


def test_nieuwe_code_is_gegroepeerd_om_voor_te_lezen_en_geldig():
    gezien = set()
    for _ in range(500):
        code = maak_code()
        assert re.fullmatch(rf"[{ALFABET}]{{4}}-[{ALFABET}]{{4}}-[{ALFABET}]", code)
        assert controleer(code) == code.replace("-", "")
        gezien.add(code)
    assert len(gezien) == 500
    assert re.fullmatch(rf"[{ALFABET}]{{4}}-[{ALFABET}]{{2}}-[{ALFABET}]", maak_code(6))
    assert controleer(maak_code(12), lengte=12)


def test_elke_verkeerde_letter_wordt_opgemerkt():
    for code in _steekproef(300):
        for positie in range(len(code)):
            for ander in ALFABET:
                if ander == code[positie]:
                    continue
                fout = code[:positie] + ander + code[positie + 1:]
                with pytest.raises(CodeFout, match=TIKFOUT):
                    controleer(fout)


def test_elke_omwisseling_van_buren_wordt_opgemerkt():
    for lengte in (4, 8, 12, codes.MAX_LENGTE):
        for code in _steekproef(200, lengte):
            for positie in range(len(code) - 1):
                a, b = code[positie], code[positie + 1]
                if a == b:
                    continue
                fout = code[:positie] + b + a + code[positie + 2:]
                with pytest.raises(CodeFout, match=TIKFOUT):
                    controleer(fout, lengte=lengte)


def test_ook_verder_uit_elkaar_omgewisselde_tekens_worden_opgemerkt():
    for code in _steekproef(100):
        for i in range(len(code)):
            for j in range(i + 2, len(code)):
                if code[i] == code[j]:
                    continue
                fout = list(code)
                fout[i], fout[j] = fout[j], fout[i]
                with pytest.raises(CodeFout):
                    controleer("".join(fout))


def test_spaties_streepjes_punten_en_kleine_letters_tellen_niet():
    code = _steekproef(1)[0]
    getoond = codes.toon(code)
    for getypt in (getoond, code.lower(), f"  {code[:4]} {code[4:8]} {code[8]} ",
                   ".".join(code), getoond.replace("-", "–"), f"{code[:4]}\u00a0{code[4:]}"):
        assert controleer(getypt) == code


def test_o_q_en_nul_worden_d_en_g_wordt_zes():
    assert normaliseer("o0qQ-g") == "DDDD6"
    tekens = "D6D6D6D6"
    code = tekens + codes._controleteken(tekens)
    assert controleer(code.replace("D", "O").replace("6", "G")) == code


def test_duidelijke_nederlandse_meldingen():
    with pytest.raises(CodeFout, match="^Een stemcode heeft 9 tekens, zoals K7M4-H9XP-T. "
                                       "U typte er 8.$"):
        controleer("K7M4-H9XP")
    with pytest.raises(CodeFout, match="^Het teken ‘1’ komt niet voor in een stemcode."):
        controleer("K1M4-H9XP-T")
    with pytest.raises(CodeFout, match="^De tekens ‘S’, ‘Z’ komen niet voor in een stemcode"):
        controleer("KSM4-HZXP-T")
    with pytest.raises(CodeFout, match="^Vul uw stemcode in."):
        controleer(" - ")
    with pytest.raises(CodeFout, match="^Een enquêtecode heeft 7 tekens"):
        controleer("K7M4", lengte=6, soort="enquêtecode")
    assert controleer("K7M4-H9XP-T") == "K7M4H9XPT"


def test_alleen_de_hash_wordt_bewaard_en_die_hangt_af_van_de_sleutel():
    code = _steekproef(1)[0]
    sleutel = b"geheim-van-de-server"
    hash_ = hash_code(code, sleutel)
    assert re.fullmatch(r"[0-9a-f]{64}", hash_)
    assert hash_code(codes.toon(code).lower(), sleutel) == hash_
    assert hash_code(code, b"andere-sleutel") != hash_
    assert code not in hash_
    with pytest.raises(ValueError):
        hash_code(code, b"")
