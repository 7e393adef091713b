"""Word variants a codebook's keywords might also need, found in the corpus, for the researcher to approve.

For each single-word phrase of a code, the corpus words that share its lookup lemma (spaCy's
table) or, for Indonesian, its Sastrawi stem are proposed with their frequency and an example in
context.  Stems over-reach (``kepesertaan`` -> ``serta``), so proposals touching a protected word
are dropped, and nothing is ever matched until the researcher adds the word to the codebook.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

import pandas as pd

from ..vocabulary import check_choice, renamed
from .nlp import LANGUAGES, _lemma, stem

if TYPE_CHECKING:
    from ..project import Project

__all__ = ["suggest_variants", "PROTECTED"]

# Known collisions of the lemma table and the stemmer on this domain (the NLP reference, section 2).
PROTECTED = frozenset({
    "kepesertaan", "serta", "kebijakan", "bijak", "pemerintah", "perintah", "perbaiki", "diperbaiki",
    "baik", "relawan", "rawan", "perangkat", "angkat", "anggaran", "anggarannya", "anggar",
    "bersosialisasi", "sosial", "berdiskusi", "diskus",
})
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


@renamed(lang="language")
def suggest_variants(project: Project, code_id: str, *, language: str = "id", protected=PROTECTED,
                     context: int = 40) -> pd.DataFrame:
    """Candidate variants of a code's keywords: word, keyword, via (lemma|stem), frequency, example.
    ``lang=`` is the deprecated old name of ``language=``."""
    check_choice("language", language, LANGUAGES)
    lang = language
    code = project.code_by_id(code_id)
    phrases = (code.patterns or {}).get(lang, {}).get("phrases", [])
    keywords = {p.lower() for p in phrases if " " not in p.strip()}
    known = {p.lower() for p in phrases}
    counts: Counter[str] = Counter()
    examples: dict[str, tuple[str, str]] = {}
    for source in project.sources():
        for match in _WORD.finditer(source.text):
            word = match.group().lower()
            counts[word] += 1
            if word not in examples:
                a, b = max(0, match.start() - context), match.end() + context
                examples[word] = (source.id, source.text[a:b].replace("\n", " "))
    rows = []
    for keyword in sorted(keywords):
        key_lemma, key_stem = _lemma(keyword, lang), stem(keyword) if lang == "id" else None
        for word, n in counts.items():
            if word in known or word in protected or keyword in protected:
                continue
            via = "lemma" if _lemma(word, lang) == key_lemma else \
                "stem" if key_stem is not None and stem(word) == key_stem else None
            if via:
                rows.append({"word": word, "keyword": keyword, "via": via, "frequency": n,
                             "source": examples[word][0], "example": examples[word][1]})
    frame = pd.DataFrame(rows, columns=["word", "keyword", "via", "frequency", "source", "example"])
    return frame.sort_values(["keyword", "frequency"], ascending=[True, False], ignore_index=True)
