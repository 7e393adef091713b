"""REFI-QDA benchmark: the paths a researcher runs, beside what they would write instead.

1. Export and import of a project with 100,000 codings over 500 sources, side by side with a
   plain lxml serialisation of the same content (users, code tree, sources, one selection per
   coding, zipped with the texts) and a plain lxml parse of the same file (unzip, parse, read
   every selection's numbers): interleaved, min and median of ``--repeat`` runs, ratios against
   the target (at most 2x).
2. Import memory for one 10 MB and one 50 MB source (a long text with emoji, so Python holds
   it as four bytes a character), each in a fresh process: peak resident memory over the
   start (``VmHWM`` after resetting it, not ``ru_maxrss``, which survives ``exec``), per
   character of source text (target: under 20), beside the time, and the time the independent
   reader ``pyrefiqda`` takes to load the same file, with the ratio.

    python benchmarks/bench_refi.py [--sources 500] [--codings 100000] [--repeat 3] [--sizes 10 50]

``rows()`` gives the ratios for the table ``benchmarks/run.py`` prints.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

TARGET_RATIO = 2.0
TARGET_BYTES_PER_CHAR = 20.0
NS = "urn:QDA-XML:project:1.0"


def build(folder: Path, n_sources: int, n_codings: int):
    import somecode

    project = somecode.Project.create(folder / "refi.somecode")
    project.add_codes(somecode.Code(f"c{i}", None if i < 5 else f"c{i % 5}", f"Kode {i}") for i in range(25))
    words = "jaminan kesehatan peserta reels konten insight layanan pengaduan edukasi 👍".split()
    sources = []
    for n in range(n_sources):
        text = "\n".join(" ".join(words[(n + i + j) % len(words)] for j in range(12)) for i in range(60))
        sources.append(somecode.Source(f"s{n:03d}", "document", text + "\n", turns=()))
    project.add_sources(sources)
    per_source = n_codings // n_sources
    project.add_codings(somecode.Coding(s.id, i * 7, i * 7 + 5 + i % 11, f"c{(i + k) % 25}", f"coder{i % 3}")
                        for k, s in enumerate(sources) for i in range(per_source))
    return project


def plain_export(project, path: Path) -> None:
    """What a researcher would write: the same elements with lxml, zipped with the texts."""
    import uuid

    from lxml import etree

    q = f"{{{NS}}}"
    root = etree.Element(q + "Project", name="p", nsmap={None: NS})
    users = etree.SubElement(root, q + "Users")
    for coder in project.coders():
        etree.SubElement(users, q + "User", guid=str(uuid.uuid4()), name=coder.name or coder.id)
    codes = etree.SubElement(etree.SubElement(root, q + "CodeBook"), q + "Codes")
    made = {}
    for code in project.codes():
        made[code.id] = etree.SubElement(made.get(code.parent, codes), q + "Code", guid=str(uuid.uuid4()),
                                         name=code.label or code.id, isCodable="true")
    holder = etree.SubElement(root, q + "Sources")
    by_source: dict[str, list] = {}
    for coding in project.coding_records():
        by_source.setdefault(coding.source_id, []).append(coding)
    texts = {}
    for source in project.sources():
        source_guid = str(uuid.uuid4())
        texts[source_guid] = source.text
        element = etree.SubElement(holder, q + "TextSource", guid=source_guid, name=source.id,
                                   plainTextPath=f"internal://{source_guid}.txt")
        for c in by_source.get(source.id, []):
            selection = etree.SubElement(element, q + "PlainTextSelection", guid=str(uuid.uuid4()),
                                         startPosition=str(c.start), endPosition=str(c.end),
                                         name=source.text[c.start:c.end])
            coding = etree.SubElement(selection, q + "Coding", guid=str(uuid.uuid4()))
            etree.SubElement(coding, q + "CodeRef", targetGUID=made[c.code_id].get("guid"))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
        for source_guid, text in texts.items():
            archive.writestr(f"sources/{source_guid}.txt", text.encode("utf-8"))


def plain_import(path: Path) -> int:
    """What a researcher would write: unzip, parse, read every selection's numbers and each text."""
    from lxml import etree

    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("project.qde"))
        count = 0
        for source in root.iter(f"{{{NS}}}TextSource"):
            text = archive.read("sources/" + source.get("plainTextPath")[11:]).decode("utf-8")
            for selection in source.iter(f"{{{NS}}}PlainTextSelection"):
                start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
                count += bool(text[start:end])
    return count


def interleaved(pairs: dict, repeat: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {name: [] for name in pairs}
    for _ in range(repeat):
        for name, run in pairs.items():
            started = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - started)
    return times


def round_trip(n_sources: int, n_codings: int, repeat: int) -> list[dict]:
    from somecode.exchange import read_qdpx, write_qdpx

    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        project = build(folder, n_sources, n_codings)
        counter = iter(range(10 ** 6))
        export = interleaved({"write_qdpx": lambda: write_qdpx(project, folder / "ours.qdpx"),
                              "lxml export": lambda: plain_export(project, folder / "plain.qdpx")}, repeat)

        def ours_import():
            imported, _ = read_qdpx(folder / "ours.qdpx", folder / f"back{next(counter)}.somecode")
            assert imported.summary()["codings"] == n_codings
            imported.close()

        reading = interleaved({"read_qdpx": ours_import,
                               "lxml parse": lambda: plain_import(folder / "ours.qdpx")}, repeat)
        project.close()
    out = []
    for times, ours, theirs, what in ((export, "write_qdpx", "lxml export", "export"),
                                      (reading, "read_qdpx", "lxml parse", "import")):
        ratio = min(times[ours]) / min(times[theirs])
        out.append({"name": f"REFI-QDA {what}, {n_codings:,} codings / {n_sources} sources vs plain lxml",
                    "ours": min(times[ours]), "theirs": min(times[theirs]),
                    "ours_median": statistics.median(times[ours]), "theirs_median": statistics.median(times[theirs]),
                    "ratio": ratio, "target": TARGET_RATIO, "note": "time, min of runs"})
    return out


MEASURE = """
import sys, time
from somecode.exchange import read_qdpx
from somecode.exchange.safexml import Limits

def status(field):
    line = next(l for l in open("/proc/self/status") if l.startswith(field + ":"))
    return int(line.split()[1]) * 1024

read_qdpx(sys.argv[3], sys.argv[4])[0].close()
open("/proc/self/clear_refs", "w").write("5")
base = status("VmRSS")
started = time.perf_counter()
project, _ = read_qdpx(sys.argv[1], sys.argv[2], limits=Limits(source_bytes=300_000_000))
seconds = time.perf_counter() - started
chars = len(project.source("big").text)
project.close()
print(seconds, (status("VmHWM") - base) / chars, chars)
"""

PYREFIQDA = """
import sys, time
from pyrefiqda import RefiProject
started = time.perf_counter()
RefiProject.load(sys.argv[1], extract_dir=sys.argv[2])
print(time.perf_counter() - started)
"""


def one_big_source(folder: Path, megabytes: int) -> Path:
    """A .qdpx with one source of ``megabytes`` million characters (words, emoji, long lines)
    and 2,000 coded selections."""
    rng = random.Random(megabytes)
    words = "jaminan kesehatan peserta reels konten insight layanan pengaduan edukasi 👍".split()
    text = io.StringIO()
    size = 0
    while size < megabytes * 1_000_000:
        line = " ".join(rng.choice(words) for _ in range(rng.randint(50, 400))) + "\n"
        text.write(line)
        size += len(line)
    body = text.getvalue()[:megabytes * 1_000_000]
    source = "00000000-0000-0000-0000-0000000000aa"
    code = "00000000-0000-0000-0000-0000000000c1"
    selections = "".join(
        f'<PlainTextSelection guid="00000000-0000-0000-0000-{i:012d}" startPosition="{a}" endPosition="{a + 30}">'
        f'<Coding guid="00000000-0000-0000-0001-{i:012d}"><CodeRef targetGUID="{code}"/></Coding></PlainTextSelection>'
        for i, a in enumerate(range(0, len(body) - 40, max(1, len(body) // 2000))))
    qde = (f'<Project xmlns="{NS}" name="big" origin="bench"><Users><User guid="00000000-0000-0000-0000-0000000000f1" '
           f'name="bench"/></Users><CodeBook><Codes><Code guid="{code}" name="c" isCodable="true"/></Codes>'
           f'</CodeBook><Sources><TextSource guid="{source}" name="big" plainTextPath="internal://{source}.txt">'
           f'{selections}</TextSource></Sources></Project>')
    path = folder / f"big{megabytes}.qdpx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("project.qde", qde)
        archive.writestr(f"sources/{source}.txt", body.encode("utf-8"))
    return path


def memory(megabytes: int) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        path = one_big_source(folder, megabytes)
        small = _small(folder)
        done = subprocess.run([sys.executable, "-c", MEASURE, str(path), str(folder / "p.somecode"), str(small),
                               str(folder / "s.somecode")], capture_output=True, text=True, check=True)
        seconds, per_char, chars = (float(v) for v in done.stdout.split())
        other = subprocess.run([sys.executable, "-c", PYREFIQDA, str(path), str(folder / "x")],
                               capture_output=True, text=True)
        other_seconds = float(other.stdout) if other.returncode == 0 else float("nan")
    return {"name": f"REFI-QDA import of one {megabytes} MB source: peak bytes per character",
            "ours": per_char, "theirs": None, "ratio": per_char / TARGET_BYTES_PER_CHAR, "target": 1.0,
            "note": f"{per_char:.1f} B/char (target < {TARGET_BYTES_PER_CHAR:g}), {seconds:.2f} s for {int(chars):,} "
                    f"chars; pyrefiqda loads the same file in {other_seconds:.2f} s "
                    f"(ratio {seconds / other_seconds:.2f}x)"}


def _small(folder: Path) -> Path:
    path = folder / "small.qdpx"
    big = one_big_source(folder, 1)
    big.rename(path)
    return path


def rows(sources: int = 500, codings: int = 100_000, repeat: int = 3, sizes=(10, 50)) -> list[dict]:
    """Every ratio this benchmark measures, for the table of ``benchmarks/run.py``."""
    return round_trip(sources, codings, repeat) + [memory(size) for size in sizes]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=500)
    parser.add_argument("--codings", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sizes", type=int, nargs="*", default=[10, 50])
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = parser.parse_args()
    table = rows(args.sources, args.codings, args.repeat, args.sizes)
    if args.json:
        print(json.dumps(table, indent=1))
        return 0
    print(f"bench_refi ({time.strftime('%Y-%m-%d %H:%M')})")
    for row in table:
        met = "met" if row["ratio"] <= row["target"] else "MISSED"
        if row["theirs"] is not None:
            print(f"  {row['name']}\n      ours {row['ours']:.2f} s (median {row['ours_median']:.2f}), theirs "
                  f"{row['theirs']:.2f} s (median {row['theirs_median']:.2f}): {row['ratio']:.2f}x, target "
                  f"<= {row['target']:g}x: {met}")
        else:
            print(f"  {row['name']}\n      {row['note']}: {met}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
