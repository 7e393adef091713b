"""The project store: create, open, sources, codes, coders, codings, quotes, errors."""

import sqlite3

import pytest
from conftest import project_dump

import somecode
from somecode import (
    Code,
    Coding,
    ConflictError,
    NotFoundError,
    ProjectError,
    ValidationError,
)
from somecode.store import SCHEMA_VERSION


def test_create_refuses_to_overwrite_and_open_needs_a_project(tmp_path):
    path = tmp_path / "p.somecode"
    somecode.Project.create(path).close()
    with pytest.raises(ProjectError, match="already exists"):
        somecode.Project.create(path)
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(ProjectError, match="not a somecode project"):
        somecode.Project.open(other)
    text = tmp_path / "notes.txt"
    text.write_text("hello " * 200)
    with pytest.raises(ProjectError, match="not a somecode project"):
        somecode.Project.open(text)
    with pytest.raises(ProjectError, match="no such project file"):
        somecode.Project.open(tmp_path / "missing.somecode")


def test_a_project_from_a_newer_somecode_is_refused(tmp_path):
    path = tmp_path / "p.somecode"
    with somecode.Project.create(path) as p:
        p.store.conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
    with pytest.raises(ProjectError, match=f"schema version {SCHEMA_VERSION + 1}, newer"):
        somecode.Project.open(path)


def test_sources_informants_and_reopen(tmp_path, interview):
    path = tmp_path / "p.somecode"
    with somecode.Project.create(path) as p:
        p.add_source(interview)
    with somecode.Project.open(path) as p:
        assert p.source("ani") == interview
        assert p.informants() == [somecode.Informant("ani", "Ani", {"role": "admin"})]
        with pytest.raises(NotFoundError, match="no source 'budi'.*'ani'"):
            p.source("budi")


def test_code_validates_span_code_and_source(coded):
    with pytest.raises(ValidationError, match=r"ends past the text of 'ani' \(64 characters\)"):
        coded.code("ani", 60, 65, "share", coder="nida")
    with pytest.raises(ValidationError, match="no code 'engage'"):
        coded.code("ani", 29, 34, "engage", coder="nida")
    with pytest.raises(ValidationError, match="no source 'budi'"):
        coded.code("budi", 0, 1, "share", coder="nida")
    with pytest.raises(ValidationError, match=r"span \[5, 5\) is not valid"):
        coded.code("ani", 5, 5, "share", coder="nida")
    with pytest.raises(ValidationError, match="say who is coding"):
        coded.code("ani", 29, 34, "share")
    assert coded.summary()["codings"] == 0


def test_code_counts_code_points_and_is_idempotent(coded):
    first = coded.code("ani", 35, 36, "share", coder="nida")  # the emoji alone
    again = coded.code("ani", 35, 36, "share", coder="nida")
    assert first == again and first.id == again.id
    frame = coded.codings()
    assert frame["text"].tolist() == ["👍"]
    assert frame.loc[0, "speaker"] == "Ani" and frame.loc[0, "informant"] == "ani"
    assert frame.loc[0, "turn"] == 1
    assert [c.id for c in coded.coders()] == ["nida"]


def test_codings_frame_columns(coded):
    coded.code("ani", 10, 13, "share", coder="nida", memo="pertanyaan")
    coded.code("ani", 58, 62, "optimize", coder="budi")
    frame = coded.codings()
    columns = somecode.analysis.CODING_COLUMNS
    assert list(frame.columns) == columns[:11] + ["role"] + columns[11:]  # the informant's attrs
    assert frame["role"].isna().tolist() == [True, False] and frame.loc[1, "role"] == "admin"
    assert frame["stage"].tolist() == ["share", "optimize"] and frame["subtheme"].isna().all()
    frame = frame.astype(object).where(frame.notna(), None)
    assert frame[["speaker", "informant", "turn", "code", "coder", "text", "words", "memo"]].values.tolist() == [
        ["Peneliti", None, 0, "share", "nida", "Apa", 1, "pertanyaan"],
        ["Ani", "ani", 1, "optimize", "budi", "José", 1, ""],
    ]
    assert coded.codings(coders="budi")["coder"].tolist() == ["budi"]


def test_code_quote_finds_ambiguous_and_missing_quotes(coded):
    coding = coded.code_quote("ani", "paling\n  disukai", "optimize", coder="nida")
    assert (coding.start, coding.end) == (37, 51)
    with pytest.raises(ValidationError, match=r"occurs 2 times in 'ani' \(at 10, 29\)|occurs"):
        coded.add_source(somecode.Source.from_text("two", "Reels. Reels.", kind="document"))
        coded.code_quote("two", "Reels", "share", coder="nida")
    assert coded.code_quote("two", "Reels", "share", coder="nida", occurrence=2).span == (7, 12)
    with pytest.raises(ValidationError, match=r"nearest passage at \[29, 43\): 'Reels 👍 paling"):
        coded.code_quote("ani", "Reels 👎 paling", "share", coder="nida")


def test_add_codings_reports_every_problem_and_stores_nothing(coded):
    before = project_dump(coded)
    batch = [Coding("ani", 29, 34, "share", "nida"), Coding("ani", 29, 99, "share", "nida"),
             Coding("ani", 0, 3, "nope", "nida"), Coding("zzz", 0, 1, "share", "nida")]
    with pytest.raises(ValidationError) as err:
        coded.add_codings(batch)
    assert len(err.value.problems) == 3
    assert project_dump(coded) == before


def test_drifted_text_hash_is_refused(coded):
    with pytest.raises(ValidationError, match="does not match the text"):
        coded.add_codings([Coding("ani", 29, 34, "share", "nida", text_hash="0" * 16)])


def test_delete_source_is_refused_while_coded_and_logged_when_forced(coded):
    coded.code("ani", 29, 34, "share", coder="nida")
    with pytest.raises(ConflictError, match="has 1 codings"):
        coded.delete_source("ani")
    coded.delete_source("ani", force=True)
    assert coded.source_ids() == []
    event = coded.events().iloc[-1]
    assert event["action"] == "delete_source" and len(event["payload"]["codings"]) == 1


def test_codes_need_their_parent_and_keep_their_order(project):
    with pytest.raises(NotFoundError, match="parent 'share' is not in the project"):
        project.add_code(Code("share.connect", "share"))
    project.add_codes([Code("share"), Code("share.connect", "share"), Code("engage")])
    assert project.code_ids() == ["share", "share.connect", "engage"]
    with pytest.raises(ConflictError):
        project.add_code(Code("share", label="Berbagi"))


def test_load_codings_csv_is_all_or_nothing_and_lists_every_bad_row(coded, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text("source,quote,code,coder,memo\nani,Reels,optimize,nida,fitur\n"
                    'ani,"paling disukai",optimize.listen_learn,,\n', encoding="utf-8")
    stored = coded.load_codings_csv(good, coder="budi")
    assert [(c.span, c.code_id, c.coder_id, c.memo) for c in stored] == [
        ((29, 34), "optimize", "nida", "fitur"), ((37, 51), "optimize.listen_learn", "budi", "")]
    before = project_dump(coded)
    bad = tmp_path / "bad.csv"
    bad.write_text("source,quote,code,coder,memo\n"
                   "ani,Apa fiturnya,share,nida,ok\n"
                   "ani,tidak ada di sini,share,nida,\n"
                   "ani,Apa,engage,nida,\n"
                   "budi,Apa,share,nida,\n"
                   "ani,Apa fiturnya,share,nida,again\n", encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        coded.load_codings_csv(bad)
    problems = err.value.problems
    assert [p.split(":")[0].rsplit(", ", 1)[1] for p in problems] == ["line 3", "line 4", "line 5", "line 6"]
    assert "nearest passage" in problems[0] and "no code 'engage'" in problems[1]
    assert "no source 'budi'" in problems[2] and "same coding as line 2" in problems[3]
    assert project_dump(coded) == before


def test_codings_csv_without_required_columns(coded, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("source,text\nani,Reels\n")
    with pytest.raises(ValidationError, match="line 1: missing column.*quote, code"):
        coded.load_codings_csv(path, coder="nida")


def test_records_round_trip_through_the_store(coded):
    made = coded.code("ani", 29, 34, "optimize", coder="auto:abc", origin="auto", status="suggested",
                      evidence={"rule": "reels", "matched": ["Reels"]})
    [record] = coded.coding_records()
    assert record == made and record.evidence == {"rule": "reels", "matched": ["Reels"]}
    assert [c.kind for c in coded.coders()] == ["machine"]


def test_add_codings_counts_only_new_codings(coded):
    batch = [Coding("ani", 29, 34, "share", "nida"), Coding("ani", 35, 36, "share", "nida")]
    assert coded.add_codings(batch) == 2
    assert coded.add_codings(batch + [Coding("ani", 37, 43, "share", "budi")]) == 1
    assert coded.summary()["codings"] == 3


def test_delete_code_and_coder_are_refused_while_in_use(coded):
    coded.code("ani", 29, 34, "optimize.listen_learn", coder="nida")
    logged = len(coded.events())
    with pytest.raises(ConflictError, match="has 1 codings; nothing was deleted"):
        coded.delete_code("optimize.listen_learn")
    with pytest.raises(ConflictError, match="coder 'nida' has 1 codings"):
        coded.delete_coder("nida")
    coded.delete_code("optimize")  # no codings of its own: its child moves up to the top level
    assert [(c.id, c.parent) for c in coded.codes()] == [("optimize.listen_learn", None), ("share", None)]
    assert coded.events()["action"].tolist()[logged:] == ["delete_code"]
