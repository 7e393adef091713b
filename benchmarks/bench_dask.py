"""The Dask engine on a local cluster of 2 worker processes, on up to a million sentences.

The corpus is the real Mobile JKN reviews and BPJS news articles in ../shared/corpora, repeated
until it holds ``--sentences`` sentences (skipped when the corpora are absent).  Each worker reads
the files itself and builds its pipeline once, as workers on other machines would; nothing but
document numbers travels through the scheduler.  Printed: the local engine in this process and the
Dask engine through the cluster's scheduler address (``scheduler=``), sentences per second overall
and per worker, and the speed-up (2 workers on ``os.cpu_count()`` cores: at most 2x).  Both give
the same rows.  A benchmark, not a test: it takes minutes.

    python benchmarks/bench_dask.py [--sentences 1000000]
"""

from __future__ import annotations

import argparse
import csv
import functools
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from timing import print_rows, row  # noqa: E402

ROOT = HERE.parent
CORPORA = ROOT.parent / "shared" / "corpora"
FILES = ("adha20_mobile_jkn_reviews.csv", "tsanitashafa_bpjs_pbi_news.csv")
TARGET = 1.8


@functools.lru_cache(maxsize=None)
def base_documents() -> tuple[str, ...]:
    """The reviews and the news articles' texts (read once per process, workers included)."""
    csv.field_size_limit(10_000_000)
    texts = []
    for name, column in zip(FILES, ("content", "content")):
        with open(CORPORA / name, encoding="utf-8-sig", newline="") as handle:
            texts += [row[column] for row in csv.DictReader(handle) if row[column].strip()]
    return tuple(texts)


def records(numbers) -> list[tuple]:
    """``(id, text, language)`` of documents by number (the corpus repeated)."""
    docs = base_documents()
    return [(int(n), docs[int(n) % len(docs)], "id") for n in numbers]


def sizes(wanted: int) -> tuple[int, int]:
    """How many documents make ``wanted`` sentences, and how many sentences they are."""
    import spacy

    bare = spacy.blank("id")
    bare.add_pipe("sentencizer")
    per_doc = [sum(1 for _ in doc.sents) for doc in bare.pipe(base_documents(), batch_size=500)]
    total, n = 0, 0
    while total < wanted:
        total += per_doc[n % len(per_doc)]
        n += 1
    return n, total


def rows(sentences: int = 1_000_000, repeat: int = 2, report=print) -> list[dict]:
    if not all((CORPORA / name).exists() for name in FILES):
        report("bench_dask: ../shared/corpora absent, skipped")
        return []
    try:
        import dask.bag
        from dask.distributed import LocalCluster
    except ImportError:
        report("bench_dask: dask.distributed is not installed (pip install somecode[dask]), skipped")
        return []

    from somecode.auto import autocode_frame
    from somecode.codebook import Codebook

    codes = list(Codebook.load(ROOT / "codebooks" / "some.yaml"))
    n_docs, n_sentences = sizes(sentences)
    autocode_frame(records(range(200)), codes)  # this process's pipeline, built once
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(HERE), os.environ.get("PYTHONPATH")]))
    times: dict[str, list[float]] = {"local": [], "dask": []}
    found = {}
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        warm = dask.bag.range(200, npartitions=2).map_partitions(records)  # each worker: corpus, pipeline
        autocode_frame(warm, codes, engine="dask", scheduler=cluster.scheduler_address)
        for _ in range(repeat):  # alternately
            started = time.perf_counter()
            found["local"] = len(autocode_frame(records(range(n_docs)), codes, engine="local"))
            times["local"].append(time.perf_counter() - started)
            bag = dask.bag.range(n_docs, npartitions=64).map_partitions(records)
            started = time.perf_counter()
            found["dask"] = len(autocode_frame(bag, codes, engine="dask", scheduler=cluster.scheduler_address))
            times["dask"].append(time.perf_counter() - started)
    assert found["dask"] == found["local"], found
    local_s, dask_s = min(times["local"]), min(times["dask"])
    local = range(found["local"])
    cores = os.cpu_count() or 1
    report(f"bench_dask: {n_docs:,} documents, {n_sentences:,} sentences, {len(local):,} rows; local engine "
           f"{n_sentences / local_s:,.0f} sentences/s ({local_s:.1f} s); Dask, 2 workers on a LocalCluster "
           f"{n_sentences / dask_s:,.0f} sentences/s ({dask_s:.1f} s), {n_sentences / dask_s / 2:,.0f} per "
           f"worker; os.cpu_count() = {cores}")
    return [row(f"(3) Dask LocalCluster, 2 workers vs local, {n_sentences / 1e6:.2f}M sentences", local_s / dask_s,
                f">= {TARGET}", f"{n_sentences / dask_s / 2:,.0f} sentences/s per worker; ceiling "
                f"{min(cores, 2)}x on {cores} cores; min of {repeat} alternate runs each")]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=1_000_000)
    args = parser.parse_args()
    print_rows(rows(args.sentences))
    return 0


if __name__ == "__main__":
    sys.exit(main())
