"""The command line never shows a traceback without ``--debug``.

Every command, given a bad value, a missing file and a damaged project (or, for a command
without a project, a damaged input file), exits non-zero with one line on stderr that names
what was wrong.  The table of cases is checked against the parser, so a new command without
its three cases fails here.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, STUDY

from somecode import cli
from somecode.cli import build_parser, main

SOME = str(ROOT / "codebooks" / "some.yaml")

# command -> kind of failure -> (arguments, what the first line must name).  In the arguments,
# {P} is a good project, {missing} a project file that is not there, {damaged} a project whose
# pages after the first are overwritten with random bytes, {tmp} the test's folder.
CASES = {
    "init": {
        "bad": (["init", "{P}"], "P.somecode"),  # already a project there
        "missing": (["init", "{tmp}/notes.txt/new.somecode"], "notes.txt"),  # the folder is a file
        "damaged": (["init", "{damaged}"], "x.somecode"),
    },
    "add": {
        "bad": (["add", "{P}", "{tmp}/notes.xyz"], "notes.xyz"),  # no reader for .xyz
        "missing": (["add", "{P}", "{tmp}/absent.txt"], "absent.txt"),
        # SQLite writes a new source without reading the damaged pages, so: a cut-short project
        "damaged": (["add", "{tmp}/truncated.somecode", "{tmp}/ani.txt"], "truncated.somecode"),
    },
    "info": {
        "bad": (["info", "{tmp}/a-folder"], "a-folder"),
        "missing": (["info", "{missing}"], "missing.somecode"),
        "damaged": (["info", "{damaged}"], "x.somecode"),
    },
    "inspect": {
        "bad": (["inspect", "{tmp}/notes.xyz"], "notes.xyz"),
        "missing": (["inspect", "{tmp}/absent.txt"], "absent.txt"),
        "damaged": (["inspect", "{tmp}/damaged.yaml.txt"], "damaged.yaml.txt"),
    },
    "doctor": {
        "bad": (["doctor", "{tmp}/a-folder"], "a-folder"),
        "missing": (["doctor", "{missing}"], "missing.somecode"),
        "damaged": (["doctor", "{damaged}"], "x.somecode"),
    },
    "reproduce": {
        "bad": (["reproduce", "--out", "{tmp}/notes.txt"], "notes.txt"),
        "missing": (["reproduce", "--study", "{tmp}/no-study", "--out", "{tmp}/out"], "no-study"),
        "damaged": (["reproduce", "--study", "{tmp}/damaged-study", "--out", "{tmp}/out"], "damaged-study"),
    },
    "codebook check": {
        "bad": (["codebook", "check", "{tmp}/bad.yaml"], "bad.yaml"),
        "missing": (["codebook", "check", "{tmp}/absent.yaml"], "absent.yaml"),
        "damaged": (["codebook", "check", "{tmp}/damaged.yaml"], "damaged.yaml"),
    },
    "codebook show": {
        "bad": (["codebook", "show", "{tmp}/bad.yaml"], "bad.yaml"),
        "missing": (["codebook", "show", "{tmp}/absent.yaml", "--format", "html"], "absent.yaml"),
        "damaged": (["codebook", "show", "{tmp}/damaged.yaml"], "damaged.yaml"),
    },
    "codebook export": {
        "bad": (["codebook", "export", SOME, "--to", "qdc", "--out", "{tmp}/a-folder"], "a-folder"),
        "missing": (["codebook", "export", "{tmp}/absent.yaml", "--to", "qdc"], "absent.yaml"),
        "damaged": (["codebook", "export", "{tmp}/damaged.yaml", "--to", "qdc"], "damaged.yaml"),
    },
    "matrix": {
        "bad": (["matrix", "{P}", "--by", "nosuch"], "nosuch"),
        "missing": (["matrix", "{missing}"], "missing.somecode"),
        "damaged": (["matrix", "{damaged}", "--level", "code"], "x.somecode"),
    },
    "cooccurrence": {
        "bad": (["cooccurrence", "{P}", "--unit", "window", "--window", "-5"], "window"),
        "missing": (["cooccurrence", "{missing}"], "missing.somecode"),
        "damaged": (["cooccurrence", "{damaged}"], "x.somecode"),
    },
    "search": {
        "bad": (["search", "{P}", "(konten", "--regex"], "(konten"),  # not a valid regular expression
        "missing": (["search", "{missing}", "konten"], "missing.somecode"),
        "damaged": (["search", "{damaged}", "konten"], "x.somecode"),
    },
    "retrieve": {
        "bad": (["retrieve", "{P}", "--code", "nosuch"], "nosuch"),
        "missing": (["retrieve", "{missing}", "--code", "share"], "missing.somecode"),
        "damaged": (["retrieve", "{damaged}", "--code", "share"], "x.somecode"),
    },
    "triangulate": {
        "bad": (["triangulate", "{P}", "--coder", "nobody", "--out", "{tmp}/out"], "nobody"),
        "missing": (["triangulate", "{missing}", "--out", "{tmp}/out"], "missing.somecode"),
        "damaged": (["triangulate", "{damaged}", "--out", "{tmp}/out"], "x.somecode"),
    },
    "agreement": {
        "bad": (["agreement", "{P}", "--coders", "nobody", "other"], "nobody"),
        "missing": (["agreement", "{missing}", "--coders", "paper", "recoder"], "missing.somecode"),
        "damaged": (["agreement", "{damaged}", "--coders", "paper", "recoder"], "x.somecode"),
    },
    "disagreements": {
        "bad": (["disagreements", "{P}", "--coders", "paper", "recodr"], "recodr"),
        "missing": (["disagreements", "{missing}", "--coders", "paper", "recoder"], "missing.somecode"),
        "damaged": (["disagreements", "{damaged}", "--coders", "paper", "recoder"], "x.somecode"),
    },
    "export": {
        "bad": (["export", "{P}", "--to", "qdpx", "{tmp}/a-folder"], "a-folder"),
        "missing": (["export", "{missing}", "--to", "qdpx", "{tmp}/out.qdpx"], "missing.somecode"),
        "damaged": (["export", "{damaged}", "--to", "qdpx", "{tmp}/out.qdpx"], "x.somecode"),
    },
    "import": {
        "bad": (["import", "{tmp}/good.qdpx", "{P}"], "P.somecode"),  # would overwrite a project
        "missing": (["import", "{tmp}/absent.qdpx", "{tmp}/new.somecode"], "absent.qdpx"),
        "damaged": (["import", "{tmp}/damaged.qdpx", "{tmp}/new.somecode"], "damaged.qdpx"),
    },
    "autocode": {
        "bad": (["autocode", "{P}", "--codes", "nosuch"], "nosuch"),
        "missing": (["autocode", "{missing}"], "missing.somecode"),
        "damaged": (["autocode", "{damaged}"], "x.somecode"),
    },
    "suggestions": {
        "bad": (["suggestions", "{P}", "--accept", "--code", "nosuch"], "nosuch"),
        "missing": (["suggestions", "{missing}"], "missing.somecode"),
        "damaged": (["suggestions", "{damaged}"], "x.somecode"),
    },
    "evaluate": {
        "bad": (["evaluate", "{P}", "--gold", "nobody"], "nobody"),
        "missing": (["evaluate", "{missing}"], "missing.somecode"),
        "damaged": (["evaluate", "{damaged}", "--gold", "paper", "--auto", "recoder"], "x.somecode"),
    },
    "variants": {
        "bad": (["variants", "{P}", "share", "--lang", "xx"], "xx"),
        "missing": (["variants", "{missing}", "share"], "missing.somecode"),
        "damaged": (["variants", "{damaged}", "share"], "x.somecode"),
    },
    "report": {
        "bad": (["report", "{P}", "{tmp}/a-folder", "--format", "html"], "a-folder"),  # a folder, not a file
        "missing": (["report", "{missing}", "{tmp}/r.docx"], "missing.somecode"),
        "damaged": (["report", "{damaged}", "{tmp}/r.html"], "x.somecode"),
    },
    "notebook": {
        "bad": (["notebook", "{P}", "-o", "{tmp}/n.ipynb", "--coder", "nobody"], "nobody"),
        "missing": (["notebook", "{missing}", "-o", "{tmp}/n.ipynb"], "missing.somecode"),
        # opens, then fails inside the notebook's kernel: still one line, and no notebook written
        "damaged": (["notebook", "{damaged}", "-o", "{tmp}/n.ipynb"], "x.somecode"),
    },
}


def parser_commands(parser: argparse.ArgumentParser, prefix: str = "") -> set[str]:
    """Every runnable command of ``parser``: ``matrix``, and ``codebook check`` for nested actions."""
    found = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found |= parser_commands(sub, f"{prefix}{name} ") or {f"{prefix}{name}"}
    return found


def test_every_command_has_a_bad_value_a_missing_file_and_a_damaged_project():
    assert set(CASES) == parser_commands(build_parser())
    assert all(set(kinds) == {"bad", "missing", "damaged"} for kinds in CASES.values())


def damage(path: Path, seed: int = 13) -> Path:
    """Overwrite part of every page after the first: the file still opens, reading it fails."""
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big") or 65536
    noise = random.Random(seed)
    for offset in range(page, len(data), page):
        data[offset + 100:offset + 300] = noise.randbytes(200)
    path.write_bytes(bytes(data))
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The bundled study as a project, and a good .qdpx of it: built once, copied per test."""
    from somecode.exchange import write_qdpx
    from somecode.study import build_study

    folder = tmp_path_factory.mktemp("built")
    project = build_study(STUDY, folder / "P.somecode")
    try:
        write_qdpx(project, folder / "good.qdpx")
    finally:
        project.close()
    return folder


@pytest.fixture
def workspace(built, tmp_path):
    """The files the cases name, in a fresh folder."""
    noise = random.Random(7)
    shutil.copy(built / "P.somecode", tmp_path / "P.somecode")
    shutil.copy(built / "good.qdpx", tmp_path / "good.qdpx")
    damage(Path(shutil.copy(built / "P.somecode", tmp_path / "x.somecode")))
    (tmp_path / "truncated.somecode").write_bytes((built / "P.somecode").read_bytes()[:3000])
    qdpx = (built / "good.qdpx").read_bytes()
    (tmp_path / "damaged.qdpx").write_bytes(qdpx[:len(qdpx) // 3])  # a download cut short
    (tmp_path / "a-folder").mkdir()
    (tmp_path / "notes.txt").write_text("not a folder\n", encoding="utf-8")
    (tmp_path / "notes.xyz").write_text("no reader for this\n", encoding="utf-8")
    (tmp_path / "ani.txt").write_text("Peneliti: Apa?\nAni: Reels.\n", encoding="utf-8")
    (tmp_path / "bad.yaml").write_text("codes:\n- id: a\n  label: A\n  color: red\n", encoding="utf-8")
    (tmp_path / "damaged.yaml").write_bytes(b"\x81\x00" + noise.randbytes(300))
    (tmp_path / "damaged.yaml.txt").write_bytes(b"\x81\x00" + noise.randbytes(300))
    (tmp_path / "damaged-study").mkdir()
    (tmp_path / "damaged-study" / "study.yaml").write_bytes(b"\xff\xfe" + noise.randbytes(300))
    return tmp_path


def run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def assert_damage_reported(code, out, err):
    """doctor on a file SQLite can open: the damage is its report (rows on stdout), exit 1, no traceback."""
    assert code == 1
    assert "Traceback" not in err and "Traceback" not in out
    assert "damage" in out or "integrity" in out or "foreign key" in out, out


def assert_one_line_error(code, out, err, names):
    assert code not in (0, None)
    assert "Traceback" not in err and "Traceback" not in out
    lines = err.splitlines()
    assert lines, "nothing on stderr"
    first = lines[0]
    assert first.startswith("somecode: error: ") and first.removeprefix("somecode: error: ").strip()
    assert names in first, first
    # anything after the first line is a list of problems (ValidationError), never a traceback
    assert all(line.startswith("  - ") for line in lines[1:]), err


@pytest.mark.parametrize("kind", ["bad", "missing", "damaged"])
@pytest.mark.parametrize("command", sorted(CASES))
def test_a_failure_is_one_line_naming_what_was_wrong(command, kind, workspace, capsys):
    template, names = CASES[command][kind]
    argv = [a.format(P=workspace / "P.somecode", missing=workspace / "missing.somecode",
                     damaged=workspace / "x.somecode", tmp=workspace) for a in template]
    before = sorted(p.name for p in workspace.iterdir())
    code, out, err = run(argv, capsys)
    if (command, kind) == ("doctor", "damaged"):
        assert_damage_reported(code, out, err)
        return
    assert_one_line_error(code, out, err, names)
    if command in ("import", "notebook", "report"):  # a failed command leaves no half-written file
        assert sorted(p.name for p in workspace.iterdir()) == before


@pytest.mark.parametrize("how", ["random bytes", "truncated", "no codings table", "another SQLite file",
                                 "a text file", "damaged pages"])
@pytest.mark.parametrize("command", ["info", "matrix", "doctor"])
def test_every_kind_of_damaged_project_is_one_line(command, how, built, tmp_path, capsys):
    path = tmp_path / "x.somecode"
    good = (built / "P.somecode").read_bytes()
    if how == "random bytes":
        path.write_bytes(random.Random(1).randbytes(8192))
    elif how == "truncated":
        path.write_bytes(good[:len(good) // 2])
    elif how == "a text file":
        path.write_text("Peneliti: Apa?\n", encoding="utf-8")
    elif how == "damaged pages":
        path.write_bytes(good)
        damage(path, seed=2)
    else:
        if how == "no codings table":
            path.write_bytes(good)
        db = sqlite3.connect(path)
        db.execute("DROP TABLE codings" if how == "no codings table" else "CREATE TABLE t (x)")
        db.commit()
        db.close()
    if command == "doctor" and how in ("no codings table", "damaged pages"):  # opens: damage is the report
        assert_damage_reported(*run([command, str(path)], capsys))
        return
    assert_one_line_error(*run([command, str(path)], capsys), "x.somecode")


def test_a_usage_error_is_argparse_s_exit_2_naming_the_value(workspace, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["triangulate", str(workspace / "P.somecode"), "--level", "codez"])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and "Traceback" not in err
    assert "invalid choice: 'codez'" in err.splitlines()[-1]


def test_debug_shows_the_traceback_of_a_plain_error(workspace):
    with pytest.raises(ValueError, match="nosuch"):
        main(["--debug", "matrix", str(workspace / "P.somecode"), "--by", "nosuch"])


def _raise(error):
    def command(args):
        raise error
    return command


@pytest.mark.parametrize("error, names", [
    (FileNotFoundError(2, "No such file or directory", "gone.csv"), "gone.csv: no such file"),
    (PermissionError(13, "Permission denied", "locked.somecode"), "locked.somecode: permission denied"),
    (IsADirectoryError(21, "Is a directory", "out.csv.partial", None, "out.csv"), "out.csv: is a folder"),
    (OSError(28, "No space left on device"), "No space left on device"),
    (UnicodeDecodeError("utf-8", b"\x81", 0, 1, "invalid start byte"), "p.somecode: not readable text"),
    (zipfile.BadZipFile("File is not a zip file"), "p.somecode: not a readable zip file"),
    (KeyError("paper"), "'paper' was not found"),
    (ValueError("line one\nline two"), "line one line two"),
    (sqlite3.DatabaseError("file is not a database"), "p.somecode is not a somecode project or is damaged"),
    (sqlite3.OperationalError("database is locked"), "p.somecode is in use by another program"),
])
def test_each_expected_error_becomes_one_line(error, names, monkeypatch, capsys):
    monkeypatch.setitem(cli.COMMANDS, "info", _raise(error))
    code, out, err = run(["info", "p.somecode"], capsys)
    assert_one_line_error(code, out, err, names)
    assert len(err.splitlines()) == 1


def test_damaged_xml_and_yaml_name_the_input(monkeypatch, capsys):
    import yaml
    from lxml import etree

    try:
        etree.fromstring(b"<codebook><code></codebook>")
    except etree.XMLSyntaxError as err:
        xml_error = err
    try:
        yaml.safe_load("a: [b\n")
    except yaml.YAMLError as err:
        yaml_error = err
    for error, names in ((xml_error, "book.qdc: not well-formed XML"), (yaml_error, "book.qdc, line 2")):
        monkeypatch.setitem(cli.COMMANDS, "codebook", _raise(error))
        code, out, err = run(["codebook", "check", "book.qdc"], capsys)
        assert_one_line_error(code, out, err, names)


def test_ctrl_c_is_one_line_and_exit_130(monkeypatch, capsys):
    monkeypatch.setitem(cli.COMMANDS, "info", _raise(KeyboardInterrupt()))
    code, out, err = run(["info", "p.somecode"], capsys)
    assert code == 130 and err == "somecode: interrupted\n"
    with pytest.raises(KeyboardInterrupt):
        main(["--debug", "info", "p.somecode"])


def test_a_real_process_prints_no_traceback(workspace):
    script = Path(sys.executable).with_name("somecode")
    command = [str(script)] if script.is_file() else [sys.executable, "-m", "somecode.cli"]
    done = subprocess.run([*command, "matrix", str(workspace / "P.somecode"), "--by", "nosuch"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout
    assert done.stderr.startswith("somecode: error: ") and "nosuch" in done.stderr.splitlines()[0]
