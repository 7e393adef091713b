"""Every reader and importer, fed random and mutated bytes, may only raise a SomecodeError, and a
failed import leaves the project as it was."""

import io
import zipfile

import pytest
from conftest import project_dump
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from makefiles import make_docx, make_pdf, make_xlsx

import somecode
from somecode import SomecodeError, read_source
from somecode.codebook import Codebook
from somecode.exchange import read_qdc, read_qdpx
from somecode.sources import read_table

SEEDS = {
    ".md": "---\nid: s\nspeakers: {Ani: informant}\n---\nPeneliti: Apa?\nAni: Reels 👍.\n".encode(),
    ".txt": "Peneliti: Apa?\r\nAni: Reels.\r\n".encode("utf-16"),
    ".vtt": b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Ani>Halo\n",
    ".srt": b"1\n00:00:01,000 --> 00:00:02,000\nAni: Halo\n",
    ".csv": b"id,text\na,satu\nb,dua\n",
    ".qdc": b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="00000000-0000-0000-0000-'
            b'000000000001" name="A" isCodable="true"/></Codes></CodeBook>',
    ".yaml": b"codes:\n- id: a\n  label: A\n- id: a.b\n  parent: a\n  label: B\n",
}


def _binary_seeds(tmp):
    seeds = dict(SEEDS)
    seeds[".docx"] = make_docx(tmp / "s.docx", ["Ani: halo", ("Budi", " ya")]).read_bytes()
    seeds[".xlsx"] = make_xlsx(tmp / "s.xlsx", [("text",), ("satu",)]).read_bytes()
    seeds[".pdf"] = make_pdf(tmp / "s.pdf", [["Halaman satu"]]).read_bytes()
    with somecode.Project.create(tmp / "p.somecode") as project:
        project.add_source(somecode.Source.from_text("s", "Reels disukai.", kind="document"))
        project.add_code("a")
        project.code("s", 0, 5, "a", coder="nida")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("project.qde", somecode.exchange.to_qde(project))
            archive.writestr(f"sources/{somecode.exchange.refi_write.guid('source', 's')}.txt", "Reels disukai.")
        seeds[".qdpx"] = buffer.getvalue()
    return seeds


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    return _binary_seeds(tmp_path_factory.mktemp("seeds"))


@st.composite
def mutated(draw, data: bytes):
    data = bytearray(data)
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["flip", "cut", "insert", "delete"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if kind == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif kind == "cut":
            data = data[:at]
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=20))
        elif data:
            del data[at:at + draw(st.integers(1, 30))]
    return bytes(data)


def _read(path):
    suffix = path.suffix
    if suffix == ".qdc":
        return read_qdc(path)
    if suffix == ".yaml":
        return Codebook.load(path)
    if suffix == ".qdpx":
        project, _ = read_qdpx(path, path.with_suffix(".imported.somecode"))
        project.close()
        path.with_suffix(".imported.somecode").unlink()
        return project
    if suffix in (".csv", ".xlsx"):
        return read_table(path, **({"id_column": "id"} if suffix == ".csv" else {}))
    return read_source(path)


@pytest.mark.parametrize("suffix", [".md", ".txt", ".vtt", ".srt", ".csv", ".docx", ".xlsx", ".pdf", ".qdc",
                                    ".yaml", ".qdpx"])
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_bad_bytes_raise_only_somecode_errors(seeds, tmp_path_factory, suffix, data):
    raw = data.draw(st.one_of(mutated(seeds[suffix]), st.binary(max_size=300)))
    path = tmp_path_factory.mktemp("fuzz") / f"input{suffix}"
    path.write_bytes(raw)
    try:
        _read(path)
    except SomecodeError:
        pass
    assert not list(path.parent.glob("*.somecode"))  # a failed import leaves no project behind


@pytest.mark.parametrize("suffix", [".md", ".docx", ".pdf"])
def test_a_failed_add_leaves_the_project_unchanged(seeds, project, tmp_path, suffix):
    project.add_path(_write(tmp_path / "good.md", SEEDS[".md"]))
    before = project_dump(project)
    broken = _write(tmp_path / f"broken{suffix}", seeds[suffix][: len(seeds[suffix]) // 3] + b"\x00\xff" * 5)
    with pytest.raises(SomecodeError):
        project.add_path(broken)
    assert project_dump(project) == before


def _write(path, data):
    path.write_bytes(data)
    return path
