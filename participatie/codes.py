"""Letter codes that residents type from paper: stemcodes now, survey codes later.

A code is ``lengte`` random symbols followed by one check symbol, shown in groups of four for
reading aloud: ``K7M4-H9XP-T`` (eight symbols, then the check symbol on its own). Only the
HMAC of the normalised code is stored (:func:`hash_code`), so a database dump reveals no code.

The alphabet
    ``ALFABET`` has 19 symbols: ``3 4 6 7 9 A C D E F H K M N P R T W X``. Left out, because
    people mix them up on paper or on a screen: the rounds 0, O and Q (D stays, the only round
    symbol), the strokes 1, I, L and J, 2/Z, 5/S, 8/B, G (looks like 6), U/V, and Y (V/Y in
    handwriting, and Dutch readers say "ij" for Y). No two of the 19 look alike. Nineteen is
    a prime, which is what makes the check symbol provably catch the common typos (below).
    Eight random symbols give 19**8, about 1.7e10 codes: with 50,000 codes out in a round a
    guess hits one in about 340,000 tries, and guessing is rate-limited besides.

Typing
    :func:`normaliseer` upper-cases and drops spaces, dashes and dots, so ``k7m4 h9xp t`` and
    ``K7M4.H9XP.T`` both work. Characters that cannot occur are mapped to the one symbol they
    are most likely meant as when there is exactly one such symbol: O, Q and 0 to D (the only
    round symbol), G to 6. Those mappings are safe: if the guess is wrong it is a single
    substitution, which the check symbol always catches. Every other foreign character (1, I,
    L, J, 2, Z, 5, S, 8, B, U, V, Y, punctuation) has no single likely meaning and is refused
    with a message that names it.

The check symbol
    With symbols read as their index in ``ALFABET`` (``v1 .. vn``) and the check symbol as
    ``c``, a code is valid when ``1*v1 + 2*v2 + ... + n*vn + (n+1)*c`` is divisible by 19.
    A single substitution at position i changes the sum by ``i * d`` with ``0 < i < 19`` and
    ``0 < |d| < 19``; swapping neighbours a, b changes it by ``(b - a)``. Since 19 is prime
    neither product can be a multiple of 19, so every single substitution and every swap of
    two neighbours (in fact every swap of any two positions) is caught, as long as the code
    has at most 18 symbols including the check symbol (``lengte <= 17``).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

ALFABET = "34679ACDEFHKMNPRTWX"
MODULUS = len(ALFABET)  # 19, a prime: see the module docstring
LENGTE = 8
GROEP = 4
MAX_LENGTE = MODULUS - 2  # n data symbols plus one check symbol need n + 1 distinct weights < 19

_WAARDE = {teken: i for i, teken in enumerate(ALFABET)}
# Look-alikes with exactly one likely meaning in ALFABET; the check symbol guards the guess.
_VERWARRING = {"O": "D", "Q": "D", "0": "D", "G": "6"}
_WEG = str.maketrans("", "", " \t\r\n\u00a0-\u2010\u2011\u2012\u2013\u2014\u2212.")


class CodeFout(ValueError):
    """A typed code that cannot be right; ``str(fout)`` is a Dutch sentence for the resident."""


def _controleteken(tekens: str) -> str:
    som = sum(gewicht * _WAARDE[teken] for gewicht, teken in enumerate(tekens, start=1))
    gewicht = len(tekens) + 1
    # Solve som + gewicht * c == 0 (mod 19) for c.
    return ALFABET[(-som * pow(gewicht, -1, MODULUS)) % MODULUS]


def _geldig(code: str) -> bool:
    som = sum(gewicht * _WAARDE[teken] for gewicht, teken in enumerate(code, start=1))
    return som % MODULUS == 0


def _controleer_lengte(lengte: int) -> None:
    if not 1 <= lengte <= MAX_LENGTE:
        raise ValueError(f"lengte must be between 1 and {MAX_LENGTE}, not {lengte}")


def maak_code(lengte: int = LENGTE) -> str:
    """A fresh random code of ``lengte`` symbols plus a check symbol, grouped for reading.

    Groups of four, then the check symbol alone: ``K7M4-H9XP-T`` for the default length.
    """
    _controleer_lengte(lengte)
    tekens = "".join(secrets.choice(ALFABET) for _ in range(lengte))
    return toon(tekens + _controleteken(tekens))


def toon(code: str) -> str:
    """A normalised code as it is printed: groups of four, a dash, the check symbol."""
    tekens, controle = code[:-1], code[-1]
    groepen = [tekens[i:i + GROEP] for i in range(0, len(tekens), GROEP)]
    return "-".join([*groepen, controle])


def normaliseer(tekst: str) -> str:
    """Upper-case, without spaces, dashes and dots, with O/Q/0 read as D and G as 6.

    Does not check anything else; :func:`controleer` does.
    """
    schoon = tekst.upper().translate(_WEG)
    return "".join(_VERWARRING.get(teken, teken) for teken in schoon)


def controleer(tekst: str, *, lengte: int = LENGTE, soort: str = "stemcode") -> str:
    """The normalised code, or :class:`CodeFout` with a Dutch message saying what is wrong.

    Checks, in this order: that something was typed, that every character can be in a code,
    the number of symbols, the check symbol. ``soort`` names the code in the messages
    ("stemcode", later "enquêtecode").
    """
    _controleer_lengte(lengte)
    code = normaliseer(tekst)
    totaal = lengte + 1
    if not code:
        raise CodeFout(f"Vul uw {soort} in. U vindt de code in de brief.")
    vreemd = [teken for teken in dict.fromkeys(code) if teken not in _WAARDE]
    if vreemd:
        getoond = ", ".join(_teken_voor_mens(teken) for teken in vreemd)
        if len(vreemd) == 1:
            raise CodeFout(
                f"Het teken {getoond} komt niet voor in een {soort}. "
                "Kijk de code in de brief nog eens na."
            )
        raise CodeFout(
            f"De tekens {getoond} komen niet voor in een {soort}. "
            "Kijk de code in de brief nog eens na."
        )
    if len(code) != totaal:
        raise CodeFout(
            f"Een {soort} heeft {totaal} tekens, zoals {_voorbeeld(lengte)}. "
            f"U typte er {len(code)}."
        )
    if not _geldig(code):
        raise CodeFout("Er zit een tikfout in de code. Kijk de tekens nog eens na.")
    return code


def hash_code(code: str, sleutel: bytes) -> str:
    """HMAC-SHA256 (hex) of the normalised code; the only form in which a code is stored.

    Normalises first, so the hash of ``"k7m4 h9xp t"`` equals that of ``"K7M4-H9XP-T"``.
    """
    if not sleutel:
        raise ValueError("an empty key would make the hash guessable")
    return hmac.new(sleutel, normaliseer(code).encode("ascii", "replace"),
                    hashlib.sha256).hexdigest()


def _teken_voor_mens(teken: str) -> str:
    if teken.isprintable() and not teken.isspace():
        return f"‘{teken}’"
    return f"U+{ord(teken):04X}"


def _voorbeeld(lengte: int) -> str:
    tekens = ("K7M4H9XP" + ALFABET)[:lengte]
    return toon(tekens + _controleteken(tekens))
