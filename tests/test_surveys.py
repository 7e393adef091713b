"""Surveys as cases (issue #15, scope 5): one case per respondent, coded columns as codings,
classification sheets applied and exported.  Expected values are worked out by hand from the
small tables written here."""

from __future__ import annotations

import datetime as dt

import pytest
from makefiles import make_xlsx

import somecode
from somecode.analysis import crosstab
from somecode.errors import ConflictError, NotFoundError, SomecodeWarning, ValidationError
from somecode.model import Informant
from somecode.project.classification import apply_classification, export_classification, import_code_columns
from somecode.sources.tables import read_survey

# r4 left 'like' empty; r5 answered nothing.  'price' says whether the answer to 'change' is about
# prices; 'like_codes' holds the codes of the answer to 'like'.
SURVEY = [
    ("id", "gender", "age", "like", "change", "price", "like_codes"),
    ("r1", "F", "34", "Pelayanan cepat", "Terlalu mahal", "1", "service"),
    ("r2", "M", "41", "Staf ramah", "", "0", "service; staff"),
    ("r3", "F", "29", "Murah", "Harga naik terus", "yes", "price"),
    ("r4", "M", "52", "", "Tidak ada", "no", ""),
    ("r5", "F", "", "", "", "", ""),
]


def write_csv(path, rows):
    import csv

    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


@pytest.fixture
def survey(tmp_path):
    return write_csv(tmp_path / "survey.csv", SURVEY)


@pytest.fixture
def project(tmp_path):
    p = somecode.Project.create(tmp_path / "p.somecode")
    for code in ("service", "staff", "price"):
        p.add_code(code)
    p.add_coder("nida")
    yield p
    p.close()


def read(path, **options):
    options = {"id_column": "id", "text_columns": ["like", "change"],
               "attribute_columns": ["gender", "age"], **options}
    with pytest.warns(SomecodeWarning, match=r"1 respondent\(s\) answered none .*\(r5\)"):
        return read_survey(path, **options)


def test_each_answer_is_a_source_and_each_respondent_a_case(survey, project):
    sources = read(survey)
    # non-empty answers: r1 like+change, r2 like, r3 like+change, r4 change
    assert [(s.id, s.text) for s in sources] == [
        ("r1-like", "Pelayanan cepat"), ("r1-change", "Terlalu mahal"), ("r2-like", "Staf ramah"),
        ("r3-like", "Murah"), ("r3-change", "Harga naik terus"), ("r4-change", "Tidak ada")]
    turn = sources[1].turns[0]
    assert (turn.start, turn.end, turn.informant, dict(turn.attrs)) == (0, 13, "r1", {"question": "change"})
    project.add_sources(sources)
    assert [(i.id, dict(i.attrs)) for i in project.informants()] == [
        ("r1", {"gender": "F", "age": 34}), ("r2", {"gender": "M", "age": 41}),
        ("r3", {"gender": "F", "age": 29}), ("r4", {"gender": "M", "age": 52}), ("r5", {"gender": "F"})]


def test_respondent_and_question_layouts(survey):
    by_respondent = read(survey, layout="respondent")
    assert [s.id for s in by_respondent] == ["r1", "r2", "r3", "r4"]
    r1 = by_respondent[0]
    assert r1.text == "Pelayanan cepat\n\nTerlalu mahal"
    assert [(t.start, t.end, t.informant, t.attrs["question"]) for t in r1.turns] == [
        (0, 15, "r1", "like"), (17, 30, "r1", "change")]
    by_question = read(survey, layout="question")
    assert [s.id for s in by_question] == ["like", "change"]
    like = by_question[0]
    assert like.text == "Pelayanan cepat\n\nStaf ramah\n\nMurah"
    assert [(t.start, t.end, t.informant) for t in like.turns] == [(0, 15, "r1"), (17, 27, "r2"), (29, 34, "r3")]
    # r5 answered nothing but is still a case, declared by the first source
    assert sorted(like.attrs["informants"]) == ["r1", "r2", "r3", "r5"]
    with pytest.raises(ValidationError, match=r"layout='turns' is not one of 'answer', 'respondent', 'question'"):
        read_survey(survey, id_column="id", text_columns="like", layout="turns")


def test_survey_problems_are_listed_together(tmp_path):
    path = write_csv(tmp_path / "bad.csv", [("id", "q"), ("a", "x"), ("", "y"), ("a", "z")])
    with pytest.raises(ValidationError) as caught:
        read_survey(path, id_column="id", text_columns="q")
    assert caught.value.problems == [
        f"{path}, row 3, column 'id': no respondent id (fix: give every row an id, or delete the row)",
        f"{path}, row 4, column 'id': respondent 'a' is also in row 2 (fix: make the 'id' values unique)"]
    with pytest.raises(ValidationError) as caught:
        read_survey(path, id_column="ID", text_columns=["q", "answer"])
    assert len(caught.value.problems) == 2
    assert "header row: no column named 'ID' (did you mean 'id'?)" in caught.value.problems[0]


def code_survey(project, survey):
    project.add_sources(read(survey))
    return import_code_columns(project, survey, id_column="id", coder="nida",
                               code_columns={"price": "price", "like_codes": None},
                               question={"price": "change", "like_codes": "like"})


def test_coded_columns_become_codings_and_crosstab_by_gender(survey, project):
    made = code_survey(project, survey)
    # price: r1 (1) and r3 (yes) on 'change'; like_codes: r1 service, r2 service+staff, r3 price on 'like'
    assert sorted((c.source_id, c.start, c.end, c.code_id) for c in made) == [
        ("r1-change", 0, 13, "price"), ("r1-like", 0, 15, "service"), ("r2-like", 0, 10, "service"),
        ("r2-like", 0, 10, "staff"), ("r3-change", 0, 16, "price"), ("r3-like", 0, 5, "price")]
    assert {(c.coder_id, c.origin) for c in project.coding_records()} == {("nida", "imported")}
    table = crosstab(project, by="gender")
    # F (r1, r3): price 3 (r1-change, r3-change, r3-like), service 1; M (r2): service 1, staff 1
    assert {k: v for k, v in table.to_dict().items()} == {
        "F": {"price": 3, "service": 1, "staff": 0}, "M": {"price": 0, "service": 1, "staff": 1}}
    assert project.history()["action"].tolist()[-1] == "import_code_columns"
    project.undo()
    assert project.coding_records() == []


def test_unknown_codes_and_respondents_are_refused_together(tmp_path, survey, project):
    project.add_sources(read(survey))
    rows = [("id", "price", "like_codes"), ("r1", "maybe", "servise"), ("R1", "1", ""), ("r2", "1", "staff")]
    coded = write_csv(tmp_path / "coded.csv", rows)
    with pytest.raises(ValidationError) as caught:
        import_code_columns(project, coded, id_column="id", coder="nida",
                            code_columns={"price": "price", "like_codes": None},
                            question={"price": "change", "like_codes": "like"})
    assert caught.value.problems == [
        f"{coded}, row 2, column 'price': 'maybe' is not a yes/no value for code 'price' (fix: use 1/0, "
        "yes/no or true/false, or leave the cell empty for no)",
        f"{coded}, row 2, column 'like_codes': no code 'servise' in the project (did you mean 'service'?) "
        "(fix: correct the cell, or add the code with project.add_code('servise'))",
        f"{coded}, row 3, column 'id': no respondent 'R1' in the project (did you mean 'r1'?) (fix: correct the "
        "id, or add the survey's answers first with project.add_sources(read_survey(...)))",
        f"{coded}, row 4, column 'price': respondent 'r2' has no answer to 'change' to code with 'price' "
        "(fix: clear the cell, or check the id and question=)"]
    assert project.coding_records() == []
    with pytest.raises(NotFoundError, match="no coder 'nina' in the project"):
        import_code_columns(project, coded, id_column="id", coder="nina", code_columns=["like_codes"])
    with pytest.raises(ValidationError, match="which question's answers does it code"):
        import_code_columns(project, coded, id_column="id", coder="nida", code_columns=["like_codes"])


def test_classification_sheet_applied_and_unknown_ids_reported(tmp_path, survey, project):
    project.add_sources(read(survey))
    sheet = write_csv(tmp_path / "cases.csv", [("id", "region", "age", "joined"),
                                               ("r1", "Jawa", "35", "2021-04-01"), ("r2", "Bali", "", "")])
    changed = apply_classification(project, sheet, id_column="id")
    assert [(i.id, dict(i.attrs)) for i in changed] == [
        ("r1", {"gender": "F", "age": 35, "region": "Jawa", "joined": "2021-04-01"}),
        ("r2", {"gender": "M", "age": 41, "region": "Bali"})]  # empty cells keep what was there
    before = [(i.id, dict(i.attrs)) for i in project.informants()]
    bad = write_csv(tmp_path / "bad.csv", [("id", "region"), ("r3", "Sumatra"), ("R1", "Jawa"), ("zz", "x")])
    with pytest.raises(ValidationError) as caught:
        apply_classification(project, bad, id_column="id")
    assert caught.value.problems == [
        f"{bad}, row 3, column 'id': no informant 'R1' in the project (did you mean 'r1'?) (fix: correct the "
        "id, or pass add_unknown=True to add it as a new case)",
        f"{bad}, row 4, column 'id': no informant 'zz' in the project (fix: correct the id, or pass "
        "add_unknown=True to add it as a new case)"]
    assert [(i.id, dict(i.attrs)) for i in project.informants()] == before  # r3 untouched too
    added = apply_classification(project, bad, id_column="id", add_unknown=True)
    assert [(i.id, i.name, dict(i.attrs)) for i in added] == [
        ("r3", "r3", {"gender": "F", "age": 29, "region": "Sumatra"}), ("R1", "R1", {"region": "Jawa"}),
        ("zz", "zz", {"region": "x"})]
    project.undo()
    assert [(i.id, dict(i.attrs)) for i in project.informants()] == before


def test_xlsx_survey_and_classification_round_trip(tmp_path, project):
    rows = [("id", "gender", "age", "like", "price"), ("r1", "F", 34, "Pelayanan cepat", 1),
            (2, "M", 41.0, "Mahal", 0), ("r3", "F", 29, "Harga naik", True)]
    path = make_xlsx(tmp_path / "survey.xlsx", rows)
    sources = read_survey(path, id_column="id", text_columns="like", attribute_columns=["gender", "age"])
    assert [(s.id, s.turns[0].informant) for s in sources] == [("r1-like", "r1"), ("2-like", "2"),
                                                               ("r3-like", "r3")]
    project.add_sources(sources)
    made = import_code_columns(project, path, id_column="id", coder="nida", code_columns={"price": "price"})
    assert sorted((c.source_id, c.code_id) for c in made) == [("r1-like", "price"), ("r3-like", "price")]
    assert crosstab(project, by="gender").to_dict() == {"F": {"price": 2, "service": 0, "staff": 0},
                                                         "M": {"price": 0, "service": 0, "staff": 0}}
    sheet = make_xlsx(tmp_path / "cases.xlsx", [("id", "since"), ("r1", dt.datetime(2020, 5, 17)), (2, 2019)])
    apply_classification(project, sheet, id_column="id")
    assert {i.id: dict(i.attrs) for i in project.informants()} == {
        "2": {"gender": "M", "age": 41.0, "since": 2019}, "r1": {"gender": "F", "age": 34, "since": "2020-05-17"},
        "r3": {"gender": "F", "age": 29}}
    out = export_classification(project, tmp_path / "out.xlsx")
    from openpyxl import load_workbook

    sheet_rows = [list(r) for r in load_workbook(out).active.iter_rows(values_only=True)]
    assert sheet_rows == [["id", "name", "age", "gender", "since"], ["2", "2", 41, "M", 2019],
                          ["r1", "r1", 34, "F", "2020-05-17"], ["r3", "r3", 29, "F", None]]
    with pytest.raises(ConflictError, match="exists already"):
        export_classification(project, out)


def test_exported_csv_reads_back(tmp_path, project):
    project.add_informant(Informant("a1", "Ani", {"role": "manajer", "years": 7}))
    project.add_informant(Informant("b2", "Budi", {"role": "staf"}))
    out = export_classification(project, tmp_path / "cases.csv")
    assert out.read_bytes().decode("utf-8") == "id,name,role,years\r\na1,Ani,manajer,7\r\nb2,Budi,staf,\r\n"
    out.write_text("id,name,role,years\na1,Ani,direktur,8\nb2,Budi,staf,\n", encoding="utf-8")
    apply_classification(project, out, id_column="id")
    assert {i.id: (i.name, dict(i.attrs)) for i in project.informants()} == {
        "a1": ("Ani", {"role": "direktur", "years": 8}), "b2": ("Budi", {"role": "staf"})}
