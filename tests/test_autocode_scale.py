"""Automatic coding at scale: the Dask engine gives exactly what the local engine gives, corpora are
coded straight from CSV, and an evaluation on a real English coded dataset (when ../shared is there)."""

import csv
import re

import pandas as pd
import pytest
from conftest import ROOT, STUDY, shared_file

import somecode
from somecode.auto.coder import autocode, autocode_corpus, autocode_frame
from somecode.auto.evaluation import evaluate
from somecode.codebook import Codebook
from somecode.study import build_study

SOME = list(Codebook.load(ROOT / "codebooks" / "some.yaml"))
SYNTHETIC = [f"Kami pakai reels setiap hari ke-{n}. Gak ada buzzer. Insight dipantau, KOL diajak kerja sama."
             if n % 3 else f"Dokumen {n} tanpa kata kunci." for n in range(600)]


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as local, distributed.Client(local) as client:
        yield client


def test_dask_engine_equals_local_on_a_synthetic_corpus(cluster):
    documents = pd.DataFrame({"id": range(len(SYNTHETIC)), "text": SYNTHETIC})
    local = autocode_frame(documents, SOME)
    distributed = autocode_frame(documents, SOME, engine="dask", partitions=7)
    pd.testing.assert_frame_equal(local, distributed)
    # 400 documents with keywords: "reels" (optimize) in the first sentence; "Insight" (media
    # monitoring) and "KOL" (influencer relations) in the third -> 3 rows each
    assert len(local) == 400 * 3


def test_dask_engine_equals_local_on_the_bundled_study(cluster, tmp_path):
    with build_study(STUDY, tmp_path / "bpjs.somecode") as project:
        autocode(project, skip_coded=False)
        local = sorted((c.source_id, c.start, c.end, c.code_id, str(c.evidence))
                       for c in project.coding_records() if c.origin == "auto")
        project.undo()
        autocode(project, skip_coded=False, engine="dask")
        distributed = sorted((c.source_id, c.start, c.end, c.code_id, str(c.evidence))
                             for c in project.coding_records() if c.origin == "auto")
    assert local == distributed and len(local) > 30


def test_a_corpus_is_coded_straight_from_csv(tmp_path):
    path = tmp_path / "corpus.csv"
    pd.DataFrame({"doc": [f"d{n}" for n in range(50)], "body": SYNTHETIC[:50]}).to_csv(path, index=False)
    rows = autocode_corpus(path, SOME, text_column="body", id_column="doc")
    expected = autocode_frame(pd.DataFrame({"id": [f"d{n}" for n in range(50)], "text": SYNTHETIC[:50]}), SOME)
    pd.testing.assert_frame_equal(rows, expected)


STOP = set("the and for with that this are from into when user users data system about their there what "
           "have they which been more also other each".split())


def _keywords(text: str, limit: int) -> list[str]:
    words = [w for w in re.findall(r"[a-z]+", text.lower()) if len(w) >= 4 and w not in STOP]
    return list(dict.fromkeys(words))[:limit]


def test_english_evaluation_on_a_real_coded_dataset(tmp_path):
    """A codebook written at run time from the dataset's own codebook file (tag names and a few
    description words as phrases; nothing of the dataset is stored in the repository)."""
    segments_path = shared_file("corpora", "navarral_serdif_coded_segments_20220303.csv")
    book_path = shared_file("corpora", "navarral_serdif_codebook_20220303_8.csv")
    with open(book_path, encoding="utf-8", newline="") as handle:
        tags = list(csv.DictReader(handle))
    ids = {row["tag"]: f"t{n:02d}" for n, row in enumerate(tags)}
    codes = [somecode.Code(ids[row["tag"]], label=row["tag"], patterns={"en": {
        "phrases": _keywords(row["tag"], 3) + _keywords(row["description"], 4)}}) for row in tags]
    with open(segments_path, encoding="utf-8", newline="") as handle:
        segments = list(csv.DictReader(handle))
    texts = {}
    for row in segments:
        texts.setdefault(row["id"], (row["content"], []))[1].append(row["tag"])
    with somecode.Project.create(tmp_path / "serdif.somecode") as project:
        project.add_codes(codes)
        project.add_sources(somecode.Source.from_text(f"h{key}", text, kind="document", attrs={"language": "en"},
                                                      turns=[somecode.Turn(0, len(somecode.text.canonical_text(text)))])
                            for key, (text, _) in texts.items() if text.strip())
        gold = [somecode.Coding(f"h{key}", 0, len(project.source(f"h{key}").text), ids[tag], "authors")
                for key, (text, tags_) in texts.items() if text.strip() for tag in tags_]
        project.add_codings(gold)
        autocode(project, unit="turn", skip_coded=False)
        table = evaluate(project, gold="authors", unit="turn")
    overall = table.loc["(all codes)"]
    print("\n" + table.round(2).to_string())  # the figures for the record (pytest -s)
    assert overall["units"] == len([k for k, (t, _) in texts.items() if t.strip()])
    assert overall["tp"] + overall["fn"] == len(gold)
    assert 0 < overall["precision"] < 1 and 0 < overall["recall"] < 1


def test_the_dask_engine_runs_on_a_cluster_named_by_its_address(tmp_path):
    """As the README says: start a cluster (here a LocalCluster; elsewhere ``dask scheduler`` and
    ``dask worker``), pass its scheduler's address; no Client is made by the caller."""
    distributed = pytest.importorskip("dask.distributed")
    documents = pd.DataFrame({"id": range(60), "text": SYNTHETIC[:60]})
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        address = cluster.scheduler_address
        rows = autocode_frame(documents, SOME, engine="dask", scheduler=address, partitions=4)
        with somecode.Project.create(tmp_path / "p.somecode") as project:
            project.add_codes(SOME)
            project.add_sources(somecode.Source.from_text(f"d{n}", text, kind="document", attrs={"language": "id"},
                                                          turns=[somecode.Turn(0, len(text))])
                                for n, text in enumerate(SYNTHETIC[:30]))
            found = autocode(project, engine="dask", scheduler=address)
            project.undo()
            local = autocode(project)
    pd.testing.assert_frame_equal(rows, autocode_frame(documents, SOME))
    pd.testing.assert_frame_equal(found, local)
    assert len(local) == 20 * 3
