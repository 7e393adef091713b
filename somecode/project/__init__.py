"""A project and the parts it is made of, each owning one job.

========================  ==================================================
:mod:`.facade`            :class:`Project`: the file, transactions, the methods people call
:mod:`.sources`           sources and informants
:mod:`.codes`             codes and coders
:mod:`.codeops`           relabel, move, merge, split, delete and undo
:mod:`.codebook_sync`     a whole codebook: compare and apply
:mod:`.codings`           coding by offsets, by quote, in bulk
:mod:`.codings_csv`       codings from a ``source, quote, code`` spreadsheet
:mod:`.quotes`            finding a quote in a text
:mod:`.notes`             summaries, propositions, stances, assessments
:mod:`.memos`             free memos and the research journal
:mod:`.attributes`        typed case attributes
:mod:`.sets`              sets of sources or cases
:mod:`.queries`           the ``where=`` query language over case attributes
:mod:`.reanchor`          corrected sources: re-anchoring, orphans
:mod:`.integrity`         checking the whole file
========================  ==================================================
"""

from ..store.codes import code_spec
from .facade import Project

__all__ = ["Project", "code_spec"]
