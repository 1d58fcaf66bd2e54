"""The photo pipeline: check an uploaded photo, turn it upright, strip its metadata, resize it.

An upload is untrusted until Pillow has decoded it and written it out again as a fresh JPEG.
Only the pixels survive: no EXIF (GPS, device), XMP, ICC profile or comment of the original.
Every photo becomes two files under ``<media_dir>/fotos/`` with random names: a version of at
most 2048 px on the long side and a thumbnail of at most 400 px.

`BewaardeFotos` keeps the photos of a resident's form that came back with errors, so that
nothing sent is lost (the melding form and the idea form use it).
"""

from __future__ import annotations

import logging
import os
import re
import secrets
import tempfile
import time
import typing
import warnings
from collections.abc import Callable, Collection, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from io import BytesIO
from pathlib import Path

import pillow_heif
from flask import current_app, session
from itsdangerous import BadSignature, URLSafeTimedSerializer
from PIL import Image, ImageOps, UnidentifiedImageError

pillow_heif.register_heif_opener()

log = logging.getLogger(__name__)

ACCEPT = "image/jpeg,image/png,image/webp,image/heic,image/heif,.heic,.heif"

GROOT = 2048
THUMBNAIL = 400
KWALITEIT = 82
# libjpeg can only scale by 1/2, 1/4 or 1/8 while decoding. A 12 MP phone photo (4000x3000)
# halves to 2000x1500: we keep that as it is rather than decode all 12 MP and resample them
# to 2048, which costs about three times as much for 2% more pixels on the long side.
_DRAFT_MARGE = 0.9

# Only these decoders ever see an upload; Pillow's other plugins (EPS, TIFF, ...) never do.
# A JPEG with extra pictures (phones with depth maps) opens through the JPEG plugin as MPO.
_FORMATEN = ["JPEG", "PNG", "WEBP", "HEIF"]
_JPEG = {"JPEG", "MPO"}
_NAAM = re.compile(r"[0-9a-f]{32}\.jpg")
_TMP_PREFIX = ".upload-"
_LEES_BLOK = 1024 * 1024
_HEIF_MERKEN = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs",
                b"mif1", b"msf1"}

# How long public caches may keep a photo that staff approved for the map: staff can withdraw
# the approval, and the photo must not stay visible for long after that.
PUBLIEKE_FOTO_MAX_AGE = 300

_GEEN_FOTO = "Dit bestand is geen foto. Kies een foto (JPG, PNG, WebP of HEIC)."
_LEEG = "Dit bestand is leeg. Kies een foto (JPG, PNG, WebP of HEIC)."
_KAPOT = ("Deze foto is beschadigd of niet helemaal verstuurd. "
          "Kies de foto opnieuw of maak een nieuwe foto.")
_TE_GROOT = "Deze foto is te groot ({mb} MB). Een foto mag maximaal {max_mb} MB zijn."
_TE_VEEL_PIXELS = ("Deze foto heeft te veel beeldpunten ({mp} miljoen). Een foto mag maximaal "
                   "{max_mp} miljoen beeldpunten hebben. Kies een kleinere foto.")


class FotoFout(ValueError):
    """An upload we cannot use; ``str(fout)`` is a Dutch message for the resident."""


@dataclass(frozen=True)
class VerwerkteFoto:
    bestand: str
    thumbnail: str
    breedte: int
    hoogte: int


def verwerk(
    data: bytes | typing.BinaryIO,
    media_dir: str | os.PathLike,
    *,
    max_bytes: int,
    max_pixels: int,
) -> VerwerkteFoto:
    """Check one uploaded photo and store a clean large version and a thumbnail of it.

    Raises FotoFout for anything that is not a usable JPEG, PNG, WebP or HEIC photo.
    A stream is read from its current position.
    """
    inhoud = _lees(data, max_bytes)
    groot, klein = _maak_versies(inhoud, max_pixels)

    map_ = _fotomap(media_dir)
    map_.mkdir(parents=True, exist_ok=True)
    # optimize=True (two-pass Huffman) saves ~3% on the large version for ~40% more time.
    bestand = _schrijf(map_, groot, optimize=False)
    try:
        thumbnail = _schrijf(map_, klein, optimize=True)
    except BaseException:
        verwijder(media_dir, bestand)
        raise
    return VerwerkteFoto(bestand, thumbnail, groot.width, groot.height)


def pad(media_dir: str | os.PathLike, naam: str) -> Path:
    """The path of a file that verwerk() stored; any other name raises ValueError."""
    if not isinstance(naam, str) or not _NAAM.fullmatch(naam):
        raise ValueError(f"geen fotonaam: {naam!r}")
    return _fotomap(media_dir) / naam


def als_response(media_dir: str | os.PathLike, naam: str, *, publiek: bool, max_age: int):
    """A Flask response with a stored photo; 404 for names or files that are not ours.

    Every route that serves photos (tracking page, public map, inbox, kept uploads) goes
    through here, after it has decided that the asker may see this photo.
    """
    from flask import abort, send_file

    try:
        bestand = pad(media_dir, naam)
    except ValueError:
        abort(404)
    if not bestand.is_file():
        abort(404)
    response = send_file(bestand, mimetype="image/jpeg", max_age=max_age)
    response.cache_control.public = publiek
    response.cache_control.private = not publiek
    return response


def verwijder(media_dir: str | os.PathLike, *namen: str) -> None:
    """Remove stored photo files; names that no longer exist are fine."""
    paden = [pad(media_dir, naam) for naam in namen]
    for bestand in paden:
        bestand.unlink(missing_ok=True)


def opruimen(
    media_dir: str | os.PathLike, in_gebruik: Collection[str], ouder_dan: timedelta
) -> list[str]:
    """Remove stored files older than ``ouder_dan`` that are not in ``in_gebruik``.

    Returns the names removed. Temporary files left behind by an interrupted upload are
    removed too (they are not in the returned list: they never had a name to refer to).
    """
    map_ = _fotomap(media_dir)
    if not map_.is_dir():
        return []
    houden = set(in_gebruik)
    grens = time.time() - ouder_dan.total_seconds()
    verwijderd = []
    with os.scandir(map_) as items:
        for item in items:
            foto = _NAAM.fullmatch(item.name) is not None
            if not (foto or item.name.startswith(_TMP_PREFIX)) or item.name in houden:
                continue
            try:
                if not item.is_file(follow_symlinks=False) or item.stat().st_mtime >= grens:
                    continue
                os.unlink(item.path)
            except FileNotFoundError:
                continue
            if foto:
                verwijderd.append(item.name)
    return sorted(verwijderd)


# --- Photos kept on a form with errors -------------------------------------------------

# Kept photos stay valid this long (the retention command removes unused files later).
BEWAARD_SECONDEN = 24 * 3600
_BROWSER = "fotos_browser"


@contextmanager
def weg_bij_fout(nieuw: list[VerwerkteFoto]):
    """Remove the files of this request's uploads when anything fails before the commit has
    succeeded (the database restarting, say): no file is left without its row. Photos kept
    from an earlier attempt stay, so sending the form again still has them."""
    try:
        yield
    except BaseException:
        verwijder(current_app.config["MEDIA_DIR"],
                  *[naam for f in nieuw for naam in (f.bestand, f.thumbnail)])
        raise


class BewaardeFotos:
    """The photos a resident already sent on a form that came back with errors.

    They travel in a signed hidden field that verifies only in the browser that sent them
    (a random id in its session) and only for the form `doel`, so a reference copied
    elsewhere is worthless. `al_gebruikt(namen)` answers which of these files already
    belong to something stored: those are no longer the form's to offer or to show.
    """

    def __init__(self, doel: str, al_gebruikt: Callable[[Sequence[str]], set[str]],
                 max_fotos: int) -> None:
        self.doel = doel
        self.al_gebruikt = al_gebruikt
        self.max_fotos = max_fotos

    def _signer(self, browser: str) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(current_app.config["SECRET_KEY"],
                                      salt=f"fotos:{self.doel}:{browser}")

    @staticmethod
    def _browser(*, maak: bool = False) -> str | None:
        """A random id in this browser's session, made when it first keeps a photo."""
        if maak and _BROWSER not in session:
            session[_BROWSER] = secrets.token_urlsafe(16)
        return session.get(_BROWSER)

    @property
    def te_veel(self) -> str:
        if self.max_fotos == 1:
            return ("U kunt één foto meesturen. Haal de bewaarde foto weg als u een andere "
                    "wilt sturen.")
        return f"U kunt hoogstens {self.max_fotos} foto's meesturen. Kies er minder."

    def lees(self, signed: str | None) -> list[VerwerkteFoto]:
        """The kept photos, if the signature holds, the files still exist and nothing
        stored has them yet."""
        browser = self._browser()
        if not signed or not browser:
            return []
        try:
            rijen = self._signer(browser).loads(signed, max_age=BEWAARD_SECONDEN)
            fotos = [VerwerkteFoto(*rij) for rij in rijen][:self.max_fotos]
            media_dir = current_app.config["MEDIA_DIR"]
            fotos = [f for f in fotos if pad(media_dir, f.bestand).is_file()
                     and pad(media_dir, f.thumbnail).is_file()]
        except (BadSignature, TypeError, ValueError):
            return []
        vergeven = self.al_gebruikt([n for f in fotos for n in (f.bestand, f.thumbnail)])
        return [f for f in fotos if f.bestand not in vergeven and f.thumbnail not in vergeven]

    def verwerk(self, signed: str | None, weg: Collection[str], uploads: Sequence, *,
                nieuw: list[VerwerkteFoto] | None = None
                ) -> tuple[list[VerwerkteFoto], list[str]]:
        """Kept photos minus the ones the resident removed (`weg`: file names), plus this
        request's uploads through the pipeline; and the Dutch errors about photos.

        Each upload also goes into `nieuw` as soon as its files exist (see `weg_bij_fout`).
        """
        config = current_app.config
        bewaard = self.lees(signed)
        if weg:
            weggehaald = [f for f in bewaard if f.bestand in weg]
            verwijder(config["MEDIA_DIR"], *[n for f in weggehaald
                                             for n in (f.bestand, f.thumbnail)])
            bewaard = [f for f in bewaard if f.bestand not in weg]
        uploads = [f for f in uploads if f and getattr(f, "filename", "")]
        if len(bewaard) + len(uploads) > self.max_fotos:
            return bewaard, [self.te_veel]
        fouten = []
        for upload in uploads:
            try:
                foto = verwerk(upload.stream, config["MEDIA_DIR"],
                               max_bytes=config["MAX_PHOTO_BYTES"],
                               max_pixels=config["MAX_PHOTO_PIXELS"])
            except FotoFout as fout:
                fouten.append(f"{upload.filename}: {fout}")
                continue
            if nieuw is not None:
                nieuw.append(foto)
            bewaard.append(foto)
        return bewaard, fouten

    def teken(self, fotos: Sequence[VerwerkteFoto]) -> tuple[str, list[tuple[VerwerkteFoto, str]]]:
        """The hidden field's value, and each photo with the signed name of its thumbnail
        (for the route that shows it: `als_thumbnail_response`)."""
        if not fotos:
            return "", []
        signer = self._signer(self._browser(maak=True))
        veld = signer.dumps([[f.bestand, f.thumbnail, f.breedte, f.hoogte] for f in fotos])
        return veld, [(f, signer.dumps(f.thumbnail)) for f in fotos]

    def als_thumbnail_response(self, signed: str):
        """The thumbnail of a kept photo, for the browser that sent it, until it belongs to
        something stored (from then on that thing's own rules say who may see it)."""
        from flask import abort

        browser = self._browser()
        try:
            naam = self._signer(browser).loads(signed, max_age=BEWAARD_SECONDEN) \
                if browser else None
        except BadSignature:
            naam = None
        if not isinstance(naam, str) or self.al_gebruikt([naam]):
            abort(404)
        return als_response(current_app.config["MEDIA_DIR"], naam, publiek=False, max_age=0)


def _fotomap(media_dir: str | os.PathLike) -> Path:
    return Path(media_dir) / "fotos"


def _lees(data: bytes | typing.BinaryIO, max_bytes: int) -> bytes:
    if isinstance(data, bytes | bytearray | memoryview):
        inhoud = bytes(data)
        grootte = len(inhoud)
    else:
        inhoud = data.read(max_bytes + 1) or b""
        grootte = len(inhoud)
        if grootte > max_bytes:
            # Count the rest (the request size limit bounds it) to tell the resident the size.
            while blok := data.read(_LEES_BLOK):
                grootte += len(blok)
    if grootte == 0:
        raise FotoFout(_LEEG)
    if grootte > max_bytes:
        raise FotoFout(_TE_GROOT.format(mb=_mb(grootte), max_mb=_mb(max_bytes)))
    return inhoud


def _maak_versies(inhoud: bytes, max_pixels: int) -> tuple[Image.Image, Image.Image]:
    """Decode the upload and return the clean large version and the thumbnail."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            beeld = Image.open(BytesIO(inhoud), formats=_FORMATEN)
        breedte, hoogte = beeld.size
        # Checked on the header alone, before a single pixel is decoded.
        if breedte * hoogte > max_pixels:
            raise _te_veel_pixels(breedte * hoogte, max_pixels)
        return _verklein(beeld)
    except FotoFout:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as fout:
        log.info("foto geweigerd: %s", fout)
        raise _te_veel_pixels(None, max_pixels) from None
    except UnidentifiedImageError:
        log.info("foto geweigerd: onbekend formaat")
        raise FotoFout(_KAPOT if _lijkt_op_foto(inhoud) else _GEEN_FOTO) from None
    except Exception as fout:
        # Untrusted bytes can make any decoder raise almost anything; to the resident it
        # is all the same: this file cannot be used.
        log.info("foto geweigerd: %s: %s", type(fout).__name__, fout)
        raise FotoFout(_KAPOT) from None


def _verklein(beeld: Image.Image) -> tuple[Image.Image, Image.Image]:
    if beeld.format in _JPEG:
        # Let libjpeg scale down while decoding: far less work and memory.
        breedte, hoogte = _past(beeld.size, GROOT)
        beeld.draft("RGB", (round(breedte * _DRAFT_MARGE), round(hoogte * _DRAFT_MARGE)))
    beeld.load()

    heeft_alfa = beeld.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (
        beeld.mode == "P" and "transparency" in beeld.info
    )
    modus = "RGBA" if heeft_alfa else "RGB"
    werk = beeld if beeld.mode == modus else beeld.convert(modus)
    groot = werk.resize(_past(werk.size, GROOT), Image.Resampling.LANCZOS, reducing_gap=2.0)
    # Resized before turning upright: the long side stays the same and it is less work.
    groot.info = dict(beeld.info)  # only so that exif_transpose can read the orientation
    try:
        ImageOps.exif_transpose(groot, in_place=True)
    except Exception as fout:
        # Broken EXIF with good pixels (some editing apps): better sideways than refused.
        log.info("EXIF van foto onleesbaar, niet gedraaid: %s: %s", type(fout).__name__, fout)
    if heeft_alfa:
        wit = Image.new("RGB", groot.size, "white")
        wit.paste(groot, mask=groot.getchannel("A"))
        groot = wit
    # A box-filter reduce() first, then Lanczos for the rest: sharp and quick.
    klein = groot.resize(_past(groot.size, THUMBNAIL), Image.Resampling.LANCZOS,
                         reducing_gap=1.0)
    for versie in (groot, klein):
        versie.info = {}
    return groot, klein


def _past(grootte: tuple[int, int], grens: int) -> tuple[int, int]:
    """The size that fits ``grens`` on the long side, keeping the aspect ratio; never larger."""
    breedte, hoogte = grootte
    lang = max(breedte, hoogte)
    if lang <= grens:
        return breedte, hoogte
    return max(1, round(breedte * grens / lang)), max(1, round(hoogte * grens / lang))


def _schrijf(map_: Path, beeld: Image.Image, *, optimize: bool) -> str:
    """Write a fresh JPEG under a random name, atomically; returns the name."""
    naam = secrets.token_hex(16) + ".jpg"
    fd, tijdelijk = tempfile.mkstemp(dir=map_, prefix=_TMP_PREFIX)
    try:
        with os.fdopen(fd, "wb") as uit:
            beeld.save(uit, "JPEG", quality=KWALITEIT, optimize=optimize, exif=b"")
            uit.flush()
            os.fsync(uit.fileno())
        os.chmod(tijdelijk, 0o644)
        os.replace(tijdelijk, map_ / naam)
    except BaseException:
        Path(tijdelijk).unlink(missing_ok=True)
        raise
    return naam


def _lijkt_op_foto(inhoud: bytes) -> bool:
    """Does the file start like one of the formats we take? Then it is damaged, not wrong."""
    return (
        inhoud.startswith(b"\xff\xd8\xff")
        or inhoud.startswith(b"\x89PNG\r\n\x1a\n")
        or (inhoud[:4] == b"RIFF" and inhoud[8:12] == b"WEBP")
        or (inhoud[4:8] == b"ftyp" and inhoud[8:12] in _HEIF_MERKEN)
    )


def _te_veel_pixels(aantal: int | None, max_pixels: int) -> FotoFout:
    max_mp = _getal(max_pixels / 1_000_000)
    if aantal is None:
        return FotoFout(
            "Deze foto heeft te veel beeldpunten. Een foto mag maximaal "
            f"{max_mp} miljoen beeldpunten hebben. Kies een kleinere foto."
        )
    return FotoFout(_TE_VEEL_PIXELS.format(mp=_getal(aantal / 1_000_000), max_mp=max_mp))


def _mb(aantal_bytes: int) -> str:
    return _getal(aantal_bytes / (1024 * 1024))


def _getal(waarde: float) -> str:
    """A number the Dutch way: '15', '16,2'."""
    if abs(waarde - round(waarde)) < 0.05:
        return str(round(waarde))
    return f"{waarde:.1f}".replace(".", ",")
