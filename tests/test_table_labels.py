"""Tables named by the researcher's own codebook (issue #18): no SOME vocabulary ("stage") unless the
codebook names its levels so, and one "Total" row and column, never "Total Total".  The expected
cells are counted by hand from the transcript below."""

from __future__ import annotations

import pandas as pd
import pytest

import somecode
from somecode import ValidationError
from somecode.analysis import cooccurrence, crosstab, framework_matrix, theme_by_informant, theme_by_source
from somecode.exchange import to_latex, to_markdown
from somecode.sources.transcript import parse_transcript

WARD = """---
id: w1
speakers: {Peneliti: interviewer, Sari: {attrs: {role: nurse}}, Tono: {attrs: {role: patient}}}
---
Peneliti: Bagaimana aksesnya?
Sari: Biaya mahal. Jarak jauh.
Tono: Saya percaya dokter.
Sari: Biaya lagi.
"""
# turn 0 Peneliti, turn 1 Sari, turn 2 Tono, turn 3 Sari
CODES = [{"id": "access", "label": "Access to care"},
         {"id": "access.cost", "parent": "access", "label": "Cost"},
         {"id": "access.distance", "parent": "access", "label": "Distance"},
         {"id": "trust", "label": "Trust in staff"}]
CODINGS = [("Biaya mahal", "access.cost"),      # Sari, turn 1
           ("Jarak jauh", "access.distance"),   # Sari, turn 1
           ("percaya dokter", "trust"),         # Tono, turn 2
           ("Biaya lagi", "access.cost"),       # Sari, turn 3
           ("aksesnya", "access")]              # the interviewer's turn 0: no informant's


def ward(tmp_path, levels=None):
    book = {"codebook": "ward", "codes": CODES} | ({"levels": levels} if levels else {})
    project = somecode.Project.create(tmp_path / "ward.somecode")
    project.set_codebook(somecode.Codebook.from_dict(book))
    project.add_source(parse_transcript(WARD, "w1.md"))
    for quote, code in CODINGS:
        project.code_quote("w1", quote, code, coder="me")
    return project


def labels(table: pd.DataFrame) -> list[str]:
    """Every label a reader sees: index and column names, row and column labels."""
    rows = [str(p) for item in table.index for p in (item if isinstance(item, tuple) else (item,))]
    return [str(n) for n in [*table.index.names, table.columns.name] if n] + rows + [str(c) for c in table.columns]


def test_own_codebook_tables_say_theme_and_code_never_stage(tmp_path):
    with ward(tmp_path) as project:
        tables = [theme_by_informant(project, margins=True), theme_by_informant(project, level="code", margins=True),
                  theme_by_source(project, level="code", margins=True), crosstab(project, by="role", margins=True),
                  cooccurrence(project, level="stage"), cooccurrence(project), framework_matrix(project)]
        for table in tables:
            assert "stage" not in labels(table), labels(table)
        assert tables[0].index.names == ["theme"] and tables[1].index.names == ["theme", "code"]
        assert tables[4].index.name == "theme" and tables[5].index.name == "code"
        assert "stage" not in to_markdown(tables[1]) + to_latex(tables[1])


def test_one_total_row_and_column_with_the_counts_by_hand(tmp_path):
    with ward(tmp_path) as project:
        stages = theme_by_informant(project, margins=True)
        expected = pd.DataFrame([[3, 0, 3], [0, 1, 1], [3, 1, 4]], columns=["Sari", "Tono", "Total"],
                                index=pd.Index(["access", "trust", "Total"], name="theme"))
        pd.testing.assert_frame_equal(stages, expected)
        codes = theme_by_informant(project, level="code", margins=True)
        assert list(codes.index) == [("access", "access"), ("access", "access.cost"),
                                     ("access", "access.distance"), ("trust", "trust"), ("Total", "")]
        assert codes.to_numpy().tolist() == [[0, 0, 0], [2, 0, 2], [1, 0, 1], [0, 1, 1], [3, 1, 4]]
        segments = theme_by_informant(project, level="code", value="segments", margins=True)
        assert segments.loc[("Total", "")].tolist() == [2, 1, 3]  # Sari's turns 1 and 3; Tono's turn 2
        assert segments.loc[("access", "access.cost"), "Total"] == 2
        sources = theme_by_source(project, level="code", margins=True)  # the interviewer's coding counts here
        assert sources["w1"].tolist() == [1, 2, 1, 1, 5] and sources["Total"].tolist() == [1, 2, 1, 1, 5]
        roles = crosstab(project, by="role", margins=True)
        assert roles.to_dict() == {"nurse": {"access": 3, "trust": 0, "Total": 3},
                                   "patient": {"access": 0, "trust": 1, "Total": 1},
                                   "Total": {"access": 3, "trust": 1, "Total": 4}}
        for table in (stages, codes, segments, sources, roles):
            assert labels(table).count("Total") == 2  # one row, one column
            assert "Total Total" not in to_markdown(table) and "Total / Total" not in to_markdown(table)
        assert to_markdown(codes).splitlines()[-1] == "| Total |  | 3 | 1 | 4 |"


def test_tables_use_the_codebooks_own_level_names(tmp_path):
    with ward(tmp_path, levels=["Kategori", "Subkategori"]) as project:
        assert project.codebook().levels == ["Kategori", "Subkategori"]
        assert theme_by_informant(project).index.name == "Kategori"
        assert theme_by_informant(project, level="code").index.names == ["Kategori", "code"]
        assert cooccurrence(project, level="stage").columns.name == "Kategori"


def test_the_some_codebook_names_its_levels_stage_and_sub_theme(tmp_path):
    from conftest import ROOT

    book = somecode.Codebook.load(ROOT / "codebooks" / "some.yaml")
    assert book.levels == ["stage", "sub-theme"]
    assert somecode.Codebook.load(book.save(tmp_path / "again.yaml")).levels == ["stage", "sub-theme"]


@pytest.mark.parametrize("levels", ["stage", ["stage", "stage"], ["stage", ""], [1, 2]])
def test_bad_level_names_are_reported(levels):
    with pytest.raises(ValidationError) as err:
        somecode.Codebook.from_dict({"levels": levels, "codes": CODES})
    assert "'levels'" in " ".join(err.value.problems) and "[theme, sub-theme]" in str(err.value.problems)


def _two_people(tmp_path, names, codes):
    """One interview per informant, one coding each (the i-th informant's with the i-th code)."""
    project = somecode.Project.create(tmp_path / "people.somecode")
    for n, (informant_id, name) in enumerate(names):
        project.add_informant(somecode.Informant(informant_id, name))
        project.add_source(somecode.Source.from_text(f"w{n}", "X: reels di sini.", kind="interview",
                                                     turns=[somecode.Turn(3, 17, name, informant_id)]))
    for code in codes:
        project.add_code(code)
    for n, _ in enumerate(names):
        project.code(f"w{n}", 3, 8, codes[n % len(codes)], coder="nida")
    return project


def test_two_informants_of_one_name_get_a_column_each(tmp_path):
    with _two_people(tmp_path, [("ani1", "Ani"), ("ani2", "Ani")], ["share"]) as project:
        table = somecode.theme_by_informant(project, margins=True)
        # by hand: each Ani has one coding of share; the total is two
        assert table.to_dict() == {"Ani (ani1)": {"share": 1, "Total": 1}, "Ani (ani2)": {"share": 1, "Total": 1},
                                   "Total": {"share": 2, "Total": 2}}


def test_an_informant_called_total_is_told_from_the_margin(tmp_path):
    with _two_people(tmp_path, [("ani", "Ani"), ("t", "Total")], ["share"]) as project:
        table = somecode.theme_by_informant(project, margins=True)
        assert list(table.columns) == ["Ani", "Total (t)", "Total"] and table.loc["Total", "Total"] == 2
        assert list(somecode.theme_by_informant(project).columns) == ["Ani", "Total"]  # no margin, no clash


def test_a_code_called_total_with_margins_is_refused(tmp_path):
    with _two_people(tmp_path, [("ani", "Ani"), ("budi", "Budi")], ["share", "Total"]) as project:
        with pytest.raises(somecode.ValidationError, match="already has a code 'Total'"):
            somecode.theme_by_informant(project, margins=True)
        assert somecode.theme_by_informant(project).loc["Total", "Budi"] == 1


def test_the_framework_matrix_tells_informants_of_one_name_apart(tmp_path):
    with _two_people(tmp_path, [("ani1", "Ani"), ("ani2", "Ani")], ["share"]) as project:
        table = framework_matrix(project)
        assert table.index.tolist() == ["Ani (ani1)", "Ani (ani2)"]
        assert table["share"].tolist() == ["“reels” (w0 3–8)", "“reels” (w1 3–8)"]
