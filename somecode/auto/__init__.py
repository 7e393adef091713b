"""Automatic coding: suggestions from the codebook's patterns, their review, and their evaluation
against a human coder.

========================  ==================================================
:mod:`.nlp`               spaCy pipelines (slang norms, abbreviations), lemmas and stems
:mod:`.coder`             ``autocode``: suggestions with evidence; accept, reject
:mod:`.variants`          lemma and stem variants of a code's phrases in the corpus
:mod:`.evaluation`        suggestions against a human coder
========================  ==================================================
"""

from .coder import (
           accept,
           autocode,
           autocode_corpus,
           autocode_frame,
           reject,
           suggestions,
)
from .evaluation import evaluate
from .variants import suggest_variants

__all__ = ["autocode", "suggestions", "accept", "reject", "autocode_frame", "autocode_corpus", "evaluate",
           "suggest_variants"]
