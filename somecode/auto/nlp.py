"""spaCy pipelines for Indonesian and English: built once per process, offline, rule-based.

``spacy.blank(lang)`` + the sentencizer + tokenizer special cases for the abbreviations
Indonesian text needs (``Bpk.``, ``Yth.``, ``dll.``...) + the slang normalisation table of
spacy-lookups-data as ``token.norm_`` (``gak`` -> ``tidak``, ``yg`` -> ``yang``).  No trained
pipeline exists for Indonesian; see the NLP reference in the project's notes.

>>> nlp = pipeline("id")
>>> [t.norm_ for t in nlp("Gak ada yg respon")]
['tidak', 'ada', 'yang', 'respons']
>>> [s.text for s in nlp("Kami bertemu Bpk. Ahmad kemarin. Beliau setuju.").sents]
['Kami bertemu Bpk. Ahmad kemarin.', 'Beliau setuju.']
>>> lemma("mensosialisasikan"), stem("kepesertaan")
('sosialisasi', 'serta')
"""

from __future__ import annotations

import functools

from ..vocabulary import check_choice, renamed

__all__ = ["pipeline", "lemma", "stem", "ABBREVIATIONS", "LANGUAGES"]

LANGUAGES = ("id", "en")
ABBREVIATIONS = ("Bpk.", "Bp.", "Yth.", "dll.", "dsb.", "dst.", "tsb.", "hal.", "thn.", "Sdr.", "Sdri.",
                 "Kab.", "Kec.", "Kel.", "Jl.", "Ir.", "Ds.", "Tbk.", "Dr.", "dr.", "Prof.", "Hj.", "No.",
                 "tgl.", "bln.", "a.n.", "u.p.")


@renamed(lang="language")
def pipeline(language: str = "id"):
    """The shared pipeline for ``language`` (``id`` or ``en``), built on first use (about 3 s for id).
    ``lang=`` is the deprecated old name of ``language=``."""
    check_choice("language", language, LANGUAGES)
    return _pipeline(language)


@functools.lru_cache(maxsize=None)
def _pipeline(lang: str):
    import spacy

    _register()
    nlp = spacy.blank(lang)
    try:
        nlp.config["initialize"]["lookups"] = {"@misc": "spacy.LookupsDataLoader.v1", "lang": lang,
                                               "tables": ["lexeme_norm"]}
        nlp.initialize()
    except (OSError, ValueError, KeyError):  # no norm table for the language: lower case only
        nlp = spacy.blank(lang)
    nlp.add_pipe("sentencizer")
    if lang == "id":
        nlp.add_pipe("somecode_abbreviations")
    return nlp


_ABBREVIATION_WORDS = frozenset(a[:-1].lower() for a in ABBREVIATIONS)


def _abbreviations(doc):
    """Undo sentence breaks after Indonesian abbreviations (``Bpk. Ahmad``).  Done after the
    sentencizer rather than as tokenizer special cases, which would slow every text down; the
    places to look at (a dot after an abbreviation) are found on an array, without token objects."""
    import numpy as np
    from spacy.attrs import LOWER

    lowers = doc.to_array(LOWER)
    dots = np.flatnonzero(lowers[1:-1] == _key(".")) + 1  # a dot with a token before and after
    keys = _abbreviation_keys()
    for i in dots.tolist():
        if int(lowers[i - 1]) in keys and doc[i + 1].is_sent_start:
            doc[i + 1].is_sent_start = False
    return doc


@functools.lru_cache(maxsize=None)
def _abbreviation_keys() -> frozenset:
    return frozenset(_key(word) for word in _ABBREVIATION_WORDS)


def _register() -> None:
    from spacy.language import Language

    if not Language.has_factory("somecode_abbreviations"):
        Language.component("somecode_abbreviations", func=_abbreviations)


@functools.lru_cache(maxsize=None)
def _lemma_table(lang: str) -> dict:
    from spacy.lookups import load_lookups

    try:
        return dict(load_lookups(lang, ["lemma_lookup"]).get_table("lemma_lookup").items())
    except (ValueError, KeyError):
        return {}


@renamed(lang="language")
def lemma(word: str, language: str = "id") -> str:
    """The lookup lemma of a lower-cased word (spacy-lookups-data), or the word itself.
    ``lang=`` is the deprecated old name of ``language=``."""
    check_choice("language", language, LANGUAGES)
    return _lemma(word, language)


@functools.lru_cache(maxsize=200_000)
def _lemma(word: str, lang: str) -> str:
    word = word.lower()
    table = _lemma_table(lang)

    return table.get(_key(word), word) if table else word  # spaCy tables key by string hash


def _key(word: str):
    from spacy.strings import get_string_id

    return get_string_id(word)


@functools.lru_cache(maxsize=None)
def _stemmer():
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer()


@functools.lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Sastrawi stem of an Indonesian word (over-stems: use it to propose, never to match)."""
    return _stemmer().stem(word.lower())
