"""The command line, in-process: each command, and the one error boundary."""

import pytest
from conftest import ROOT, STUDY

from somecode.cli import build_parser, main


def test_init_add_info(tmp_path, capsys):
    project = tmp_path / "p.somecode"
    (tmp_path / "ani.txt").write_text("Peneliti: Apa?\nAni: Reels.\n", encoding="utf-8")
    assert main(["init", str(project)]) == 0
    assert main(["add", str(project), str(tmp_path / "ani.txt"), str(STUDY / "sources")]) == 0
    out = capsys.readouterr().out
    assert "ani\tinterview\t2 turns" in out and "kompas-2019-12-26\tdocument" in out
    assert main(["info", str(project)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("7 sources, 3 informants,")


def test_reproduce_prints_the_table_and_writes_it(tmp_path, capsys):
    assert main(["reproduce", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "Agustian Fardianto  Muhammad Aditya Yoma" in out
    assert (tmp_path / "stage_by_informant.csv").is_file()


def test_errors_are_one_line_on_stderr_with_a_nonzero_exit(tmp_path, capsys):
    assert main(["info", str(tmp_path / "missing.somecode")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("somecode: error: ") and "no such project file" in err
    assert "Traceback" not in err
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x81\x00")
    main(["init", str(tmp_path / "p.somecode")])
    assert main(["add", str(tmp_path / "p.somecode"), str(bad)]) == 1
    assert "bad.txt, byte 0" in capsys.readouterr().err


def test_debug_shows_the_traceback(tmp_path):
    with pytest.raises(Exception, match="no such project file"):
        main(["--debug", "info", str(tmp_path / "missing.somecode")])


def test_every_command_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = build_parser()._subparsers._group_actions[0].choices
    assert all(f"somecode {name}" in readme for name in commands)


def test_codebook_check_show_and_export(tmp_path, capsys):
    some = str(ROOT / "codebooks" / "some.yaml")
    assert main(["codebook", "check", some]) == 0
    assert "valid, 19 codes in 5 groups, 2 levels, languages en, id" in capsys.readouterr().out
    assert main(["codebook", "show", some, "--format", "html"]) == 0
    assert capsys.readouterr().out.startswith('<div class="somecode-codebook">')
    out = tmp_path / "some.qdc"
    assert main(["codebook", "export", some, "--to", "qdc", "--out", str(out)]) == 0
    assert "not carried by .qdc: share: labels in id" in capsys.readouterr().out
    assert out.read_text(encoding="utf-8").startswith("<?xml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("codes:\n- id: a\n  label: A\n  color: red\n", encoding="utf-8")
    assert main(["codebook", "check", str(bad)]) == 1
    assert "line 4, column 10: code 'a': colour 'red'" in capsys.readouterr().err
