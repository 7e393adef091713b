"""Cases with typed attributes, sets of sources and cases, and every analysis restricted by
``sets=`` and ``where=`` (issue #18, part 3).

The project: three cases, four sources, eight codings, written out here so each expected table
can be worked out by hand.

    case   role    age  region  joined
    ani    staff   34   Jawa    2021-04-01
    budi   deputy  51   Bali    -
    citra  staff   29   Bali    -

    s1 (interview)  Peneliti: "Apa"  -> optimize   (interviewer: no one's)
                    Ani: "Reels ramai" -> optimize, "Insight penting" -> manage
                    Budi: "Jadwal sore" -> manage
    s2 (interview)  Citra: "Reels bagus" -> optimize, "KOL membantu" -> engage
    s3 (interview)  Ani: "Lomba seru" -> engage
    d1 (document)   "reels populer" -> optimize

Counts by informant (count): optimize Ani 1, Citra 1; manage Ani 1, Budi 1; engage Ani 1, Citra 1.
"""

from __future__ import annotations

import datetime
import sqlite3

import pytest
from conftest import project_dump
from makefiles import make_xlsx

import somecode
from somecode import Informant, Source, Turn
from somecode.analysis import (
    codings_frame,
    cooccurrence,
    crosstab,
    framework_matrix,
    retrieve,
    saturation,
    theme_by_informant,
    theme_by_source,
    units_frame,
)
from somecode.errors import ConflictError, NotFoundError, ValidationError
from somecode.project.queries import matching, parse_query
from somecode.store import MIGRATIONS
from somecode.store import memos as store_memos
from somecode.store import sets as store_sets

CODES = ["optimize", "manage", "engage"]


def _turns(text: str, *spoken: tuple[str, str | None]) -> list[Turn]:
    """Turns ``Name: words`` in order: each turn's text starts after its label."""
    turns, at = [], 0
    for speaker, informant in spoken:
        start = text.index(f"{speaker}: ", at) + len(speaker) + 2
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        turns.append(Turn(start, end, speaker, informant))
        at = end
    return turns


def build(path) -> somecode.Project:
    p = somecode.Project.create(path)
    p.define_attribute("role", type="category", categories=["staff", "deputy"])
    p.define_attribute("age", type="number")
    p.define_attribute("joined", type="date")
    s1 = "Peneliti: Apa?\nAni: Reels ramai. Insight penting.\nBudi: Jadwal sore."
    p.add_source(Source.from_text("s1", s1, kind="interview",
                                  turns=_turns(s1, ("Peneliti", None), ("Ani", "ani"), ("Budi", "budi"))))
    s2 = "Citra: Reels bagus. KOL membantu."
    p.add_source(Source.from_text("s2", s2, kind="interview", turns=_turns(s2, ("Citra", "citra"))))
    s3 = "Ani: Lomba seru."
    p.add_source(Source.from_text("s3", s3, kind="interview", turns=_turns(s3, ("Ani", "ani"))))
    p.add_source(Source.from_text("d1", "Berita reels populer.", kind="document"))
    p.set_attributes("ani", role="staff", age=34, region="Jawa", joined="2021-04-01")
    p.set_attributes("budi", role="deputy", age="51", region="Bali")
    p.set_attributes("citra", role="staff", age=29, region="Bali")
    for code in CODES:
        p.add_code(code)
    for source, quote, code in [("s1", "Apa", "optimize"), ("s1", "Reels ramai", "optimize"),
                                ("s1", "Insight penting", "manage"), ("s1", "Jadwal sore", "manage"),
                                ("s2", "Reels bagus", "optimize"), ("s2", "KOL membantu", "engage"),
                                ("s3", "Lomba seru", "engage"), ("d1", "reels populer", "optimize")]:
        p.code_quote(source, quote, code, coder="nida")
    return p


@pytest.fixture
def p(tmp_path):
    project = build(tmp_path / "sets.somecode")
    yield project
    project.close()


def counts(table) -> dict:
    """A matrix as {column: {row: value}} (index names aside)."""
    return {column: dict(zip(table.index, table[column])) for column in table.columns}


# ---------------------------------------------------------------- attributes

def test_attributes_are_typed_when_set(p):
    assert {i.id: dict(i.attrs) for i in p.informants()} == {
        "ani": {"age": 34, "joined": "2021-04-01", "region": "Jawa", "role": "staff"},
        "budi": {"age": 51, "region": "Bali", "role": "deputy"},  # "51" became a number
        "citra": {"age": 29, "region": "Bali", "role": "staff"}}
    assert p.attributes().values.tolist() == [
        ["role", "category", ["staff", "deputy"], 3], ["age", "number", [], 3], ["joined", "date", [], 1],
        ["region", None, [], 3]]
    before = project_dump(p)
    with pytest.raises(ValidationError) as caught:
        p.set_attributes("budi", age="fifty-one", joined="21/04/2021")
    assert caught.value.problems == [
        "case 'budi', attribute 'age': 'fifty-one' is not a number",
        "case 'budi', attribute 'joined': '21/04/2021' is not a date written YYYY-MM-DD"]
    with pytest.raises(ValidationError, match=r"case 'citra', attribute 'role': 'Staff' is not one of its "
                                              r"categories 'staff', 'deputy' \(did you mean 'staff'\?\)"):
        p.set_attributes("citra", role="Staff")
    with pytest.raises(NotFoundError, match="did you mean 'citra'"):
        p.set_attributes("citr", role="staff")
    # a transcript declaring a case with a value of the wrong type is refused too
    bad = Source.from_text("s9", "Dodi: Ya.", kind="interview", turns=[Turn(6, 9, "Dodi", "dodi")],
                           attrs={"informants": {"dodi": {"name": "Dodi", "age": "tua"}}})
    with pytest.raises(ValidationError, match="case 'dodi', attribute 'age': 'tua' is not a number"):
        p.add_source(bad)
    assert project_dump(p) == before


def test_declaring_a_type_checks_the_values_held(p):
    before = project_dump(p)
    with pytest.raises(ValidationError) as caught:
        p.define_attribute("region", type="category", categories=["Jawa", "Sumatra"])
    assert caught.value.problems == ["case 'budi', attribute 'region': 'Bali' is not one of its categories "
                                     "'Jawa', 'Sumatra'",
                                     "case 'citra', attribute 'region': 'Bali' is not one of its categories "
                                     "'Jawa', 'Sumatra'"]
    assert project_dump(p) == before
    with pytest.raises(ValidationError, match=r"type='categori' is not one of .*\(did you mean 'category'\?\)"):
        p.define_attribute("sector", type="categori")
    with pytest.raises(ValidationError, match="needs its categories"):
        p.define_attribute("sector", type="category")
    p.define_attribute("region", type="category", categories=["Jawa", "Bali"])
    p.undo()
    assert p.attributes().set_index("name").loc["region", "type"] is None


# ---------------------------------------------------------------- the query language

@pytest.mark.parametrize("where, expected", [
    ("role == 'staff'", ["ani", "citra"]),
    ("role != 'staff'", ["budi"]),
    ("age >= 34", ["ani", "budi"]),
    ("age < 34 or region == 'Jawa'", ["ani", "citra"]),
    ("not (role == 'staff') and age > 50", ["budi"]),
    ("region in ['Bali'] and role not in ('deputy')", ["citra"]),
    ("joined < '2022-01-01'", ["ani"]),  # a case without the attribute matches nothing
    ("joined != '2021-04-01'", []),
    ('`region` == "Bali"', ["budi", "citra"]),
    ("name == 'Budi'", ["budi"]),
    ({"role": "staff", "region": ["Bali", "Papua"]}, ["citra"]),
])
def test_queries_select_cases(p, where, expected):
    assert p.add_set("q", where=where) is None
    assert p.set_members("q") == expected


@pytest.mark.parametrize("where, message", [
    ("rol == 'staff'", "no case attribute 'rol' (did you mean 'role'?)"),
    ("role == 'staf'", "'staf' is not a category of 'role' (did you mean 'staff'?)"),
    ("age > 'old'", "'age' is a number attribute, so compare it with a number"),
    ("joined > 2021", "'joined' is a date attribute, so compare it with a date in quotes"),
    ("role < 'staff'", "compare it with ==, != or in, not <"),
    ("role = 'staff'", "'=' is not a comparison: write =="),
    ("role == 'staff' and", "expected name, found the end"),
    ("__import__('os') == 1", "expected one of ==, !=, <, <=, >, >=, in, not in after '__import__', found '('"),
    ("age > 1; import os", "cannot read '; import os'"),
    ("age.real > 1", "no case attribute 'age.real'"),
    ("", "the query is empty"),
])
def test_bad_queries_are_errors_that_help(p, where, message):
    with pytest.raises(ValidationError) as caught:
        theme_by_informant(p, where=where)
    assert message in str(caught.value), str(caught.value)


def test_the_query_language_is_parsed_not_evaluated():
    assert parse_query("a == 1 or b in ['x', 'y']", ["a", "b"]).names == ("a", "b")
    # values of other types never equal a number (strict=False: the text "1" is not refused as in use)
    assert matching("a == 1", {"x": {"a": 1.0}, "y": {"a": "1"}, "z": {"a": True}}, strict=False) == ["x"]


# ---------------------------------------------------------------- sets

def test_static_and_query_sets(p):
    p.add_set("wave 1", sources=["s1", "d1"], by="nida")
    p.add_set("bali", cases=["budi", "citra"])
    p.add_set("young", where="age < 40")
    assert p.set_members("wave 1") == ["s1", "d1"]
    assert p.set_members("young") == ["ani", "citra"]
    p.set_attributes("citra", age=41)  # a query set is evaluated again
    assert p.set_members("young") == ["ani"]
    assert p.sets()[["name", "members", "query", "size"]].values.tolist() == [
        ["bali", "cases", None, 2], ["wave 1", "sources", None, 2], ["young", "cases", "age < 40", 1]]
    with pytest.raises(ValidationError) as caught:
        p.add_set("bad", sources=["s1", "s11", "x9"])
    assert caught.value.problems == ["no source 's11' in the project (did you mean 's1'?)",
                                     "no source 'x9' in the project"]
    with pytest.raises(ConflictError, match="there is a set 'bali' already"):
        p.add_set("bali", cases=["ani"])
    with pytest.raises(ValidationError, match="exactly one of sources=, cases= or where="):
        p.add_set("both", sources=["s1"], where="age > 1")
    p.rename_set("bali", "Bali cases")
    assert p.set_members("Bali cases") == ["budi", "citra"]
    with pytest.raises(NotFoundError, match="no set 'bali' in the project"):
        p.set_members("bali")
    p.delete_set("Bali cases")
    assert p.sets()["name"].tolist() == ["wave 1", "young"]
    p.undo()
    p.undo()
    assert p.set_members("bali") == ["budi", "citra"]
    p.redo()
    assert "Bali cases" in p.sets()["name"].tolist()


# ---------------------------------------------------------------- analyses restricted

def test_theme_by_informant_by_sets_and_where(p):
    full = {"Ani": {"optimize": 1, "manage": 1, "engage": 1}, "Budi": {"optimize": 0, "manage": 1, "engage": 0},
            "Citra": {"optimize": 1, "manage": 0, "engage": 1}}
    assert counts(theme_by_informant(p)) == full
    assert counts(theme_by_informant(p, where="role == 'staff'")) == {k: full[k] for k in ("Ani", "Citra")}
    assert counts(theme_by_informant(p, where={"age": 51})) == {"Budi": full["Budi"]}
    p.add_set("wave 1", sources=["s1", "d1"])
    p.add_set("bali", cases=["budi", "citra"])
    p.add_set("older", where="age >= 30")
    # s1 and d1 only: Ani's engage is in s3; Citra speaks in neither
    assert counts(theme_by_informant(p, sets="wave 1")) == {
        "Ani": {"optimize": 1, "manage": 1, "engage": 0}, "Budi": full["Budi"]}
    assert counts(theme_by_informant(p, sets="bali")) == {"Budi": full["Budi"], "Citra": full["Citra"]}
    assert counts(theme_by_informant(p, sets=["bali", "older"])) == full  # sets of cases add up
    assert counts(theme_by_informant(p, sets=["wave 1", "bali"])) == {"Budi": full["Budi"]}  # and both apply
    assert counts(theme_by_informant(p, sets="bali", where="role == 'staff'")) == {"Citra": full["Citra"]}
    assert counts(theme_by_informant(p, sets="older", value="segments")) == {
        "Ani": {"optimize": 1, "manage": 1, "engage": 1}, "Budi": {"optimize": 0, "manage": 1, "engage": 0}}
    with pytest.raises(NotFoundError, match=r"no set 'balli' in the project \(did you mean 'bali'\?\)"):
        theme_by_informant(p, sets="balli")
    # no case kept: no column, and no error for values that divide by the words of a column
    for value in ("count", "coverage", "words", "quotes"):
        assert theme_by_informant(p, where="age > 100", value=value).shape == (3, 0)
    assert counts(theme_by_informant(p, where="age > 100", value="coverage", margins=True)) == {
        "Total": {"optimize": 0.0, "manage": 0.0, "engage": 0.0, "Total": 0.0}}


def test_other_analyses_take_sets_and_where(p):
    p.add_set("wave 1", sources=["s1", "d1"])
    p.add_set("bali", cases=["budi", "citra"])
    # every coding of the kept sources counts, the interviewer's "Apa" included
    assert counts(theme_by_source(p, sets="wave 1")) == {"s1": {"optimize": 2, "manage": 2, "engage": 0},
                                                         "d1": {"optimize": 1, "manage": 0, "engage": 0}}
    assert counts(theme_by_source(p, where="role == 'deputy'")) == {"s1": {"optimize": 0, "manage": 1, "engage": 0}}
    assert counts(crosstab(p, by="role")) == {"deputy": {"optimize": 0, "manage": 1, "engage": 0},
                                              "staff": {"optimize": 2, "manage": 1, "engage": 2}}
    assert counts(crosstab(p, by="region", sets="wave 1")) == {"Bali": {"optimize": 0, "manage": 1, "engage": 0},
                                                               "Jawa": {"optimize": 1, "manage": 1, "engage": 0}}
    assert retrieve(p, sets="bali")["text"].tolist() == ["Jadwal sore", "Reels bagus", "KOL membantu"]
    assert codings_frame(p, where="age < 30")["text"].tolist() == ["Reels bagus", "KOL membantu"]
    assert codings_frame(p, sets="wave 1")["text"].tolist() == ["reels populer", "Apa", "Reels ramai",
                                                                "Insight penting", "Jadwal sore"]
    assert sorted(units_frame(p, sets="bali")[["source", "turn"]].values.tolist()) == [["s1", 2], ["s2", 0]]
    matrix = framework_matrix(p, where="region == 'Bali'")
    assert matrix.index.tolist() == ["Budi", "Citra"]
    assert matrix.loc["Budi", "manage"] == "“Jadwal sore” (s1 56–67)"
    assert cooccurrence(p).loc["optimize", "manage"] == 1  # Ani's turn in s1
    assert cooccurrence(p, where="role == 'deputy'").loc["optimize", "manage"] == 0
    assert saturation(p, sets="bali").values.tolist() == [["s1", 1, 1, ["manage"], 1],
                                                          ["s2", 2, 2, ["optimize", "engage"], 3]]


def test_crosstab_by_any_attribute(p):
    p.define_attribute("sector", type="text")  # declared, no value yet: a column of the long table, empty
    assert "sector" in codings_frame(p).columns
    assert crosstab(p, by="sector").shape == (3, 0)
    p.set_attributes("budi", sector="health")
    assert counts(crosstab(p, by="sector")) == {"health": {"optimize": 0, "manage": 1, "engage": 0}}
    assert counts(crosstab(p, by="joined")) == {"2021-04-01": {"optimize": 1, "manage": 1, "engage": 1}}
    with pytest.raises(ValidationError, match="did you mean 'sector'"):
        crosstab(p, by="sektor")


# ---------------------------------------------------------------- classification sheets

def _write(path, rows):
    import csv

    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_sheet_with_a_bad_type_and_an_unknown_id_changes_nothing(p, tmp_path, suffix):
    rows = [("id", "age", "joined", "role"), ("ani", "35", "2021-04-01", "staff"),
            ("budi", "fifty", "2020-13-01", "deputy"), ("zz", "40", "", "staff"), ("citra", "30", "", "Staf")]
    sheet = (_write if suffix == ".csv" else make_xlsx)(tmp_path / f"cases{suffix}", rows)
    before = project_dump(p)
    with pytest.raises(ValidationError) as caught:
        p.apply_classification(sheet, id_column="id")
    assert caught.value.problems == [
        f"{sheet}, row 3, column 'age': 'fifty' is not a number, as the declared number attribute 'age' needs "
        "(fix: correct the cell, or declare the attribute with another type)",
        f"{sheet}, row 3, column 'joined': '2020-13-01' is not a date written YYYY-MM-DD, as the declared date "
        "attribute 'joined' needs (fix: correct the cell, or declare the attribute with another type)",
        f"{sheet}, row 4, column 'id': no informant 'zz' in the project (fix: correct the id, or pass "
        "add_unknown=True to add it as a new case)",
        f"{sheet}, row 5, column 'role': 'Staf' is not one of its categories 'staff', 'deputy' (did you mean "
        "'staff'?), as the declared category attribute 'role' needs (fix: correct the cell, or declare the "
        "attribute with another type)"]
    assert project_dump(p) == before


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_typed_sheet_round_trips(p, tmp_path, suffix):
    p.define_attribute("postcode", type="text")
    p.set_attributes("ani", postcode="0123")
    out = p.export_classification(tmp_path / f"cases{suffix}")
    if suffix == ".csv":
        assert out.read_text(encoding="utf-8").splitlines() == [
            "id,name,age,joined,postcode,region,role", "ani,Ani,34,2021-04-01,0123,Jawa,staff",
            "budi,Budi,51,,,Bali,deputy", "citra,Citra,29,,,Bali,staff"]
        out.write_text("id,age,postcode,role\nbudi,52,1.50,staff\n", encoding="utf-8")
    else:
        make_xlsx(out, [("id", "age", "postcode", "role"), ("budi", 52.0, "1.50", "staff")])
    changed = p.apply_classification(out, id_column="id")
    assert [(i.id, dict(i.attrs)) for i in changed] == [
        ("budi", {"age": 52, "postcode": "1.50", "region": "Bali", "role": "staff"})]
    p.undo()
    assert next(i for i in p.informants() if i.id == "budi").attrs["role"] == "deputy"


def test_survey_respondents_are_cases_with_their_columns(p, tmp_path):
    path = _write(tmp_path / "survey.csv", [("id", "role", "age", "like"), ("r1", "staff", "44", "Cepat."),
                                            ("r2", "deputy", "38", "Ramah.")])
    p.add_sources(somecode.read_survey(path, id_column="id", text_columns="like"))
    assert {i.id: dict(i.attrs) for i in p.informants() if i.id.startswith("r")} == {
        "r1": {"age": 44, "role": "staff"}, "r2": {"age": 38, "role": "deputy"}}
    p.add_set("staff", where="role == 'staff'")
    assert p.set_members("staff") == ["ani", "citra", "r1"]


# ---------------------------------------------------------------- the file

def test_a_version_7_file_is_migrated_with_its_data(tmp_path):
    path = tmp_path / "v7.somecode"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA application_id = 1397572420")
    conn.execute("BEGIN")
    for version in range(1, 8):
        MIGRATIONS[version](conn)
    conn.execute("INSERT INTO meta VALUES ('schema_version', '7')")
    conn.execute("INSERT INTO informants (id, name, attrs) VALUES ('ani', 'Ani', '{\"role\": \"staff\"}')")
    conn.execute("INSERT INTO codes (id, parent, position) VALUES ('share', NULL, 0)")
    conn.execute("COMMIT")
    conn.close()
    with somecode.Project.open(path) as project:
        assert project.store.schema_version == 8
        assert [(i.id, dict(i.attrs)) for i in project.informants()] == [("ani", {"role": "staff"})]
        assert project.code_ids() == ["share"]
        assert project.memos().empty and project.sets().empty
        project.add_set("staff", where="role == 'staff'")
        memo = project.add_memo("Only one case so far.", kind="set", about="staff", by="nida")
        assert project.set_members("staff") == ["ani"]
        project.undo()
        assert memo not in project.memos()["id"].tolist()
    assert (tmp_path / "v7.somecode.v7.bak").exists()


def test_set_attributes_accepts_a_mapping_for_names_with_spaces(p):
    assert p.set_attributes("ani", {"years in post": 3}).attrs["years in post"] == 3
    p.add_set("long", where="`years in post` >= 3")
    assert p.set_members("long") == ["ani"]
    assert p.set_attributes("ani", {"years in post": None}).attrs.get("years in post") is None
    assert Informant("ani", "Ani") in [Informant(i.id, i.name) for i in p.informants()]


# ---------------------------------------------------------------- review of issue #18: queries that match nothing

def test_a_typo_or_other_capitals_in_a_where_value_is_an_error_not_an_empty_set(p):
    # region is undeclared: ani Jawa, budi and citra Bali
    with pytest.raises(ValidationError, match=r"no case has region 'Bail' \(did you mean 'Bali'\?\); the values "
                                              r"held are 'Bali', 'Jawa'"):
        p.add_set("q", where="region == 'Bail'")
    with pytest.raises(ValidationError, match=r"no case has region 'BALI' \(did you mean 'Bali'\? values are "
                                              "compared as written, capitals included\\)"):
        theme_by_informant(p, where="region == 'BALI'")
    with pytest.raises(ValidationError, match=r"no case has region 'Bail' \(did you mean 'Bali'\?\)"):
        p.add_set("q", where={"region": ["Jawa", "Bail"]})
    with pytest.raises(ValidationError, match=r"no case has id 'Ani' \(did you mean 'ani'\?"):
        p.add_set("q", where="id == 'Ani'")
    p.add_set("q", where={"region": ["Jawa", "Papua"]})  # a list may name a value nobody holds, unlike a typo
    assert p.set_members("q") == ["ani"]
    assert p.sets()["name"].tolist() == ["q"]


def test_numbers_held_as_text_are_refused_until_the_attribute_is_declared_a_number(tmp_path):
    with somecode.Project.create(tmp_path / "t.somecode") as p:
        p.add_informant(Informant("ani", "Ani", {"age": "34"}))
        p.add_informant(Informant("budi", "Budi", {"age": "51"}))
        p.add_informant(Informant("citra", "Citra", {"age": 29}))
        for where in ("age >= 30", "age == 34", {"age": 34}):
            with pytest.raises(ValidationError, match=r"'age' holds text '34', not the number 34, .*"
                                                      r"project.define_attribute\('age', type='number'\)"):
                p.add_set("older", where=where)
        with pytest.raises(ValidationError, match=r"'age' holds numbers and text \('34', '51', 29\), never equal "
                                                  "to or ordered with True"):
            p.add_set("older", where="age == true")
        p.define_attribute("age", type="number")  # "34" and "51" become 34 and 51
        p.add_set("older", where="age >= 30")
        assert p.set_members("older") == ["ani", "budi"]


def test_a_date_literal_is_read_as_a_date_and_a_date_holds_no_time_of_day(p):
    # ani joined 2021-04-01; budi and citra have no date
    p.add_set("april", where="joined == '20210401'")  # the basic ISO form is the same day
    assert p.set_members("april") == ["ani"]
    assert p.sets().set_index("name").loc["april", "query"] == "joined == '20210401'"
    before = p.informants()
    with pytest.raises(ValidationError, match=r"case 'budi', attribute 'joined': datetime.datetime\(2021, 4, 1, 9, "
                                              r"30\) is not a date without a time of day"):
        p.set_attributes("budi", joined=datetime.datetime(2021, 4, 1, 9, 30))
    assert p.informants() == before
    assert p.set_attributes("budi", joined=datetime.datetime(2021, 4, 1)).attrs["joined"] == "2021-04-01"


@pytest.mark.parametrize("where, expected", [
    # joined: only ani has a date; a case without one matches no comparison on it, negated or not
    ("not joined == '2021-04-01'", []),
    ("joined != '2021-04-01'", []),
    # ani: not (true and true); budi: not (unknown and false) = not false; citra: not (unknown and true)
    ("not (joined == '2021-04-01' and role == 'staff')", ["budi"]),
    ("not joined == '2021-04-01' or role == 'deputy'", ["budi"]),   # budi: unknown or true is true
    # ani: not (false or false); budi and citra: not (unknown or true) = not true
    ("not (joined > '2022-01-01' or region == 'Bali')", ["ani"]),
    # ani: not (true and false); budi and citra: not (unknown and true) = not unknown
    ("not (joined < '2022-01-01' and region == 'Bali')", ["ani"]),
])
def test_not_follows_the_rule_for_cases_without_a_value(p, where, expected):
    p.add_set("q", where=where)
    assert p.set_members("q") == expected


def test_a_query_nested_too_deep_is_an_error_not_a_crash(p):
    for where in ["not " * 2000 + "role == 'staff'", "(" * 2000 + "role == 'staff'" + ")" * 2000]:
        with pytest.raises(ValidationError, match="nest more than 50 deep"):
            p.add_set("q", where=where)
    long = " and ".join(["region != 'Papua'"] * 3000)  # long, not deep: evaluated without recursion
    with pytest.raises(ValidationError, match="no case has region 'Papua'"):
        p.add_set("q", where=long)
    p.add_set("q", where=" or ".join(["region == 'Jawa'"] * 3000))
    assert p.set_members("q") == ["ani"]


def test_categories_given_as_one_string_are_refused(p):
    with pytest.raises(ValidationError, match=r"categories='abc' is not a list of categories"):
        p.define_attribute("sector", type="category", categories="abc")
    assert "sector" not in p.attributes()["name"].tolist()


@pytest.mark.parametrize("call, message", [
    (lambda p: p.set_attributes("ani", ["a"]), r"give the values as name=value, or as a mapping"),
    (lambda p: p.set_attributes("ani", {5: "x"}), r"attribute name\(s\) 5 are not allowed"),
    (lambda p: p.add_set("z", cases=5), r"cases=5: give an id or a list of ids"),
    (lambda p: p.set_members(["a"]), r"set \['a'\]: name a set by its name"),
    (lambda p: theme_by_informant(p, sets=5), r"sets=5: give a set's name or a list of names"),
    (lambda p: somecode.search(p, "reels", sets=5), r"sets=5: give a set's name or a list of names"),
    (lambda p: somecode.word_frequencies(p, sets=5), r"sets=5: give a set's name or a list of names"),
])
def test_arguments_of_the_wrong_kind_are_our_errors(p, call, message):
    before = project_dump(p)
    with pytest.raises(ValidationError, match=message):
        call(p)
    assert project_dump(p) == before


def test_a_deleted_source_leaves_its_sets_and_undo_puts_it_back(p):
    p.add_set("wave 1", sources=["s1", "s3", "d1"])
    memo = p.add_memo("Ani twice.", kind="source", about="s3")
    with pytest.warns(somecode.SomecodeWarning, match=r"1 memo\(s\) about it stay \(id \d+\)"):
        p.delete_source("s3", force=True)
    assert p.set_members("wave 1") == ["s1", "d1"]
    assert p.sets().set_index("name").loc["wave 1", "size"] == 2
    assert somecode.search(p, "seru", sets="wave 1").empty
    assert p.check().values.tolist() == [
        ["notice", f"memo {memo}", "is about source 's3', which is not in the project "
                                   f"(project.delete_memo({memo}) if it is no longer wanted)"]]
    p.undo()  # the source, its codings and its place in the set, in one operation
    assert p.set_members("wave 1") == ["s1", "s3", "d1"]
    assert p.check().empty
    p.redo()
    p.add_source(Source.from_text("s3", "Budi: Lain lagi.", kind="interview"))  # a new source of that id
    assert p.set_members("wave 1") == ["s1", "d1"]                             # is not a member


def test_check_lists_set_members_and_memos_that_name_nothing(p):
    with p.atomic():  # as a file written before sets followed deletions, or an import, may hold
        store_sets.insert_set(p.store, "old", "sources", None, ["s1", "s9"], "")
        store_sets.insert_set(p.store, "people", "cases", None, ["zed"], "")
        store_memos.insert_memo(p.store, "code", "retired", "An old code.", "")
    assert sorted(p.check().values.tolist()) == sorted([
        ["notice", "set old", "names 1 source(s) not in the project: 's9' (they are left out of every analysis)"],
        ["notice", "set people", "names 1 case(s) not in the project: 'zed' (they are left out of every analysis)"],
        ["notice", "memo 1", "is about code 'retired', which is not in the project "
                             "(project.delete_memo(1) if it is no longer wanted)"]])
