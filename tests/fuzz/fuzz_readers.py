"""A mutational fuzzer for every reader, importer and the codebook parser (``make fuzz``).

Seeds are real files (``../shared/transcripts/``, ``../shared/refi-qda/samples/``, the bundled
study in ``transcripts/bpjs/`` and its codebook) plus small generated ``.xlsx``/``.docx``/``.pdf``
files; a missing ``../shared`` only means fewer seeds.  Each input is a seed mutated 1-4 times
(bit flips, interesting bytes, inserted tokens, deleted or duplicated chunks, splices of two
seeds, truncation, and for zip files the same on one member, or a member dropped), read in
process with a time limit.  Any exception that is not a :class:`~somecode.SomecodeError` is a
crash: the input is written to ``tests/regressions/<reader>-<sha1>.<ext>`` (at most two per
distinct crash) and the run goes on.  ``tests/test_readers_hardened.py`` replays that folder.

    .venv/bin/python tests/fuzz/fuzz_readers.py --inputs 2000          # every reader
    .venv/bin/python tests/fuzz/fuzz_readers.py --inputs 500 --readers xlsx,pdf --seconds 60
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import hashlib
import io
import os
import random
import resource
import shutil
import signal
import sys
import tempfile
import time
import traceback
import warnings
import zipfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Callable

TESTS = Path(__file__).resolve().parents[1]
ROOT = TESTS.parent
SHARED = ROOT.parent / "shared"
STUDY = ROOT / "transcripts" / "bpjs"
REGRESSIONS = TESTS / "regressions"
sys.path[:0] = [str(TESTS), str(ROOT)]

import somecode  # noqa: E402
from somecode import SomecodeError  # noqa: E402

# ------------------------------------------------------------------ readers
# name -> (suffix of the files it reads, how to read one).  Names have no '-': regression files
# are called <name>-<sha1><suffix>.


def _first_column(path: Path) -> str:
    import csv

    try:
        head = path.read_bytes()[:4096].decode("utf-8", "replace").splitlines()[0]
        return next(csv.reader([head]))[0].strip() or "text"
    except Exception:
        return "text"


def _read_source(path: Path):
    return somecode.read_source(path)


def _read_csv(path: Path):
    return somecode.read_table(path, text_column=_first_column(path))


def _read_xlsx(path: Path):
    return somecode.read_table(path)


def _read_codebook(path: Path):
    from somecode.codebook import Codebook

    book = Codebook.load(path)
    book.save(path.with_suffix(".saved.yaml"))  # what a loaded codebook is used for must work too
    return Codebook.load(path.with_suffix(".saved.yaml")).content_hash()


def _read_study(path: Path):
    from somecode.study import _spec

    folder = path.parent / "study"
    folder.mkdir(exist_ok=True)
    shutil.copyfile(path, folder / "study.yaml")
    return _spec(folder)


_PROJECT: dict[str, object] = {}


def _study_project():
    """The bundled study built once per process; codings files are loaded into it."""
    if "p" not in _PROJECT:
        from somecode.study import build_study

        folder = Path(tempfile.mkdtemp(prefix="fuzz-study-"))
        _PROJECT["p"], _PROJECT["folder"] = build_study(STUDY, folder / "study.somecode"), folder
        atexit.register(_drop_study_project)
    return _PROJECT["p"]


def _drop_study_project() -> None:
    project, folder = _PROJECT.pop("p", None), _PROJECT.pop("folder", None)
    if project is not None:
        project.close()
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def _read_codings(path: Path):
    from somecode.project.codings_csv import load_codings_csv

    return load_codings_csv(_study_project(), path, coder="fuzz")


def _read_qdc(path: Path):
    from somecode.exchange import read_qdc

    return read_qdc(path)


def _read_qdpx(path: Path):
    from somecode.exchange import read_qdpx

    target = path.with_name("imported.somecode")
    project, _ = read_qdpx(path, target)
    project.close()
    for leftover in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
        leftover.unlink(missing_ok=True)


READERS: dict[str, tuple[str, Callable]] = {
    "md": (".md", _read_source),
    "txt": (".txt", _read_source),
    "vtt": (".vtt", _read_source),
    "srt": (".srt", _read_source),
    "docx": (".docx", _read_source),
    "pdf": (".pdf", _read_source),
    "csv": (".csv", _read_csv),
    "xlsx": (".xlsx", _read_xlsx),
    "codebook": (".yaml", _read_codebook),
    "study": (".yaml", _read_study),
    "codings": (".csv", _read_codings),
    "qdc": (".qdc", _read_qdc),
    "qdpx": (".qdpx", _read_qdpx),
    "qde": (".qde", _read_qdpx),
}
IMPORTERS = ("qdc", "qdpx", "qde")  # somecode.exchange: its crashes are reported, fixed there


def reader_of(path: Path) -> str:
    """The reader a regression file is for, from its name ``<reader>-<sha1><suffix>``."""
    return path.name.split("-", 1)[0]


def replay(path: Path) -> None:
    """Read a regression file (in a scratch copy) the way the fuzzer did."""
    name = reader_of(path)
    suffix, read = READERS[name]
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / f"input{suffix}"
        shutil.copyfile(path, copy)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            read(copy)


# -------------------------------------------------------------------- seeds
def _files(folder: Path, *patterns: str, limit: int = 400_000) -> list[bytes]:
    found = []
    for pattern in patterns:
        for path in sorted(folder.glob(pattern)) if folder.is_dir() else []:
            if path.is_file():
                found.append(path.read_bytes()[:limit])
    return found


def seeds() -> dict[str, list[bytes]]:
    """Seed inputs for each reader; those under ../shared only when it is there."""
    from makefiles import make_docx, make_pdf, make_xlsx
    from test_fuzz import SEEDS

    shared = SHARED / "transcripts"
    samples = SHARED / "refi-qda" / "samples"
    found: dict[str, list[bytes]] = {
        "md": _files(shared, "*.md") + _files(STUDY, "**/*.md") + [SEEDS[".md"]],
        "txt": _files(shared, "*.txt") + [SEEDS[".txt"], SEEDS[".md"]],
        "vtt": _files(shared, "*.vtt") + [SEEDS[".vtt"]],
        "srt": _files(shared, "*.srt") + [SEEDS[".srt"]],
        "csv": _files(shared, "*.csv", "*.tsv", limit=60_000) + _files(STUDY, "*.csv") + [SEEDS[".csv"]],
        "codebook": _files(ROOT / "codebooks", "*.yaml") + [SEEDS[".yaml"]],
        "study": _files(STUDY, "*.yaml"),
        "codings": _files(STUDY, "*.csv"),
        "qdc": _files(samples, "*.qdc") + [SEEDS[".qdc"]],
        "qdpx": [d for d in _files(samples, "*.qdpx", limit=10**8) if len(d) < 200_000],
        "qde": _files(samples, "*.qde", limit=10**8),
    }
    with tempfile.TemporaryDirectory() as scratch:
        tmp = Path(scratch)
        turns = ["Peneliti: Apa strategi kontennya?", ("Ani", ": Reels 👍 paling disukai."),
                 "Lanjutan tanpa label.", ("Budi Santoso", " Jam 12 siang.")]
        found["docx"] = [make_docx(tmp / "a.docx", turns, table=True, title="Wawancara").read_bytes(),
                         make_docx(tmp / "b.docx", ["Satu paragraf.", "Dua."]).read_bytes()]
        found["xlsx"] = [make_xlsx(tmp / "a.xlsx", [("id", "text", "rating"), ("r1", "Bagus 👍", 5),
                                                    ("r2", "Lambat", 2), ("r3", None, 1)]).read_bytes(),
                         make_xlsx(tmp / "b.xlsx", [("text",), ("satu",), ("dua",)]).read_bytes()]
        found["pdf"] = [make_pdf(tmp / "a.pdf", [["Halaman satu", "Baris dua"], ["Halaman dua"]]).read_bytes()]
        try:
            from test_fuzz import _binary_seeds

            for suffix, data in _binary_seeds(tmp).items():
                key = suffix.lstrip(".")
                if key in ("docx", "xlsx", "pdf", "qdpx"):
                    found[key].append(data)
        except Exception as err:  # the generated seeds are a bonus, not a reason to stop
            print(f"note: generated seeds skipped ({type(err).__name__}: {err})", file=sys.stderr)
    for archive in found["qdpx"][-1:]:  # a bare .qde too, when ../shared has none
        with zipfile.ZipFile(io.BytesIO(archive)) as opened:
            found["qde"] += [opened.read(n) for n in opened.namelist() if n.endswith(".qde")]
    return {k: [s for s in v if s] for k, v in found.items()}


# ---------------------------------------------------------------- mutations
TOKENS: dict[str, list[bytes]] = {
    "text": [b"\n", b"\r\n", b"\r", b":", b": ", b"---\n", b"\n---\n", b"\xef\xbb\xbf", b"\x00", b"\xff\xfe",
             b"\xe2\x80\x8b", b"\xcc\x81", b"\xf0\x9f\x91\x8d", b"Ani: ", b"[00:01] ", b"**Ani**", b"\t",
             b"-->", b"00:00:01,000 --> 00:00:02,000\n", b"WEBVTT\n", b"<v Ani>", b"99:99:99.999"],
    "yaml": [b"&a ", b"*a", b"&b [*a, *a, *a, *a]", b"<<: ", b"<<: *a", b"? ", b"!!binary ", b"!!set ",
             b"!!omap ", b"!!timestamp ", b"!!int ", b"!!float ", b"2024-02-30", b"9" * 5000, b"[", b"{",
             b"]", b"}", b"- ", b"'", b'"', b"|", b">", b"#", b"%YAML 1.1\n", b"~", b"id: [a, b]",
             b"parent: [x]", b"speakers: ", b"{Ani: {attrs: [1]}}", b"attrs: 5", b"children: ", b"\t"],
    "csv": [b'"', b",", b";", b"\t", b"|", b"\r", b"\n", b'""', b"\xc2\xb2", b"occurrence", b"x" * 140_000,
            b"source,quote,code,coder,occurrence,memo\n"],
    "xml": [b"<", b">", b"</", b"/>", b"&amp;", b"&#0;", b"&#x110000;", b"<!DOCTYPE x [<!ENTITY e 'x'>]>",
            b"&e;", b"<![CDATA[", b"]]>", b'="', b"xmlns=", b"guid=", b"startPosition=\"-1\"",
            b"endPosition=\"99999999999\"", b"<w:p>", b"<w:r><w:t>", b"</w:t></w:r>", b"<c r=\"A1\" t=\"s\">",
            b"<v>999999</v>", b"<row r=\"0\">"],
    "pdf": [b"obj", b"endobj", b"stream\n", b"endstream", b"<<", b">>", b"/Length 99999", b"/Filter /FlateDecode",
            b"/Type /Page", b"/Kids [", b"R", b" 0 R", b"xref", b"trailer", b"startxref\n0\n", b"(", b")",
            b"/Encrypt", b"-1", b"1e99999"],
}
KIND = {"md": "yaml", "txt": "text", "vtt": "text", "srt": "text", "csv": "csv", "codings": "csv",
        "codebook": "yaml", "study": "yaml", "qdc": "xml", "qdpx": "xml", "qde": "xml", "docx": "xml",
        "xlsx": "xml", "pdf": "pdf"}
ZIPPED = {"docx", "xlsx", "qdpx"}


def _tokens(name: str) -> list[bytes]:
    return TOKENS[KIND[name]] + TOKENS["text"][:8]


BYTE_MUTATIONS = ["flip", "byte", "insert", "token", "delete", "duplicate", "splice", "truncate"]
LINE_MUTATIONS = ["line-duplicate", "line-delete", "line-swap", "value"]  # keep text text, YAML YAML-ish


def mutate_lines(rng: random.Random, data: bytes, kind: str, name: str) -> bytes:
    lines = data.split(b"\n")
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    if kind == "line-duplicate":
        lines[i:i] = [lines[j]] * rng.choice([1, 1, 2, 30])
    elif kind == "line-delete":
        del lines[i]
    elif kind == "line-swap":
        lines[i], lines[j] = lines[j], lines[i]
    else:  # a value after 'key:' or a cell after ',' replaced by a token
        cut = max(lines[i].find(b": "), lines[i].find(b","))
        lines[i] = lines[i][:cut + 1 if cut >= 0 else 0] + b" " + rng.choice(_tokens(name))
    return b"\n".join(lines)


def mutate_bytes(rng: random.Random, data: bytes, name: str, pool: list[bytes]) -> bytes:
    out = bytearray(data)
    textual = KIND[name] in ("yaml", "csv", "text")
    for _ in range(rng.randint(1, 4)):
        kind = rng.choice(BYTE_MUTATIONS + (LINE_MUTATIONS * 2 if textual else []))
        at = rng.randint(0, len(out))
        if kind in LINE_MUTATIONS:
            out = bytearray(mutate_lines(rng, bytes(out), kind, name))
        elif kind == "flip" and out:
            for _ in range(rng.randint(1, 8)):
                i = rng.randrange(len(out))
                out[i] ^= 1 << rng.randrange(8)
        elif kind == "byte" and out:
            out[min(at, len(out) - 1)] = rng.choice([0, 0xFF, 0x7F, 0x80, 0x0A, 0x0D, 0x3A, 0x22, 0x3C, 0x2D])
        elif kind == "insert":
            out[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        elif kind == "token":
            out[at:at] = rng.choice(_tokens(name)) * rng.choice([1, 1, 1, 2, 50])
        elif kind == "delete" and out:
            del out[at:at + rng.randint(1, max(1, min(4096, len(out) // 4)))]
        elif kind == "duplicate" and out:
            start = rng.randrange(len(out))
            chunk = out[start:start + rng.randint(1, 512)]
            out[at:at] = chunk * rng.choice([1, 2, 8, 100])
        elif kind == "splice" and pool:
            other = rng.choice(pool)
            out = out[:at] + other[rng.randint(0, len(other)):]
        elif kind == "truncate":
            out = out[:at]
    return bytes(out)


def mutate_zip(rng: random.Random, data: bytes, name: str, pool: list[bytes]) -> bytes:
    """Mutate one member of a zip (or drop one); the archive itself stays valid."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [(info.filename, archive.read(info)) for info in archive.infolist()]
    except Exception:
        return mutate_bytes(rng, data, name, pool)
    if not members:
        return data
    i = rng.randrange(len(members))
    if rng.random() < 0.1:
        del members[i]
    else:
        member, content = members[i]
        members[i] = (member, mutate_bytes(rng, content, name, [c for _, c in members]))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, content in members:
            archive.writestr(member, content)
    return buffer.getvalue()


def mutate(rng: random.Random, data: bytes, name: str, pool: list[bytes]) -> bytes:
    if name in ZIPPED and rng.random() < 0.7:
        return mutate_zip(rng, data, name, pool)
    return mutate_bytes(rng, data, name, pool)


# ----------------------------------------------------------------- running
class Timeout(BaseException):
    """An input took longer than the limit (a BaseException, so readers' handlers pass it on)."""


def _alarm(signum, frame):
    raise Timeout()


def signature(err: BaseException) -> str:
    """A crash's identity: its type and the innermost frame in somecode (else the innermost)."""
    frames = traceback.extract_tb(err.__traceback__)
    ours = [f for f in frames if "/somecode/" in f.filename] or frames
    where = f"{Path(ours[-1].filename).name}:{ours[-1].lineno}" if ours else "?"
    return f"{type(err).__name__} at {where}"


def fuzz_reader(name: str, inputs: int, seconds: float, limit: float, seed: int, out: Path) -> dict:
    """Run one reader on ``inputs`` mutated inputs (or for ``seconds``); return its statistics."""
    rng = random.Random(f"{seed}-{name}")
    suffix, read = READERS[name]
    pool = seeds().get(name) or []
    stats = {"reader": name, "seeds": len(pool), "inputs": 0, "refused": 0, "crashes": 0, "timeouts": 0,
             "signatures": {}, "saved": [], "seconds": 0.0}
    if not pool:
        return stats
    if name == "codings":
        _study_project()  # built once, outside the per-input time limit
    signal.signal(signal.SIGALRM, _alarm)
    scratch = Path(tempfile.mkdtemp(prefix=f"fuzz-{name}-"))
    started = time.monotonic()
    corpus = list(pool)
    try:
        while stats["inputs"] < inputs and time.monotonic() - started < seconds:
            data = mutate(rng, rng.choice(corpus), name, pool)
            work = scratch / str(stats["inputs"])
            work.mkdir()
            path = work / f"input{suffix}"
            path.write_bytes(data)
            stats["inputs"] += 1
            problem = None
            signal.setitimer(signal.ITIMER_REAL, limit)
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    read(path)
                if len(corpus) < 300 and rng.random() < 0.05:
                    corpus.append(data)  # inputs that read are good parents too
            except SomecodeError:
                stats["refused"] += 1
            except Timeout as err:
                stats["timeouts"] += 1
                problem = f"Timeout over {limit}s ({signature(err)})"
            except Exception as err:  # the finding: anything that is not a SomecodeError
                stats["crashes"] += 1
                problem = signature(err)
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            if problem:
                seen = stats["signatures"].setdefault(problem, 0)
                stats["signatures"][problem] = seen + 1
                if seen < 2:
                    target = out / f"{name}-{hashlib.sha1(data).hexdigest()}{suffix}"
                    out.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(data)
                    stats["saved"].append(target.name)
            shutil.rmtree(work, ignore_errors=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        _drop_study_project()  # worker processes end without running atexit
    stats["seconds"] = round(time.monotonic() - started, 1)
    return stats


def _run_one(args) -> dict:
    with contextlib.suppress(ValueError, OSError):  # a runaway input must not take the machine
        resource.setrlimit(resource.RLIMIT_AS, (8 * 2**30, resource.RLIM_INFINITY))
    import logging

    logging.disable(logging.CRITICAL)  # pypdf and openpyxl log every damaged byte
    return fuzz_reader(*args)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=int, default=int(os.environ.get("FUZZ_INPUTS", 2000)),
                        help="inputs per reader (default 2000)")
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("FUZZ_SECONDS", 600)),
                        help="at most this long per reader (default 600)")
    parser.add_argument("--limit", type=float, default=10.0, help="seconds allowed per input (default 10)")
    parser.add_argument("--readers", default=",".join(READERS), help="comma-separated reader names")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: random)")
    parser.add_argument("--jobs", type=int, default=max(1, min(4, (os.cpu_count() or 2))))
    parser.add_argument("--out", type=Path, default=REGRESSIONS)
    options = parser.parse_args(argv)
    seed = options.seed if options.seed is not None else random.randrange(2**32)
    names = [n for n in options.readers.split(",") if n]
    unknown = [n for n in names if n not in READERS]
    if unknown:
        parser.error(f"unknown reader(s) {unknown}; known: {', '.join(READERS)}")
    if not SHARED.is_dir():
        print(f"note: {SHARED} is absent: fuzzing from the bundled and generated seeds only")
    print(f"fuzzing {len(names)} readers, {options.inputs} inputs each, seed {seed}")
    jobs = [(n, options.inputs, options.seconds, options.limit, seed, options.out) for n in names]
    crashed = 0
    with ProcessPoolExecutor(max_workers=options.jobs) as pool:
        for stats in pool.map(_run_one, jobs):
            found = stats["crashes"] + stats["timeouts"]
            crashed += found
            importer = " (somecode.exchange)" if stats["reader"] in IMPORTERS else ""
            print(f"{stats['reader']:>9}: {stats['inputs']:>6} inputs from {stats['seeds']} seeds in "
                  f"{stats['seconds']}s, {stats['refused']} refused, {stats['crashes']} crashes, "
                  f"{stats['timeouts']} timeouts{importer}")
            for problem, count in sorted(stats["signatures"].items()):
                print(f"{'':>11}{count:>5} x {problem}")
            for saved in stats["saved"]:
                print(f"{'':>11}saved {options.out / saved}")
    print("no crashes" if not crashed else f"{crashed} crashing inputs; see {options.out}")
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
