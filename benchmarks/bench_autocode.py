"""Automatic-coding benchmark: at least 200,000 sentences through all SOME rules.

The corpus is the bundled transcripts' sentences, repeated with the real Mobile JKN reviews and
BPJS news from ../shared/corpora when present.  Printed, from one run: sentences per second of
the automatic coder (tokenise, split sentences, match every phrase and token pattern, apply
exclusions), the same for a bare ``spacy.blank("id")`` tokenisation of the same texts and the
ratio (target >= 0.85); the speed-up with 2 worker processes (target >= 1.8); and a hand-written
``re`` alternation of the same phrases, the approach a researcher would script.

    python benchmarks/bench_autocode.py [--sentences 200000]
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from timing import best_of  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"


def corpus(n: int) -> list[str]:
    from somecode.auto.nlp import pipeline
    from somecode.sources import read_sources

    nlp = pipeline("id")
    texts = [s.slice(t) for s in read_sources(ROOT / "transcripts" / "bpjs" / "sources") for t in s.turns]
    if (CORPORA / "adha20_mobile_jkn_reviews.csv").exists():
        with open(CORPORA / "adha20_mobile_jkn_reviews.csv", encoding="utf-8-sig", newline="") as handle:
            texts += [row["content"] for row in csv.DictReader(handle)]
    if (CORPORA / "tsanitashafa_bpjs_pbi_news.csv").exists():
        csv.field_size_limit(10_000_000)
        with open(CORPORA / "tsanitashafa_bpjs_pbi_news.csv", encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            column = next(c for c in reader.fieldnames if c.lower() in ("content", "text", "isi", "berita"))
            texts += [row[column] for row in reader if row[column]]
    sentences = [s.text for doc in nlp.pipe(texts, batch_size=200) for s in doc.sents if s.text.strip()]
    out = []
    while len(out) < n:
        out += sentences
    return out[:n]



def main() -> int:
    import spacy

    from somecode.auto import coder as engine
    from somecode.codebook import Codebook

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=200_000)
    args = parser.parse_args()
    sentences = corpus(args.sentences)
    codes = list(Codebook.load(ROOT / "codebooks" / "some.yaml"))
    coder = engine.AutoCoder(codes, "id")
    engine._CODERS["bench"] = coder
    items = [("s", 0, s) for s in sentences]
    bare_nlp = spacy.blank("id")
    bare, _ = best_of(lambda: sum(1 for _ in bare_nlp.pipe(sentences, batch_size=1000)))
    one, found = best_of(lambda: engine.run_coder("bench", "sentence", items, workers=1))
    two, found_two = best_of(lambda: engine.run_coder("bench", "sentence", items, workers=2))
    assert found == found_two, "2 workers must find the same"
    phrases = sorted({p.lower() for c in codes for p in c.patterns.get("id", {}).get("phrases", [])},
                     key=len, reverse=True)
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, phrases)) + r")\b")
    regex, hits = best_of(lambda: sum(1 for s in sentences for _ in pattern.finditer(s.lower())))
    n = len(sentences)
    ratio, speedup = bare / one, one / two
    print(f"bench_autocode: {n:,} sentences, {coder.rules} rules of {len(codes)} codes")
    print(f"  bare spacy.blank('id') tokenisation     {n / bare:10,.0f} sentences/s")
    print(f"  autocode, 1 worker                      {n / one:10,.0f} sentences/s   ratio {ratio:.2f} (target >= 0.85)")
    print(f"  autocode, 2 workers                     {n / two:10,.0f} sentences/s   speed-up {speedup:.2f} (target >= 1.8)")
    print(f"  re alternation of the phrases           {n / regex:10,.0f} sentences/s   ({hits:,} hits; "
          f"autocode units coded: {len(found):,})")
    missed = [name for name, ok in (("ratio", ratio >= 0.85), ("speed-up", speedup >= 1.8)) if not ok]
    print(f"  {'MISS: ' + ', '.join(missed) if missed else 'PASS'}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
