"""The YAML codebook: the SOME codebook's content, validation with places, the tree, round trips."""

import re

import pytest
import yaml
from conftest import ROOT, shared_file

from somecode import SomecodeWarning, ValidationError
from somecode.codebook import Codebook, codebook_html, codebook_markdown

SOME = ROOT / "codebooks" / "some.yaml"
SOME_IDS = {
    "share", "share.participate", "share.connect", "share.build_trust",
    "optimize", "optimize.listen_learn", "optimize.authentic_conversation",
    "manage", "manage.media_monitoring", "manage.quick_response", "manage.real_time_interaction",
    "engage", "engage.influencer_relations", "engage.audience", "engage.reach",
    "strategy", "strategy.production", "strategy.content", "strategy.prime_time",
}


@pytest.fixture(scope="module")
def some():
    return Codebook.load(SOME)


def test_some_codebook_has_exactly_the_fixed_ids_and_every_field(some):
    assert set(some.ids) == SOME_IDS and len(some) == 19
    assert [c.id for c in some.roots()] == ["share", "optimize", "manage", "engage", "strategy"]
    for code in some:
        assert code.labels.get("en") and code.labels.get("id"), code.id
        assert code.definition and code.include and code.exclude, code.id
        assert code.examples and all(e["quote"] and "Sarah & Annas (2024)" in e["source"]
                                     for e in code.examples), code.id
        assert re.fullmatch(r"#[0-9A-F]{6}", code.color), code.id
        for language in ("id", "en"):
            assert code.patterns[language]["phrases"], (code.id, language)


def test_some_examples_are_quotes_from_the_paper(some):
    paper = " ".join(shared_file("seeds", "000_29eb373d7b48357c.txt").read_text(encoding="utf-8")
                     .replace("*", "").split())
    for code in some:
        for example in code.examples:
            assert " ".join(example["quote"].split()) in paper, (code.id, example["quote"])


def test_saving_gives_back_the_file_without_its_comments(some, tmp_path):
    saved = some.save(tmp_path / "copy.yaml").read_text(encoding="utf-8")
    original = SOME.read_text(encoding="utf-8")
    assert saved == re.sub(r"\A(#[^\n]*\n)+", "", original)
    assert yaml.safe_load(saved) == yaml.safe_load(original)
    assert Codebook.load(tmp_path / "copy.yaml") == some


def test_tree_lookups(some):
    assert some.ancestors("engage.reach") == ["engage"]
    assert some.descendants("manage") == ["manage.media_monitoring", "manage.quick_response",
                                          "manage.real_time_interaction"]
    assert some.depth("share") == 0 and some.depth("share.connect") == 1
    assert some.find("Membangun kepercayaan").id == "share.build_trust"
    assert some.find("listen and learn").id == "optimize.listen_learn"
    assert [c.id for c in some.children("strategy")] == ["strategy.production", "strategy.content",
                                                         "strategy.prime_time"]
    frame = some.to_frame()
    assert frame.loc["engage.audience", "stage"] == "engage"
    assert frame.loc["engage.audience", "label_id"] == "Di mana audiens berada"


def test_nested_children_are_read_as_a_tree():
    book = Codebook.from_dict({"codes": [{"id": "a", "label": "A", "children": [
        {"id": "a.b", "label": "B", "children": [{"id": "a.b.c", "label": "C"}]}]}]})
    assert [(c.id, c.parent) for c in book] == [("a", None), ("a.b", "a"), ("a.b.c", "a.b")]


def _load(tmp_path, text):
    path = tmp_path / "book.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        Codebook.load(path)
    return path, err.value


HEAD = "languages: [en, id]\ncodes:\n"


@pytest.mark.parametrize("body, line, fragment", [
    ("- id: a\n  label: {en: A, id: A}\n- id: a\n  label: {en: B, id: B}\n", 5,
     "duplicate code id 'a' (first at line 3)"),
    ("- id: a\n  parent: nowhere\n  label: {en: A, id: A}\n", 4, "unknown parent 'nowhere'"),
    ("- id: a\n  parent: b\n  label: {en: A, id: A}\n- id: b\n  parent: a\n  label: {en: B, id: B}\n",
     4, "cycle: a -> b -> a"),
    ("- label: {en: A, id: A}\n", 3, "missing required field 'id'"),
    ("- id: a\n  label: {en: A}\n", 4, "missing required field 'label.id'"),
    ("- id: a\n  label: {en: A, id: A}\n  color: '#12345G'\n", 5, "colour '#12345G'"),
    ("- id: a\n  label: {en: A, id: A}\n  patterns:\n    en:\n      tokens: [[{NOT_AN_ATTR: x}]]\n",
     7, "patterns.en.tokens"),
    ("- id: a\n  label: {en: A, id: A}\n  patterns:\n    id:\n      phrases: [ok, '']\n", 7,
     "patterns.id.phrases"),
    ("- id: a b\n  label: {en: A, id: A}\n", 3, "code id 'a b' is not valid"),
])
def test_each_validation_error_names_file_line_and_value(tmp_path, body, line, fragment):
    path, err = _load(tmp_path, HEAD + body)
    assert len(err.problems) == 1, err.problems
    assert f"{path}, line {line}," in err.problems[0]
    assert fragment in err.problems[0]


def test_five_errors_are_all_reported(tmp_path):
    body = ("- id: a\n  label: {en: A, id: A}\n  color: blue\n"
            "- id: a\n  label: {en: A2, id: A2}\n"
            "- id: b\n  parent: zz\n  label: {en: B, id: B}\n"
            "- id: c\n  label: {en: C}\n"
            "- id: d\n  label: {en: D, id: D}\n  examples: [{source: nowhere}]\n")
    path, err = _load(tmp_path, HEAD + body)
    assert len(err.problems) == 5
    text = "\n".join(err.problems)
    for fragment in ("colour 'blue'", "duplicate code id 'a'", "unknown parent 'zz'",
                     "'label.id'", "each example needs a 'quote'"):
        assert fragment in text
    assert all(p.startswith(f"{path}, line ") for p in err.problems)


def test_duplicate_yaml_keys_are_errors(tmp_path):
    path, err = _load(tmp_path, HEAD + "- id: a\n  label: {en: A, id: A}\n  id: b\n")
    assert f"{path}, line 5, column 3: duplicate key 'id'" in err.problems


def test_unknown_keys_warn_with_their_line(tmp_path):
    path = tmp_path / "book.yaml"
    path.write_text(HEAD + "- id: a\n  label: {en: A, id: A}\n  colour: '#FFFFFF'\n", encoding="utf-8")
    with pytest.warns(SomecodeWarning, match=r"line 5, column 11: unknown key 'colour'"):
        Codebook.load(path)


def test_bad_yaml_is_located(tmp_path):
    path = tmp_path / "book.yaml"
    path.write_text("codes:\n- id: a\n  label: [unclosed\n", encoding="utf-8")
    with pytest.raises(Exception, match=r"book.yaml, line 4, column 1: not valid YAML"):
        Codebook.load(path)


def test_markdown_and_html_documents(some, coded):
    markdown = codebook_markdown(some)
    assert markdown.startswith("# Circular Model of SoMe")
    assert "### Build trust / Membangun kepercayaan (`share.build_trust`)" in markdown
    assert "- Exclude: " in markdown and "- Example: “agar meningkatkan kepercayaan publik”" in markdown
    html = codebook_html(some)
    assert html.count("<li>") == 19 and "&amp;" in html
    book = Codebook(coded.codes())
    coded.code("ani", 29, 34, "optimize", coder="nida")
    coded.code("ani", 35, 36, "optimize", coder="budi")
    with_counts = codebook_markdown(book, coded)
    assert "- Codings: 2; exemplar: “👍”" in with_counts and "- Codings: 0" in with_counts
    assert "<em>Codings:</em> 2; exemplar: “👍”" in codebook_html(book, coded)
