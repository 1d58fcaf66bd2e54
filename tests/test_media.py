"""The photo pipeline: what residents upload, and what is stored of it (only clean pixels)."""

from __future__ import annotations

import io
import os
import re
import struct
import time
import zlib
from datetime import timedelta

import pytest
from PIL import Image, ImageCms

from participatie import media

GRENZEN = {"max_bytes": 15 * 1024 * 1024, "max_pixels": 50_000_000}
GEEN_FOTO = "Dit bestand is geen foto. Kies een foto (JPG, PNG, WebP of HEIC)."
KAPOT = ("Deze foto is beschadigd of niet helemaal verstuurd. "
         "Kies de foto opnieuw of maak een nieuwe foto.")
NAAM = re.compile(r"[0-9a-f]{32}\.jpg")

ROOD, BLAUW, GROEN, WIT = (220, 20, 20), (20, 20, 220), (20, 180, 20), (255, 255, 255)


def _bytes(beeld: Image.Image, formaat: str, **opties) -> bytes:
    uit = io.BytesIO()
    beeld.save(uit, formaat, **opties)
    return uit.getvalue()


def _links_rood_rechts_blauw(breedte: int, hoogte: int) -> Image.Image:
    beeld = Image.new("RGB", (breedte, hoogte), BLAUW)
    beeld.paste(ROOD, (0, 0, breedte // 2, hoogte))
    return beeld


def _telefoon_exif(orientatie: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "Apple"  # Make
    exif[0x0110] = "iPhone 13 van Jan"  # Model
    exif[0x0131] = "Camera 17.1"  # Software
    exif[0x0112] = orientatie
    exif[0x8825] = {1: "N", 2: (52.0, 15.0, 57.0), 3: "E", 4: (6.0, 47.0, 35.0)}  # GPS
    return exif


def _opgeslagen(media_dir, naam: str) -> Image.Image:
    beeld = Image.open(media.pad(media_dir, naam))
    beeld.load()
    return beeld


def _jpeg_markers(data: bytes) -> list[int]:
    """The segment markers of a JPEG up to the image data (APPn, COM, DQT, ...)."""
    markers, positie = [], 2
    while positie < len(data):
        marker = data[positie + 1]
        markers.append(marker)
        if marker == 0xDA:  # start of scan: the pixels follow
            break
        positie += 2 + struct.unpack(">H", data[positie + 2 : positie + 4])[0]
    return markers


def _assert_schoon(media_dir, naam: str) -> None:
    beeld = _opgeslagen(media_dir, naam)
    assert beeld.format == "JPEG"
    assert beeld.mode == "RGB"
    assert dict(beeld.getexif()) == {}
    assert not {"exif", "icc_profile", "xmp", "comment", "photoshop"} & beeld.info.keys()
    data = media.pad(media_dir, naam).read_bytes()
    # Only JFIF's APP0 may be there: no APP1 (EXIF/XMP), APP2 (ICC), COM or any other APPn.
    verboden = {m for m in _jpeg_markers(data) if 0xE1 <= m <= 0xEF or m == 0xFE}
    assert verboden == set()
    for spoor in (b"Apple", b"iPhone", b"Camera 17.1", b"geheim", b"xmpmeta", b"sRGB"):
        assert spoor not in data


def _png_met_afmetingen(breedte: int, hoogte: int) -> bytes:
    """A PNG of a few dozen bytes that claims to be breedte x hoogte pixels."""

    def chunk(soort: bytes, inhoud: bytes) -> bytes:
        crc = zlib.crc32(soort + inhoud)
        return struct.pack(">I", len(inhoud)) + soort + inhoud + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", breedte, hoogte, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 1024)) + chunk(b"IEND", b""))


def _bestanden(media_dir) -> list[str]:
    map_ = media_dir / "fotos"
    return sorted(os.listdir(map_)) if map_.exists() else []


def test_telefoonfoto_verliest_gps_en_toestel_en_komt_rechtop(tmp_path):
    # Orientation 6: the camera was held upright, the sensor stored the picture lying down.
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    upload = _bytes(
        _links_rood_rechts_blauw(640, 480), "JPEG", quality=95, exif=_telefoon_exif(6),
        icc_profile=icc, xmp=b"<x:xmpmeta>geheim</x:xmpmeta>", comment=b"geheim",
    )
    assert Image.open(io.BytesIO(upload)).getexif()[0x8825]  # the upload does carry GPS

    foto = media.verwerk(upload, tmp_path, **GRENZEN)

    assert (foto.breedte, foto.hoogte) == (480, 640)
    _assert_schoon(tmp_path, foto.bestand)
    _assert_schoon(tmp_path, foto.thumbnail)
    opgeslagen = _opgeslagen(tmp_path, foto.bestand)
    assert opgeslagen.size == (480, 640)
    # Turned a quarter clockwise: what was on the left is now at the top.
    assert _lijkt_op(opgeslagen.getpixel((240, 100)), ROOD)
    assert _lijkt_op(opgeslagen.getpixel((240, 540)), BLAUW)
    assert _opgeslagen(tmp_path, foto.thumbnail).size == (300, 400)


def _lijkt_op(kleur: tuple[int, ...], verwacht: tuple[int, int, int]) -> bool:
    return all(abs(a - b) <= 12 for a, b in zip(kleur, verwacht, strict=True))


def test_doorzichtige_png_krijgt_een_witte_achtergrond(tmp_path):
    beeld = Image.new("RGBA", (300, 200), (0, 0, 0, 0))
    beeld.paste((*GROEN, 255), (150, 0, 300, 200))

    foto = media.verwerk(_bytes(beeld, "PNG"), tmp_path, **GRENZEN)

    opgeslagen = _opgeslagen(tmp_path, foto.bestand)
    assert (foto.breedte, foto.hoogte) == opgeslagen.size == (300, 200)
    assert _lijkt_op(opgeslagen.getpixel((50, 100)), WIT)
    assert _lijkt_op(opgeslagen.getpixel((250, 100)), GROEN)
    _assert_schoon(tmp_path, foto.bestand)


def test_png_met_palet_en_doorzichtige_kleur(tmp_path):
    beeld = Image.new("P", (120, 80), 0)
    beeld.putpalette([0, 0, 0, *GROEN])
    beeld.paste(1, (60, 0, 120, 80))

    foto = media.verwerk(_bytes(beeld, "PNG", transparency=0), tmp_path, **GRENZEN)

    opgeslagen = _opgeslagen(tmp_path, foto.bestand)
    assert _lijkt_op(opgeslagen.getpixel((20, 40)), WIT)
    assert _lijkt_op(opgeslagen.getpixel((100, 40)), GROEN)


def test_webp_wordt_een_schone_jpeg(tmp_path):
    upload = _bytes(_links_rood_rechts_blauw(300, 200), "WEBP", exif=_telefoon_exif())

    foto = media.verwerk(upload, tmp_path, **GRENZEN)

    assert (foto.breedte, foto.hoogte) == (300, 200)
    _assert_schoon(tmp_path, foto.bestand)
    assert _lijkt_op(_opgeslagen(tmp_path, foto.bestand).getpixel((50, 100)), ROOD)


def test_heic_van_een_iphone(tmp_path):
    # libheif turns the picture upright itself; we must not turn it a second time.
    upload = _bytes(_links_rood_rechts_blauw(64, 48), "HEIF", exif=_telefoon_exif(6).tobytes())
    assert Image.open(io.BytesIO(upload)).format == "HEIF"

    foto = media.verwerk(upload, tmp_path, **GRENZEN)

    assert (foto.breedte, foto.hoogte) == (48, 64)
    opgeslagen = _opgeslagen(tmp_path, foto.bestand)
    assert _lijkt_op(opgeslagen.getpixel((24, 8)), ROOD)
    assert _lijkt_op(opgeslagen.getpixel((24, 56)), BLAUW)
    _assert_schoon(tmp_path, foto.bestand)


def test_foto_met_kapotte_exif_wordt_toch_opgeslagen(tmp_path):
    # Some editing apps write EXIF that is not valid; the pixels are fine, so we take the photo.
    goed = _bytes(_links_rood_rechts_blauw(60, 40), "JPEG")
    kapot_exif = b"Exif\x00\x00XXXX"
    upload = (goed[:2] + b"\xff\xe1" + struct.pack(">H", len(kapot_exif) + 2) + kapot_exif
              + goed[2:])

    foto = media.verwerk(upload, tmp_path, **GRENZEN)

    assert (foto.breedte, foto.hoogte) == (60, 40)
    _assert_schoon(tmp_path, foto.bestand)


def test_jpeg_met_meerdere_beelden_en_cmyk_jpeg(tmp_path):
    # Some phones store a depth map as a second picture (MPO); print shops use CMYK.
    mpo = _bytes(Image.new("RGB", (80, 60), ROOD), "MPO", save_all=True,
                 append_images=[Image.new("RGB", (80, 60), BLAUW)])
    cmyk = _bytes(Image.new("CMYK", (80, 60), (0, 255, 255, 0)), "JPEG")

    for upload in (mpo, cmyk):
        foto = media.verwerk(upload, tmp_path, **GRENZEN)
        assert (foto.breedte, foto.hoogte) == (80, 60)
        _assert_schoon(tmp_path, foto.bestand)


def test_grote_foto_wordt_verkleind_met_thumbnail(tmp_path):
    camera = _bytes(_links_rood_rechts_blauw(4000, 3000), "JPEG", quality=80)

    foto = media.verwerk(camera, tmp_path, **GRENZEN)

    # libjpeg halves 4000x3000 while decoding; we keep 2000 rather than resample to 2048.
    assert (foto.breedte, foto.hoogte) == (2000, 1500)
    assert _opgeslagen(tmp_path, foto.bestand).size == (2000, 1500)
    assert _opgeslagen(tmp_path, foto.thumbnail).size == (400, 300)


def test_grote_png_wordt_precies_2048_breed(tmp_path):
    scherm = _bytes(_links_rood_rechts_blauw(2600, 1950), "PNG", compress_level=1)

    foto = media.verwerk(scherm, tmp_path, **GRENZEN)

    assert (foto.breedte, foto.hoogte) == (2048, 1536)
    assert _opgeslagen(tmp_path, foto.thumbnail).size == (400, 300)


def test_kleine_foto_wordt_niet_vergroot(tmp_path):
    foto = media.verwerk(_bytes(Image.new("RGB", (320, 90), ROOD), "JPEG"), tmp_path, **GRENZEN)

    assert (foto.breedte, foto.hoogte) == (320, 90)
    assert _opgeslagen(tmp_path, foto.thumbnail).size == (320, 90)


def test_foto_uit_een_geopend_bestand(tmp_path):
    bron = tmp_path / "IMG_0001.JPG"
    bron.write_bytes(_bytes(Image.new("RGB", (200, 100), ROOD), "JPEG"))

    with bron.open("rb") as upload:
        foto = media.verwerk(upload, tmp_path, **GRENZEN)

    assert (foto.breedte, foto.hoogte) == (200, 100)
    assert _bestanden(tmp_path) == sorted([foto.bestand, foto.thumbnail])


def test_namen_zijn_willekeurig_en_lang(tmp_path):
    upload = _bytes(Image.new("RGB", (40, 30), ROOD), "JPEG")

    fotos = [media.verwerk(upload, tmp_path, **GRENZEN) for _ in range(3)]

    namen = [naam for foto in fotos for naam in (foto.bestand, foto.thumbnail)]
    assert len(set(namen)) == 6
    assert all(NAAM.fullmatch(naam) for naam in namen)
    # Nothing else is left in the folder: no temporary files of the atomic writes.
    assert _bestanden(tmp_path) == sorted(namen)


@pytest.mark.parametrize(
    ("upload", "melding"),
    [
        pytest.param(b"Boodschappen: melk, brood, kaas\n" * 20, GEEN_FOTO, id="tekst-als-jpg"),
        pytest.param(_bytes(Image.new("P", (40, 30)), "GIF"), GEEN_FOTO, id="gif"),
        pytest.param(_bytes(Image.new("RGB", (40, 30)), "BMP"), GEEN_FOTO, id="bmp"),
        pytest.param(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", GEEN_FOTO, id="pdf"),
        pytest.param(b"\xff\xd8\xff\xe0\x00\x10JFIF", KAPOT, id="alleen-het-begin"),
        pytest.param(b"", "Dit bestand is leeg. Kies een foto (JPG, PNG, WebP of HEIC).",
                     id="leeg"),
    ],
)
def test_wat_geen_foto_is_wordt_geweigerd(tmp_path, upload, melding):
    with pytest.raises(media.FotoFout) as fout:
        media.verwerk(upload, tmp_path, **GRENZEN)

    assert str(fout.value) == melding
    assert _bestanden(tmp_path) == []


def test_afgebroken_upload_wordt_geweigerd(tmp_path):
    beeld = Image.effect_noise((400, 300), 60).convert("RGB")
    heel = _bytes(beeld, "JPEG", quality=90)

    for upload in (heel[: len(heel) // 2], _bytes(beeld, "PNG")[:3000],
                   _bytes(beeld, "WEBP")[:2000]):
        with pytest.raises(media.FotoFout) as fout:
            media.verwerk(upload, tmp_path, **GRENZEN)
        assert str(fout.value) == KAPOT
    assert _bestanden(tmp_path) == []


def test_te_groot_bestand_wordt_geweigerd_met_de_grootte(tmp_path):
    upload = _bytes(Image.new("RGB", (40, 30)), "JPEG") + b"\x00" * (1536 * 1024)
    melding = "Deze foto is te groot (1,5 MB). Een foto mag maximaal 1 MB zijn."

    for vorm in (upload, io.BytesIO(upload)):
        with pytest.raises(media.FotoFout) as fout:
            media.verwerk(vorm, tmp_path, max_bytes=1024 * 1024, max_pixels=10_000_000)
        assert str(fout.value) == melding
    assert _bestanden(tmp_path) == []


@pytest.mark.parametrize(
    ("breedte", "hoogte", "max_pixels", "melding"),
    [
        # Over our own limit, checked on the header before decoding.
        (8000, 8000, 50_000_000, "Deze foto heeft te veel beeldpunten (64 miljoen). Een foto "
         "mag maximaal 50 miljoen beeldpunten hebben. Kies een kleinere foto."),
        # Pillow warns (a possible decompression bomb) ...
        (12000, 12000, 10**9, "Deze foto heeft te veel beeldpunten. Een foto mag maximaal "
         "1000 miljoen beeldpunten hebben. Kies een kleinere foto."),
        # ... and refuses outright.
        (30000, 30000, 10**10, "Deze foto heeft te veel beeldpunten. Een foto mag maximaal "
         "10000 miljoen beeldpunten hebben. Kies een kleinere foto."),
    ],
)
def test_decompressiebom_wordt_geweigerd(tmp_path, breedte, hoogte, max_pixels, melding):
    bom = _png_met_afmetingen(breedte, hoogte)
    assert len(bom) < 200

    with pytest.raises(media.FotoFout) as fout:
        media.verwerk(bom, tmp_path, max_bytes=10**6, max_pixels=max_pixels)

    assert str(fout.value) == melding
    assert _bestanden(tmp_path) == []


def test_geen_half_paar_als_de_thumbnail_niet_geschreven_kan_worden(tmp_path, monkeypatch):
    schrijf = media._schrijf
    pogingen = []

    def schijf_vol_bij_de_thumbnail(map_, beeld, **opties):
        pogingen.append(beeld.size)
        if len(pogingen) == 2:
            raise OSError(28, "No space left on device")
        return schrijf(map_, beeld, **opties)

    monkeypatch.setattr(media, "_schrijf", schijf_vol_bij_de_thumbnail)
    upload = _bytes(Image.new("RGB", (800, 600), ROOD), "JPEG")

    with pytest.raises(OSError, match="No space left"):
        media.verwerk(upload, tmp_path, **GRENZEN)

    assert pogingen == [(800, 600), (400, 300)]
    assert _bestanden(tmp_path) == []


def test_pad_kent_alleen_namen_van_verwerk(tmp_path):
    foto = media.verwerk(_bytes(Image.new("RGB", (40, 30)), "JPEG"), tmp_path, **GRENZEN)

    assert media.pad(tmp_path, foto.bestand) == tmp_path / "fotos" / foto.bestand
    assert media.pad(str(tmp_path), foto.bestand).read_bytes().startswith(b"\xff\xd8")
    for naam in ("../etc/passwd", "/etc/passwd", "../" + foto.bestand, foto.bestand + "/..",
                 foto.bestand.upper(), foto.bestand[:-4] + ".png", "a" * 31 + ".jpg",
                 foto.bestand + "\n", "", ".upload-abc"):
        with pytest.raises(ValueError):
            media.pad(tmp_path, naam)


def test_verwijder_haalt_bestanden_weg_en_ontbrekende_zijn_geen_probleem(tmp_path):
    foto = media.verwerk(_bytes(Image.new("RGB", (40, 30)), "JPEG"), tmp_path, **GRENZEN)

    with pytest.raises(ValueError):
        media.verwijder(tmp_path, foto.bestand, "../geheim.txt")
    assert _bestanden(tmp_path) == sorted([foto.bestand, foto.thumbnail])

    media.verwijder(tmp_path, foto.bestand, foto.thumbnail)
    assert _bestanden(tmp_path) == []
    media.verwijder(tmp_path, foto.bestand, foto.thumbnail)
    media.verwijder(tmp_path / "bestaat-niet", foto.bestand)


def test_opruimen_haalt_alleen_oude_losse_bestanden_weg(tmp_path):
    upload = _bytes(Image.new("RGB", (40, 30)), "JPEG")
    bewaard = media.verwerk(upload, tmp_path, **GRENZEN)
    los_oud = media.verwerk(upload, tmp_path, **GRENZEN)
    los_nieuw = media.verwerk(upload, tmp_path, **GRENZEN)
    map_ = tmp_path / "fotos"
    (map_ / "leesmij.txt").write_text("niet van ons")
    (map_ / ".upload-k3j4h5").write_bytes(b"\xff\xd8 half geschreven")
    twee_dagen_geleden = time.time() - 2 * 24 * 3600
    for naam in (bewaard.bestand, bewaard.thumbnail, los_oud.bestand, los_oud.thumbnail,
                 "leesmij.txt", ".upload-k3j4h5"):
        os.utime(map_ / naam, (twee_dagen_geleden, twee_dagen_geleden))

    weg = media.opruimen(tmp_path, {bewaard.bestand, bewaard.thumbnail}, timedelta(days=1))

    assert weg == sorted([los_oud.bestand, los_oud.thumbnail])
    assert _bestanden(tmp_path) == sorted([bewaard.bestand, bewaard.thumbnail, los_nieuw.bestand,
                                           los_nieuw.thumbnail, "leesmij.txt"])
    assert media.opruimen(tmp_path / "leeg", [], timedelta(0)) == []


def test_accept_noemt_de_formaten_die_we_nemen():
    soorten = media.ACCEPT.split(",")

    assert {"image/jpeg", "image/png", "image/webp", "image/heic", "image/heif"} <= set(soorten)
    assert {".heic", ".heif"} <= set(soorten)
    assert "image/gif" not in soorten
