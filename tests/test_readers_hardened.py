"""Readers, the codebook parser and study files on hostile input (issue #14, scopes 5 and 7).

Each test is one finding of the fuzzer or of hand-made inputs: before the fix the input raised
something other than a SomecodeError (or ran for minutes); now it is refused with the file, the
place and a fix.  ``test_every_regression_file_is_refused_cleanly`` replays every crash the
fuzzer (``make fuzz``) kept in tests/regressions/.
"""

from __future__ import annotations

import contextlib
import re
import signal
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from conftest import project_dump
from hypothesis import given, settings
from hypothesis import strategies as st
from makefiles import make_docx, make_pdf, make_xlsx

import somecode
from somecode import SomecodeError, SourceReadError, ValidationError
from somecode.codebook import Codebook
from somecode.project.codings_csv import load_codings_csv
from somecode.sources import READERS, read_sources
from somecode.sources.transcript import parse_transcript
from somecode.sources.yamlsafe import MAX_CHARS, MAX_DEPTH, load_yaml
from somecode.study import build_study

sys.path.insert(0, str(Path(__file__).parent / "fuzz"))
import fuzz_readers  # noqa: E402

REGRESSIONS = Path(__file__).parent / "regressions"


class TooSlow(BaseException):
    """Raised by :func:`within` (a BaseException, so no reader's handler can swallow it)."""


@contextlib.contextmanager
def within(seconds: float, megabytes: float = 64):
    """Fail when the block runs longer than ``seconds`` or allocates more than ``megabytes`` at peak."""
    def alarm(signum, frame):
        raise TooSlow(f"still running after {seconds}s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    tracemalloc.start()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert peak < megabytes * 2**20, f"peak memory {peak / 2**20:.0f} MB"


def laughs(levels: int = 9, width: int = 9, indent: str = "") -> str:
    """The billion-laughs shape: a: &a [x, x, ...], b: &b [*a, *a, ...], ... (width**levels nodes)."""
    names = "abcdefghijklmnop"
    lines = [f'{indent}a: &a [{", ".join(["lol"] * width)}]']
    for i in range(1, levels):
        lines.append(f"{indent}{names[i]}: &{names[i]} [{', '.join([f'*{names[i - 1]}'] * width)}]")
    return "\n".join(lines) + "\n"


def rezip(source: Path, target: Path, member: str, content: bytes) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            new.writestr(info.filename, content if info.filename == member else old.read(info))
    return target


# ------------------------------------------------------------------ YAML limits
def test_a_front_matter_alias_bomb_is_refused_at_once(tmp_path):
    bomb = "---\n" + laughs() + "---\nAni: halo\n"
    assert len(bomb.encode()) < 600  # the 530-byte shape that ran past 120 s at 3.8 GB
    path = tmp_path / "bomb.md"
    path.write_text(bomb, encoding="utf-8")
    with within(3), pytest.raises(SourceReadError, match=r"bomb\.md, line \d+, column \d+: YAML aliases "
                                                         r"would expand to more than 100000 nodes"):
        somecode.read_source(path)


def test_a_codebook_alias_bomb_is_refused_not_valid(tmp_path):
    path = tmp_path / "book.yaml"
    path.write_text("codes:\n- id: a\n  label: A\n  attrs:\n" + laughs(indent="    "), encoding="utf-8")
    assert len(path.read_bytes()) < 600  # the 426-byte shape took 57 s and 2.1 GB, and was "valid"
    with within(3), pytest.raises(SourceReadError, match=r"book\.yaml, line \d+, column \d+: YAML aliases"):
        Codebook.load(path)


def test_a_study_file_alias_bomb_is_refused(tmp_path):
    (tmp_path / "study.yaml").write_text("codebook: book.yaml\n" + laughs(), encoding="utf-8")
    with within(3), pytest.raises(SourceReadError, match=r"study\.yaml, line \d+.*YAML aliases"):
        build_study(tmp_path, tmp_path / "p.somecode")
    assert not (tmp_path / "p.somecode").exists()


@pytest.mark.parametrize("nested", [" " + "[" * 3000 + "]" * 3000, " " + "{a: " * 3000 + "x" + "}" * 3000,
                                    "\n" + "- " * 3000 + "x"])
def test_yaml_nested_3000_deep_is_refused_naming_the_limit(tmp_path, nested):
    # before: RecursionError from PyYAML's composer
    text = f"---\nx:{nested}\n---\nAni: halo\n"
    with pytest.raises(SourceReadError, match=rf"deep.md, line \d+, column \d+: YAML nested more than "
                                              rf"{MAX_DEPTH} levels deep"):
        parse_transcript(text, tmp_path / "deep.md")
    path = tmp_path / "deep.yaml"
    path.write_text(f"codes:{nested}\n", encoding="utf-8")
    with pytest.raises(SourceReadError, match=f"nested more than {MAX_DEPTH} levels"):
        Codebook.load(path)


def test_aliases_that_deepen_the_nesting_are_refused():
    chain = "a0: &a0 [x]\n" + "".join(f"a{i}: &a{i} [*a{i - 1}]\n" for i in range(1, 150))
    with pytest.raises(SourceReadError, match=r"line \d+, column \d+: YAML nested more than 100 levels deep "
                                              r"\(with what its aliases bring in\)"):
        load_yaml(chain, "chain.yaml")


def test_a_recursive_alias_is_refused():
    with pytest.raises(SourceReadError, match=r"r.yaml, line 1, column 8: a YAML alias refers to the "
                                              "collection that holds it"):
        load_yaml("a: &a [*a]\n", "r.yaml")


def test_yaml_over_the_size_limit_is_refused_with_its_line(tmp_path):
    with pytest.raises(SourceReadError, match=rf"big.yaml, line 2: the YAML is longer than {MAX_CHARS}"):
        load_yaml("a: 1\nb: " + "x" * MAX_CHARS + "\n", "big.yaml")


@pytest.mark.parametrize("value, why", [("2024-02-30", "day is out of range"),
                                        ("9" * 5000, "Exceeds the limit"),
                                        ("!!timestamp x", "AttributeError"),
                                        ("!!float abc", "could not convert")])
def test_values_python_cannot_build_are_refused_with_their_place(value, why):
    # before: ValueError / AttributeError from PyYAML's constructors
    with pytest.raises(SourceReadError, match=rf"v.md, line 3, column 7: YAML value .* cannot be read .*{why}"):
        parse_transcript(f"---\nid: v\ndate: {value}\n---\nAni: halo\n", "v.md")


def test_modest_aliases_still_load():
    data = load_yaml("staff: &s {role: staff}\nAni: *s\nBudi: *s\n", "ok.yaml")
    assert data["Ani"] == data["Budi"] == {"role": "staff"}


# ------------------------------------------------------------ front matter shapes
@pytest.mark.parametrize("speakers", ["{Ani: {name: [x]}}", "{Ani: {name: {a: 1}}}", "{Ani: {attrs: [1, 2]}}",
                                      "{Ani: {attrs: ab}}", "{Ani: {informant: [x]}}", "{Ani: [a, b]}"])
def test_speakers_of_the_wrong_shape_are_refused(speakers):
    # before: TypeError / ValueError deep in the turn finder
    text = f"---\nspeakers: {speakers}\n---\nPeneliti: Apa?\nAni: Reels.\n"
    with pytest.raises(SourceReadError, match=r"s.md, front matter, 'speakers': speaker 'Ani': .*\(fix: write"):
        parse_transcript(text, "s.md")


def test_an_id_that_is_not_an_id_names_the_file():
    with pytest.raises(SourceReadError, match=r"i.md, front matter, 'id': source id \"\['a'\]\" is not a valid id"):
        parse_transcript("---\nid: [a]\n---\nAni: halo\n", "i.md")


# ---------------------------------------------------------------------- codebooks
@pytest.mark.parametrize("entry, problem", [
    ("- id: [a, b]\n  label: A\n", r"line 2, column 7: code id \['a', 'b'\] is not valid"),
    ("- id: {x: 1}\n  label: A\n", r"line 2, column 7: code id \{'x': 1\} is not valid"),
    ("- id: a\n  label: A\n- id: b\n  parent: [a]\n  label: B\n", r"line 5, column 11: code 'b': parent \['a'\]"),
    ("- id: a\n  label: A\n  attrs: [1, 2]\n", r"line 4, column 10: code 'a': attrs must be a mapping"),
])
def test_codebook_values_of_the_wrong_type_are_problems(tmp_path, entry, problem):
    # before: TypeError (unhashable id, parent) or a codebook that could not be saved (attrs)
    path = tmp_path / "book.yaml"
    path.write_text("codes:\n" + entry, encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        Codebook.load(path)
    assert any(re.search(problem, p) for p in caught.value.problems), caught.value.problems


def test_a_list_as_a_mapping_key_in_a_codebook_is_refused(tmp_path):
    path = tmp_path / "book.yaml"
    path.write_text("codes:\n- ? [a]\n  : 1\n  id: a\n  label: A\n", encoding="utf-8")
    with pytest.raises(SourceReadError, match=r"line 2, column 5: not valid YAML: found a list or mapping "
                                              "used as a key"):
        Codebook.load(path)


# ------------------------------------------------------------------- study files
@pytest.mark.parametrize("spec", ["codebook: [a]\n", "codebook: b.yaml\nsources: ~\n",
                                  "codebook: b.yaml\ncodings: codings.csv\n"])
def test_a_study_file_of_the_wrong_shape_is_refused(tmp_path, spec):
    (tmp_path / "study.yaml").write_text(spec, encoding="utf-8")
    with pytest.raises(SourceReadError, match=r"study.yaml, key '\w+': '\w+' has the wrong shape"):
        build_study(tmp_path, tmp_path / "p.somecode")
    assert not (tmp_path / "p.somecode").exists()


# ------------------------------------------------------------------ binary readers
@pytest.fixture
def xlsx(tmp_path):
    return make_xlsx(tmp_path / "good.xlsx", [("text",), ("satu",), ("dua",)])


def _sheet(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read("xl/worksheets/sheet1.xml")


def test_xlsx_with_damaged_sheet_xml_is_refused(xlsx, tmp_path):
    damaged = rezip(xlsx, tmp_path / "cut.xlsx", "xl/worksheets/sheet1.xml", _sheet(xlsx)[:300])
    with pytest.raises(SourceReadError, match=r"cut.xlsx, the sheet's XML: the sheet's XML is damaged \(ParseError"):
        somecode.read_table(damaged)  # before: xml.etree.ElementTree.ParseError


def test_xlsx_with_a_shared_string_out_of_range_is_refused(xlsx, tmp_path):
    sheet = _sheet(xlsx).replace(b'<c r="A2" t="inlineStr">', b'<c r="A2" t="s"><v>999</v></c><c r="B2" t="inlineStr">')
    damaged = rezip(xlsx, tmp_path / "index.xlsx", "xl/worksheets/sheet1.xml", sheet)
    with pytest.raises(SourceReadError, match=r"index.xlsx, after row 1: .*IndexError"):
        somecode.read_table(damaged)  # before: IndexError


def test_docx_without_a_body_is_refused(tmp_path):
    good = make_docx(tmp_path / "good.docx", ["Ani: halo"])
    empty = (b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
             b'wordprocessingml/2006/main"></w:document>')
    damaged = rezip(good, tmp_path / "nobody.docx", "word/document.xml", empty)
    with pytest.raises(SourceReadError, match=r"nobody.docx, the document's tables: .*AttributeError"):
        somecode.read_source(damaged)  # before: AttributeError


def test_pdf_with_an_unknown_filter_is_refused(tmp_path):
    data = make_pdf(tmp_path / "good.pdf", [["Halaman satu"]]).read_bytes()
    path = tmp_path / "filter.pdf"
    path.write_bytes(data.replace(b"<< /Length", b"<< /Filter /FooDecode /Length", 1))
    with pytest.raises(SourceReadError, match=r"filter.pdf: not a readable PDF \(NotImplementedError"):
        somecode.read_source(path)  # before: NotImplementedError


# ------------------------------------------------------------------- folders
def _bad_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "ani.md").write_text("Peneliti: Apa?\nAni: Reels.\n", encoding="utf-8")
    good = make_docx(tmp_path / "good.docx", ["Budi: halo"])
    rezip(good, folder / "budi.docx", "word/document.xml",
          b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>')
    xlsx = make_xlsx(tmp_path / "good.xlsx", [("text",), ("satu",)])
    rezip(xlsx, folder / "reviews.xlsx", "xl/worksheets/sheet1.xml", _sheet(xlsx)[:300])
    return folder


def test_a_folder_with_bad_files_reports_each_by_name_and_adds_nothing(project, tmp_path):
    folder = _bad_folder(tmp_path)
    before = project_dump(project)
    with pytest.raises(ValidationError, match=r"2 of 3 files in .*folder could not be read") as caught:
        project.add_path(folder)  # before: the first bad file's AttributeError, a traceback
    assert [Path(p.split(",")[0].split(":")[0]).name for p in caught.value.problems] == ["budi.docx", "reviews.xlsx"]
    assert project_dump(project) == before


def test_the_cli_add_of_such_a_folder_is_one_error_not_a_traceback(tmp_path, capsys):
    from somecode.cli import main

    somecode.Project.create(tmp_path / "p.somecode").close()
    assert main(["add", str(tmp_path / "p.somecode"), str(_bad_folder(tmp_path))]) == 1
    err = capsys.readouterr().err
    assert err.startswith("somecode: error: 2 of 3 files") and "budi.docx" in err and "Traceback" not in err


def test_a_reader_bug_in_a_folder_is_reported_with_the_file(tmp_path, monkeypatch):
    def broken(path, **options):
        raise TypeError("a bug")

    monkeypatch.setitem(READERS, ".md", broken)
    (tmp_path / "a.md").write_text("Ani: halo\n", encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        read_sources(tmp_path)
    assert caught.value.problems == [f"{tmp_path / 'a.md'}: could not be read (TypeError: a bug); this is a bug "
                                     "in somecode's reader for this kind of file, please report it with the file"]


# ------------------------------------------------------------------ codings CSV
@pytest.fixture
def small(project):
    project.add_source(somecode.Source.from_text("s", "Reels disukai. Reels lagi.", kind="document"))
    project.add_code("a")
    return project


@pytest.mark.parametrize("occurrence", ["²", "١", "99999999999999999999"])
def test_a_codings_occurrence_that_is_not_a_plain_number_is_a_problem(small, tmp_path, occurrence):
    path = tmp_path / "c.csv"
    path.write_text(f"source,quote,code,coder,occurrence\ns,Reels,a,nida,{occurrence}\n", encoding="utf-8")
    before = project_dump(small)
    with pytest.raises(ValidationError) as caught:
        load_codings_csv(small, path)  # before: ValueError from int('²')
    assert caught.value.problems == [f"{path}, line 2: occurrence {occurrence!r} is not a whole number (1, 2, 3...)"]
    assert project_dump(small) == before


def test_a_codings_header_field_over_the_csv_limit_is_refused(small, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("source,quote,code," + "x" * 140_000 + "\ns,Reels,a\n", encoding="utf-8")
    with pytest.raises(SourceReadError, match=r"c.csv, line 1: the header is not valid CSV \(field larger"):
        load_codings_csv(small, path)  # before: _csv.Error


def _codings_file(tmp_path: Path, project, rows: int, codes: int, sources: int = 10) -> Path:
    per = rows // sources + 1
    for s in range(sources):
        words = " ".join(f"w{s}x{i}z" for i in range(per))
        project.add_source(somecode.Source.from_text(f"s{s}", words + "\n", kind="document"))
    project.add_codes([somecode.Code(f"c{i}") for i in range(codes)])
    lines = ["source,quote,code,coder"] + [f"s{n % sources},w{n % sources}x{n // sources}z,c{n % codes},nida"
                                           for n in range(rows)]
    path = tmp_path / f"codings-{rows}.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _steps(project, path) -> int:
    """SQLite virtual-machine steps spent loading ``path`` (a count of work, not a time)."""
    steps = [0]

    def tick():
        steps[0] += 1
        return 0

    project.store.conn.set_progress_handler(tick, 10)
    try:
        assert len(load_codings_csv(project, path)) > 0
    finally:
        project.store.conn.set_progress_handler(None, 10)
    return steps[0]


def test_loading_codings_grows_linearly_with_rows_and_codes(tmp_path):
    # before: every row read every code (project.code_ids()) and its whole source: rows x codes
    work = {}
    for rows, codes in ((100, 100), (1000, 1000)):
        with somecode.Project.create(tmp_path / f"p{rows}.somecode") as project:
            work[rows] = _steps(project, _codings_file(tmp_path, project, rows, codes))
    assert work[1000] / work[100] < 30, work  # linear is about 10; rows x codes would be about 100


def test_loading_codings_reads_the_codes_once_and_locates_each_quote_once(project, tmp_path, monkeypatch):
    path = _codings_file(tmp_path, project, 300, 50)
    calls = {"code_ids": 0, "locate_quote": 0}
    for name in calls:
        original = getattr(project, name)

        def counted(*args, _name=name, _original=original, **kwargs):
            calls[_name] += 1
            return _original(*args, **kwargs)

        monkeypatch.setattr(project, name, counted)
    assert len(load_codings_csv(project, path)) == 300
    assert calls == {"code_ids": 1, "locate_quote": 0}


def test_missing_quotes_show_the_nearest_passage_for_the_first_twenty_only(small, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("source,quote,code,coder\n" + "".join(f"s,Rels {n},a,nida\n" for n in range(25)),
                    encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        load_codings_csv(small, path)
    hinted = [p for p in caught.value.problems if "nearest passage at" in p]
    assert len(caught.value.problems) == 25 and len(hinted) == 20


# ------------------------------------------------------------------ regressions
def _regression_files() -> list[Path]:
    return sorted(p for p in REGRESSIONS.glob("*-*.*") if p.is_file()) if REGRESSIONS.is_dir() else []


def test_the_regression_folder_holds_crashes_of_every_fixed_reader():
    found = {fuzz_readers.reader_of(p) for p in _regression_files()}
    assert {"xlsx", "pdf", "md", "codebook"} <= found, found


@pytest.mark.parametrize("path", _regression_files(), ids=lambda p: p.name[:24])
def test_every_regression_file_is_refused_cleanly(path):
    """Each file once crashed a reader (see tests/fuzz/fuzz_readers.py); now it reads or is refused."""
    started = time.monotonic()
    try:
        fuzz_readers.replay(path)
    except SomecodeError:
        pass
    assert time.monotonic() - started < 10


# ------------------------------------------------------------------ Hypothesis
yamlish = st.lists(st.sampled_from(list(":-[]{}&*!?#|>'\" \nab1%<,\t") + ["&a ", "*a", "!!", "- ", ": "]),
                   max_size=60).map("".join)


@given(st.one_of(yamlish, st.text(max_size=80)))
def test_any_yaml_text_loads_or_is_refused_with_a_source_read_error(text):
    try:
        load_yaml(text, "h.yaml")
    except SourceReadError as err:
        assert str(err).startswith("h.yaml")


def test_every_hypothesis_test_runs_under_the_selected_profile(request):
    from conftest import PROFILE

    active = settings.get_profile(PROFILE)
    tests = [item.obj for item in request.session.items if getattr(getattr(item, "obj", None),
                                                                   "is_hypothesis_test", False)]
    if not tests:
        pytest.skip("no Hypothesis test was selected in this run")
    for test in tests:
        own = test._hypothesis_internal_use_settings
        assert (own.derandomize, own.print_blob) == (active.derandomize, active.print_blob), test.__name__
    assert active.derandomize is (PROFILE == "ci")
