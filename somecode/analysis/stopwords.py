"""Stop words for word frequencies: short lists for Indonesian and English.

Written for somecode, by hand, from the closed word classes of each language: pronouns,
demonstratives, prepositions, conjunctions, particles, auxiliaries, question words and
quantifiers, with the informal spellings interviews are transcribed in (``gak``, ``udah``,
``yg``).  They are not taken from a published list.  They are kept short on purpose: a word
that may carry a theme in social-media research stays out of them, even where it is common
(``bagi`` "for" is also the root of ``berbagi`` "to share"; ``like``, ``post``, ``share``).
Pass your own set to :func:`~somecode.analysis.frequencies.word_frequencies` (``stop_words=``) to
use another list, or add to these: ``STOP_WORDS["id"] | {"pak"}``.

>>> {"yang", "dan", "gak"} <= STOP_WORDS["id"], "bagi" in STOP_WORDS["id"]
(True, False)
>>> sorted(stop_words("en") & {"the", "share", "it's"})
["it's", 'the']
>>> len(stop_words("und")) == len(STOP_WORDS["id"] | STOP_WORDS["en"])
True
"""

from __future__ import annotations

__all__ = ["STOP_WORDS", "stop_words"]

_INDONESIAN = """
    aku saya kamu anda engkau dia ia beliau kami kita kalian mereka gue gua lu lo
    ini itu sini situ sana tersebut
    di ke dari pada dalam untuk dengan oleh kepada terhadap tentang antara sejak hingga sampai atas per
    dan atau tetapi tapi namun serta karena sehingga agar supaya jika kalau kalo bila apabila maka lalu
    kemudian bahwa meskipun walaupun sedangkan ketika saat yaitu yakni adalah ialah merupakan
    yang pun lah kah sih kan dong deh nah ya kok tuh nih toh nya
    akan sudah telah sedang masih belum pernah juga saja aja hanya cuma lagi sangat lebih paling sekali
    bisa dapat harus mau ingin tidak tak bukan ada jadi begitu gitu begini gini seperti kayak sama
    apa siapa mana bagaimana gimana kenapa mengapa kapan
    semua setiap para beberapa masing
    yg dgn gak ga nggak enggak udah utk tdk krn jg sdh
"""

_ENGLISH = """
    i me my mine we us our ours you your yours he him his she her hers it its they them their theirs
    this that these those here there
    a an the of to in on at by for with from about into over after before up out
    and or but if so then than because as while
    is are was were be been being am have has had do does did will would can could should may might must
    not no what which who whom how why when where
    all some any each such other same own more most
    just also very too only really yeah um uh oh
    it's i'm don't that's we're they're you're i've can't didn't doesn't isn't there's
"""

STOP_WORDS: dict[str, frozenset[str]] = {"id": frozenset(_INDONESIAN.split()),
                                          "en": frozenset(_ENGLISH.split())}


def stop_words(language: str) -> frozenset[str]:
    """The stop words of a source's language: its own list for ``id`` or ``en``, both lists for
    any other (an undetermined or mixed language)."""
    return STOP_WORDS.get(language) or STOP_WORDS["id"] | STOP_WORDS["en"]
