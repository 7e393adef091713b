"""The importer against hostile and odd files: each finding of the fault-injection round is a
test here (DTDs in UTF-16, entities in attributes, positions that are not numbers, a huge source
in a small archive, a huge bare .qde, external paths), plus what the importer reports when it
merges identical codings or cannot carry code groups."""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
import textwrap
import time
import zipfile

import pytest

from somecode import SomecodeWarning, SourceReadError
from somecode.cli import main
from somecode.exchange import read_qdc, read_qdpx
from somecode.exchange.safexml import Limits

SOURCE = "00000000-0000-0000-0000-00000000000a"
CODE = "00000000-0000-0000-0000-0000000000c1"


def _archive(path, members, level=None):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _project(selections: str = "", source_attrs: str = f'plainTextPath="internal://{SOURCE}.txt"') -> bytes:
    return (f'<Project xmlns="urn:QDA-XML:project:1.0" name="x" origin="test">'
            f'<Users><User guid="00000000-0000-0000-0000-0000000000u1" name="Ana"/></Users>'
            f'<CodeBook><Codes><Code guid="{CODE}" name="Share" isCodable="true"/></Codes></CodeBook>'
            f'<Sources><TextSource guid="{SOURCE}" name="doc" {source_attrs}>{selections}</TextSource></Sources>'
            f'</Project>').encode()


def _selection(start, end, memo="", guid="00000000-0000-0000-0000-0000000000s1"):
    description = f"<Description>{memo}</Description>" if memo else ""
    return (f'<PlainTextSelection guid="{guid}" startPosition="{start}" endPosition="{end}" '
            f'creatingUser="00000000-0000-0000-0000-0000000000u1">{description}'
            f'<Coding guid="{guid[:-2]}c1"><CodeRef targetGUID="{CODE}"/></Coding></PlainTextSelection>')


# ------------------------------------------------------------------ XML
@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-8", "latin-1"])
def test_a_doctype_is_refused_in_every_encoding(tmp_path, encoding):
    declaration = f'<?xml version="1.0" encoding="{encoding.upper().replace("-LE", "LE").replace("-BE", "BE")}"?>'
    text = declaration + '<!DOCTYPE p [<!ENTITY e "boom">]>' + _project().decode().replace('name="x"', 'name="&e;"')
    data = text.encode(encoding) if encoding != "utf-16" else text.encode("utf-16")  # with a BOM
    path = _archive(tmp_path / "evil.qdpx", {"project.qde": data})
    with pytest.raises(SourceReadError, match="DOCTYPE"):
        read_qdpx(path, tmp_path / "p.somecode")
    assert not (tmp_path / "p.somecode").exists()


def test_an_entity_in_an_attribute_never_names_a_code(tmp_path):
    xml = ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE p [<!ENTITY e "Injected">]>'
           f'<Project xmlns="urn:QDA-XML:project:1.0" name="x"><CodeBook><Codes>'
           f'<Code guid="{CODE}" name="&e;" isCodable="true"/></Codes></CodeBook></Project>').encode("utf-16")
    with pytest.raises(SourceReadError, match="DOCTYPE"):
        read_qdpx(_archive(tmp_path / "e.qdpx", {"project.qde": xml}), tmp_path / "p.somecode")
    (tmp_path / "e.qdc").write_bytes(xml.replace("Project".encode("utf-16")[2:], b"X"))
    with pytest.raises(SourceReadError):
        read_qdc(tmp_path / "e.qdc")


@pytest.mark.parametrize("value", ["abc", "1.5", "", "-3", "1e3", "99999999999999999999", "0x10"])
def test_a_position_that_is_not_a_whole_number_is_refused_naming_the_element(tmp_path, value):
    path = _archive(tmp_path / "n.qdpx", {"project.qde": _project(_selection(value, 4)),
                                         f"sources/{SOURCE}.txt": b"Halo semua."})
    with pytest.raises(SourceReadError, match=rf"line 1: <PlainTextSelection guid='[0-9a-f-]+s1'> has "
                                              rf"startPosition '{re.escape(value)}', not a whole number"):
        read_qdpx(path, tmp_path / "p.somecode")
    assert not (tmp_path / "p.somecode").exists()


def test_the_cli_reports_a_bad_position_without_a_traceback(tmp_path, capsys):
    path = _archive(tmp_path / "n.qdpx", {"project.qde": _project(_selection("abc", 4)),
                                         f"sources/{SOURCE}.txt": b"Halo semua."})
    assert main(["import", str(path), str(tmp_path / "p.somecode")]) != 0
    err = capsys.readouterr().err
    assert "startPosition 'abc'" in err and "Traceback" not in err


# ------------------------------------------------------------------ size
def _write_big_source(path, size: int) -> None:
    """An archive holding a ``size``-byte source that deflates about 3 to 1 (random words), so
    it passes the compression-ratio check as the reported file did."""
    words = "jaminan kesehatan peserta konten layanan pengaduan edukasi program informasi".split()
    rng = random.Random(7)
    block = " ".join(rng.choice(words) for _ in range(170_000)).encode()[:1 << 20]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("project.qde", _project(_selection(0, 5)))
        with archive.open(f"sources/{SOURCE}.txt", "w", force_zip64=True) as stream:
            for _ in range(size >> 20):
                stream.write(block)


@pytest.mark.slow
def test_a_200_mb_source_is_refused_by_its_size_before_it_is_inflated(tmp_path):
    path = tmp_path / "big.qdpx"
    _write_big_source(path, 200 << 20)
    started = time.perf_counter()
    with pytest.raises(SourceReadError, match=r"declares 209,715,200 bytes, over the limit 100,000,000"):
        read_qdpx(path, tmp_path / "p.somecode")
    assert time.perf_counter() - started < 5 and not (tmp_path / "p.somecode").exists()


def test_the_limit_for_one_source_is_configurable(tmp_path):
    path = tmp_path / "two.qdpx"
    _write_big_source(path, 2 << 20)
    with pytest.raises(SourceReadError, match="over the limit 1,000,000"):
        read_qdpx(path, tmp_path / "p.somecode", limits=Limits(source_bytes=1_000_000))
    project, _ = read_qdpx(path, tmp_path / "ok.somecode", limits=Limits(source_bytes=3_000_000))
    with project:
        assert len(project.source("doc").text) == 2 << 20


MEASURE = textwrap.dedent("""
    import gc, sys
    from somecode.exchange import read_qdpx

    def status(field):  # kB in /proc/self/status; VmHWM is this process's own peak (reset by exec)
        line = next(l for l in open("/proc/self/status") if l.startswith(field + ":"))
        return int(line.split()[1]) * 1024

    read_qdpx(sys.argv[3], sys.argv[4])[0].close()  # everything imported and warmed up first
    gc.collect()
    open("/proc/self/clear_refs", "w").write("5")  # peak := current
    base = status("VmRSS")
    project, _ = read_qdpx(sys.argv[1], sys.argv[2])
    chars = len(project.source("doc").text)
    project.close()
    print((status("VmHWM") - base) / chars)
""")



@pytest.mark.slow
@pytest.mark.skipif(not os.path.exists("/proc/self/clear_refs"), reason="reads the peak resident size from /proc")
@pytest.mark.parametrize("emoji", [False, True])
def test_import_memory_stays_under_20_bytes_per_character(tmp_path, emoji):
    """One 10 MB paragraph-free source (the shape that cost 110 bytes per character), in a fresh
    process: peak resident memory over the start, per character of source text."""
    rng = random.Random(3)
    words = "jaminan kesehatan peserta konten layanan pengaduan edukasi".split() + (["👍"] if emoji else [])
    text = " ".join(rng.choice(words) for _ in range(1_300_000))[:10_000_000]
    selections = "".join(_selection(a, a + 40, guid=f"00000000-0000-0000-0000-{i:012d}")
                         for i, a in enumerate(range(0, 9_000_000, 9_000)))
    path = _archive(tmp_path / "m.qdpx", {"project.qde": _project(selections),
                                         f"sources/{SOURCE}.txt": text.encode()}, level=1)
    small = _archive(tmp_path / "s.qdpx", {"project.qde": _project(_selection(0, 4)),
                                          f"sources/{SOURCE}.txt": text[:1000].encode()})
    done = subprocess.run([sys.executable, "-c", MEASURE, str(path), str(tmp_path / "m.somecode"), str(small),
                           str(tmp_path / "s.somecode")], capture_output=True, text=True, check=True)
    print(f"import peak: {float(done.stdout):.1f} bytes per character")
    assert float(done.stdout) < 20, done.stdout


def test_a_huge_bare_qde_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = tmp_path / "huge.qde"
    with path.open("wb") as stream:  # 1 GiB, sparse: nothing is written but the size
        stream.truncate(1 << 30)
    opened = []
    real_open = type(path).open
    monkeypatch.setattr(type(path), "open", lambda self, *a, **k: opened.append(self) or real_open(self, *a, **k))
    with pytest.raises(SourceReadError, match="1,073,741,824 bytes, over the limit"):
        read_qdpx(path, tmp_path / "p.somecode")
    assert path not in opened


# ------------------------------------------------------------------ external sources
def _external(tmp_path, location):
    return _archive(tmp_path / "ext.qdpx", {"project.qde": _project(source_attrs=f'plainTextPath="{location}"')})


def test_relative_paths_cannot_leave_the_named_folder(tmp_path):
    media = tmp_path / "media"
    media.mkdir()
    (tmp_path / "secret.txt").write_text("Rahasia.", encoding="utf-8")
    (media / "ok.txt").write_text("Boleh dibaca.", encoding="utf-8")
    for location in ("relative://../secret.txt", "relative:///../../secret.txt", f"absolute://{tmp_path}/secret.txt"):
        with pytest.raises(SourceReadError, match="leads outside the folder"):
            read_qdpx(_external(tmp_path, location), tmp_path / "p.somecode", allow_external=media)
        assert not (tmp_path / "p.somecode").exists()
    project, _ = read_qdpx(_external(tmp_path, "relative:///ok.txt"), tmp_path / "ok.somecode", allow_external=media)
    with project:
        assert project.source("doc").text == "Boleh dibaca."


def test_a_symlink_out_of_the_folder_is_followed_and_refused(tmp_path):
    media = tmp_path / "media"
    media.mkdir()
    (tmp_path / "secret.txt").write_text("Rahasia.", encoding="utf-8")
    (media / "link.txt").symlink_to(tmp_path / "secret.txt")
    with pytest.raises(SourceReadError, match="leads outside the folder"):
        read_qdpx(_external(tmp_path, "relative:///link.txt"), tmp_path / "p.somecode", allow_external=media)


@pytest.mark.parametrize("location", ["ftp://host/a.txt", "http://example.org/a.txt", "smb://server/share/a.txt"])
def test_unknown_schemes_are_never_opened(tmp_path, location):
    project, report = read_qdpx(_external(tmp_path, location), tmp_path / "p.somecode", allow_external=tmp_path)
    with project:
        assert project.source_ids() == []
    assert "is not one REFI-QDA defines" in report.set_index("element").loc["TextSource", "why"]


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_external_files_have_the_same_size_cap_and_devices_are_refused(tmp_path):
    with pytest.raises(SourceReadError, match="not a regular file"):
        read_qdpx(_external(tmp_path, "absolute:///dev/zero"), tmp_path / "p.somecode", allow_external="/dev")
    (tmp_path / "big.txt").write_bytes(b"kata " * 300_000)
    with pytest.raises(SourceReadError, match="1,500,000 bytes, over the limit 1,000,000"):
        read_qdpx(_external(tmp_path, "relative:///big.txt"), tmp_path / "p.somecode", allow_external=tmp_path,
                  limits=Limits(source_bytes=1_000_000))


def test_allow_external_true_means_the_folder_of_the_file(tmp_path):
    (tmp_path / "here.txt").write_text("Di sini.", encoding="utf-8")
    project, _ = read_qdpx(_external(tmp_path, "relative:///here.txt"), tmp_path / "p.somecode", allow_external=True)
    with project:
        assert project.source("doc").text == "Di sini."


# ------------------------------------------------------------------ honest reports
def test_identical_codings_are_reported_merged_with_their_memos_joined(tmp_path):
    twice = _selection(0, 4, "pertama") + _selection(0, 4, "kedua", guid="00000000-0000-0000-0000-0000000000s2")
    path = _archive(tmp_path / "d.qdpx", {"project.qde": _project(twice), f"sources/{SOURCE}.txt": b"Halo semua."})
    project, report = read_qdpx(path, tmp_path / "p.somecode")
    with project:
        (coding,) = project.coding_records()
        assert (coding.start, coding.end, coding.memo) == (0, 4, "pertama\n\nkedua")
    row = report.set_index("element").loc["Coding"]
    assert row[["read", "mapped", "merged", "dropped"]].tolist() == [2, 1, 1, 0]
    assert "merged into one coding, memos joined" in row["why"]


def test_code_groups_in_a_qdc_are_listed_and_warned_about(tmp_path):
    qdc = (f'<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="ATLAS.ti"><Codes>'
           f'<Code guid="{CODE}" name="Share" isCodable="true"/></Codes>'
           f'<Sets><Set guid="00000000-0000-0000-0000-0000000000e1" name="Strategi">'
           f'<MemberCode guid="{CODE}"/></Set></Sets></CodeBook>')
    (tmp_path / "g.qdc").write_text(qdc, encoding="utf-8")
    with pytest.warns(SomecodeWarning, match="code group 'Strategi' \\(1 codes\\) is not carried"):
        book = read_qdc(tmp_path / "g.qdc")
    assert [c.label for c in book] == ["Share"]


def test_sets_in_a_project_are_listed_in_the_report_and_warned_about(tmp_path):
    qde = _project().replace(b"</Project>", b'<Sets><Set guid="00000000-0000-0000-0000-0000000000e1" '
                                            b'name="Dokumen BPJS"/></Sets></Project>')
    path = _archive(tmp_path / "s.qdpx", {"project.qde": qde, f"sources/{SOURCE}.txt": b"Halo."})
    with pytest.warns(SomecodeWarning, match="'Dokumen BPJS'"):
        project, report = read_qdpx(path, tmp_path / "p.somecode")
    project.close()
    assert "'Dokumen BPJS'" in report.set_index("element").loc["Set", "why"]


def test_selections_whose_quote_is_not_at_their_position_are_named_in_a_warning(tmp_path):
    quoted = _selection(0, 4).replace('startPosition="0"', 'name="semua" startPosition="0"')
    path = _archive(tmp_path / "q.qdpx", {"project.qde": _project(quoted), f"sources/{SOURCE}.txt": b"Halo semua."})
    with pytest.warns(SomecodeWarning, match=r"do not read the text their tool quoted for them, in doc \(1 of 1\)"):
        project, report = read_qdpx(path, tmp_path / "p.somecode")
    project.close()
    assert report.attrs["offsets"][["quoted", "quotes_matched"]].values.tolist() == [[1, 0]]
