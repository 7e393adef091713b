"""Property tests over arbitrary Unicode (emoji, combining marks, CRLF): offsets are exact,
and a project saved and reopened holds identical sources and codings."""

import unicodedata

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

import somecode
from somecode.sources.transcript import parse_transcript
from somecode.text import canonical_text

SPEAKERS = ["Ani", "Budi Santoso"]
ROLES = {"Ani": "informant", "Budi Santoso": "interviewer"}


def _front(turns) -> str:
    """Front matter declaring the speakers whose labels are written (one never written is an error)."""
    speaking = [s for s in SPEAKERS if any(who == s for who, _ in turns)]
    declared = ", ".join(f"{s}: {ROLES[s]}" for s in speaking)
    return f"---\nid: prop\nspeakers: {{{declared}}}\n---\n"

# Any characters but ':' (which could write a speaker label) and surrogates, with
# emoji, combining marks and line breaks made likely.
chars = st.one_of(
    st.characters(blacklist_categories=("Cs",), blacklist_characters=":"),
    st.sampled_from(["👍", "👩‍⚕️", "e\u0301", "\u0301", "\r\n", "\r", "\n", " ", "é", "ß", "\u200b"]),
)
content = st.lists(chars, max_size=40).map("".join)
turn_lists = st.lists(st.tuples(st.sampled_from(SPEAKERS), content), min_size=1, max_size=6)
settings.register_profile("somecode", deadline=None, max_examples=80,
                          suppress_health_check=[HealthCheck.function_scoped_fixture])
settings.load_profile("somecode")


def _expected(turns):
    """Each turn's words as the reader must give them: canonical, blanks trimmed, empty turns dropped.

    The words are canonicalised where they stand, after ``Name: ``: a U+FEFF there is a character
    of the text, not a byte-order mark (only a file's first character can be one), so it is kept.
    """
    out = []
    for speaker, words in turns:
        words = canonical_text(": " + words)[2:].strip()
        if words:
            out.append((speaker, words))
    return out


@given(turn_lists, st.sampled_from(["\n", "\r\n"]))
@example([("Ani", "\ufeffReels")], "\n")  # a turn that starts with U+FEFF keeps it
def test_turns_slice_exactly(turns, newline):
    text = _front(turns) + "".join(f"{speaker}: {words}{newline}" for speaker, words in turns)
    source = parse_transcript(text, "prop.txt")
    assert unicodedata.is_normalized("NFC", source.text) and "\r" not in source.text
    expected = _expected(turns)
    assert [(t.speaker, source.slice(t)) for t in source.turns] == expected


@given(turn_lists, st.data())
def test_codings_slice_exactly_and_survive_reopening(tmp_path_factory, turns, data):
    assume(_expected(turns))
    source = parse_transcript(_front(turns) + "".join(f"{s}: {w}\n" for s, w in turns), "prop.txt")
    assume(source.turns)
    path = tmp_path_factory.mktemp("prop") / "p.somecode"
    spans = []
    for turn in source.turns:
        if turn.end - turn.start >= 1:
            start = data.draw(st.integers(turn.start, turn.end - 1))
            spans.append((start, data.draw(st.integers(start + 1, turn.end))))
    with somecode.Project.create(path) as project:
        project.add_source(source)
        project.add_code("x")
        for start, end in spans:
            project.code(source.id, start, end, "x", coder="nida")
        frame = project.codings()
        assert frame["text"].tolist() == [source.text[s:e] for s, e in sorted(set(spans))]
        records = project.coding_records()
    with somecode.Project.open(path) as reopened:
        assert reopened.source(source.id) == source
        assert reopened.coding_records() == records


@given(st.lists(chars, min_size=1, max_size=60).map("".join), st.data())
def test_a_quote_resolves_to_its_own_passage(text, data):
    text = canonical_text(text)
    assume(text.strip())
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    quote = text[start:end]
    assume(quote.strip())
    spans = somecode.project.quotes.find_quote(text, quote)
    assert spans and all(" ".join(text[s:e].split()) == " ".join(quote.split()) for s, e in spans)
