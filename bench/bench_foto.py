"""How fast and how lean is the photo pipeline? Prints figures for a 12 MP phone photo.

Run: .venv/bin/python bench/bench_foto.py [--runs 20]
Pins itself to one core, so the figures are per core (a server handles several at once).
Target: median at most 150 ms per photo.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from PIL import Image

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from participatie import media  # noqa: E402

BREEDTE, HOOGTE = 4000, 3000
GRENZEN = {"max_bytes": 15 * 1024 * 1024, "max_pixels": 50_000_000}

# Run in a fresh process, so the peak shows the pipeline and not the making of the test photo.
# VmHWM (peak resident set) starts afresh at exec; ru_maxrss would carry over our own peak.
GEHEUGEN = """
import re, sys, tempfile
sys.path.insert(0, sys.argv[2])
from participatie import media
def piek():
    with open("/proc/self/status") as status:
        return int(re.search(r"VmHWM:\\s+(\\d+)", status.read()).group(1))
foto = open(sys.argv[1], "rb").read()
voor = piek()
with tempfile.TemporaryDirectory() as media_dir:
    media.verwerk(foto, media_dir, max_bytes=15 * 1024 * 1024, max_pixels=50_000_000)
print(voor, piek())
"""


def telefoonfoto() -> bytes:
    """A 12 MP JPEG with detail and noise like a real photo, plus EXIF like a phone writes."""
    verloop = Image.linear_gradient("L").resize((BREEDTE, HOOGTE))
    kanalen = []
    for sigma in (50, 60, 70):
        # Coarse noise blown up gives texture like foliage or bricks; fine noise is sensor grain.
        textuur = Image.effect_noise((BREEDTE // 8, HOOGTE // 8), 80).resize(
            (BREEDTE, HOOGTE), Image.Resampling.BICUBIC
        )
        korrel = Image.effect_noise((BREEDTE, HOOGTE), sigma)
        kanalen.append(Image.blend(Image.blend(verloop, textuur, 0.6), korrel, 0.1))
    beeld = Image.merge("RGB", kanalen)
    exif = Image.Exif()
    exif[0x010F] = "Apple"  # Make
    exif[0x0110] = "iPhone 13"  # Model
    exif[0x0112] = 6  # Orientation: rotate 90 degrees
    exif[0x8825] = {1: "N", 2: (52.0, 15.0, 57.0), 3: "E", 4: (6.0, 47.0, 35.0)}  # GPS
    uit = io.BytesIO()
    beeld.save(uit, "JPEG", quality=90, exif=exif)
    return uit.getvalue()


def meet(
    foto: bytes, media_dir: str, runs: int
) -> tuple[list[float], list[float], media.VerwerkteFoto]:
    """Wall-clock and CPU milliseconds per photo, sorted. CPU time hides other load."""
    media.verwerk(foto, media_dir, **GRENZEN)  # warm-up: plugin init, page cache
    tijden, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        resultaat = media.verwerk(foto, media_dir, **GRENZEN)
        tijden.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return sorted(tijden), sorted(cpu), resultaat


def p95(tijden: list[float]) -> float:
    return tijden[min(len(tijden) - 1, round(0.95 * (len(tijden) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    kern = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {kern})
    foto = telefoonfoto()
    print(f"CPU core              : {kern} (pinned, 1 core); load {os.getloadavg()[0]:.2f}")
    print(f"input                 : {BREEDTE}x{HOOGTE} JPEG, {len(foto) / 1e6:.2f} MB, "
          "EXIF orientation 6 + GPS + make/model")

    with tempfile.TemporaryDirectory() as media_dir:
        tijden, cpu, resultaat = meet(foto, media_dir, args.runs)
        groot = media.pad(media_dir, resultaat.bestand).stat().st_size
        klein = media.pad(media_dir, resultaat.thumbnail).stat().st_size

        tracemalloc.start()
        media.verwerk(foto, media_dir, **GRENZEN)
        _, piek = tracemalloc.get_traced_memory()
        tracemalloc.stop()

        # For comparison: no DCT scaling, decode all 12 MP and resample to exactly 2048 px.
        marge = media._DRAFT_MARGE
        media._DRAFT_MARGE = 1.0
        try:
            exact, _, exact_resultaat = meet(foto, media_dir, max(3, args.runs // 4))
        finally:
            media._DRAFT_MARGE = marge

        bron = Path(media_dir) / "input.jpg"
        bron.write_bytes(foto)
        uit = subprocess.run(
            [sys.executable, "-c", GEHEUGEN, str(bron), str(PROJECT)],
            check=True, capture_output=True, text=True,
        ).stdout.split()
        rss_voor, rss_na = (int(x) / 1024 for x in uit)

    print(f"runs                  : {args.runs}")
    print(f"median                : {statistics.median(tijden):.1f} ms per photo  (target <= 150)")
    print(f"p95                   : {p95(tijden):.1f} ms per photo")
    print(f"min / max             : {tijden[0]:.1f} / {tijden[-1]:.1f} ms")
    print(f"CPU time median / p95 : {statistics.median(cpu):.1f} / {p95(cpu):.1f} ms "
          "(what the photo costs the core, whatever else runs on it)")
    print(f"large version         : {resultaat.breedte}x{resultaat.hoogte}, {groot / 1e3:.0f} kB")
    print(f"thumbnail             : {klein / 1e3:.1f} kB")
    print(f"tracemalloc peak      : {piek / 1e6:.2f} MB (Python objects only; Pillow's pixel "
          "buffers are C memory, see peak RSS)")
    print(f"peak RSS, fresh proc  : {rss_voor:.1f} MB after import + reading input, "
          f"{rss_na:.1f} MB after verwerk (+{rss_na - rss_voor:.1f} MB)")
    print(f"own process ru_maxrss : "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f} MB "
          "(includes making the 12 MP test photo)")
    print(f"for comparison, exact : {exact_resultaat.breedte}x{exact_resultaat.hoogte} "
          f"without DCT scaling: median {statistics.median(exact):.1f} ms, "
          f"p95 {p95(exact):.1f} ms ({len(exact)} runs)")


if __name__ == "__main__":
    main()
