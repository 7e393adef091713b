"""One test per reader on small files made here, and one per kind of bad input."""

import pytest
from conftest import project_dump
from makefiles import make_docx, make_pdf, make_xlsx

import somecode
from somecode import (
    ConflictError,
    SomecodeWarning,
    SourceReadError,
    ValidationError,
    read_source,
    read_sources,
)
from somecode.sources import read_table


def turns(source):
    return [(t.speaker, t.informant, source.slice(t)) for t in source.turns]


def test_docx_with_colon_labels_bold_names_and_continuations(tmp_path):
    path = make_docx(tmp_path / "ani.docx", [
        "Peneliti: Fitur apa yang dipakai?",
        ("Ani", " Reels, karena audio visual."),
        "Lanjutan jawaban Ani.",
        ("Peneliti:", " Terima kasih."),
    ], title="Wawancara Ani")
    source = read_source(path)
    assert source.kind == "interview" and source.title == "Wawancara Ani"
    assert source.text == ("Peneliti: Fitur apa yang dipakai?\nAni Reels, karena audio visual.\n"
                           "Lanjutan jawaban Ani.\nPeneliti: Terima kasih.")
    assert turns(source) == [
        ("Peneliti", None, "Fitur apa yang dipakai?"),
        ("Ani", "ani", "Reels, karena audio visual.\nLanjutan jawaban Ani."),
        ("Peneliti", None, "Terima kasih."),
    ]


def test_docx_tables_are_ignored_with_a_warning(tmp_path):
    path = make_docx(tmp_path / "t.docx", ["Paragraf satu."], table=True)
    with pytest.warns(SomecodeWarning, match="1 table"):
        source = read_source(path)
    assert source.text == "Paragraf satu." and "not read" not in source.text


def test_vtt_voice_tags_merge_into_turns_with_times(tmp_path):
    path = tmp_path / "ani.vtt"
    path.write_text("WEBVTT\n\nNOTE made by hand\n\n1\n00:00:01.000 --> 00:00:02.500\n"
                    "<v Peneliti>Kapan &amp; di mana?\n\n00:00:03.000 --> 00:00:04.000\n"
                    "<v Ani>Jam 12,\n<i>siang</i>\n\n00:00:04.000 --> 00:01:05.250\n<v Ani>atau sore.\n",
                    encoding="utf-8")
    source = read_source(path)
    assert source.text == "Peneliti: Kapan & di mana?\nAni: Jam 12, siang atau sore.\n"
    assert [(t.speaker, source.slice(t), t.time_start, t.time_end) for t in source.turns] == [
        ("Peneliti", "Kapan & di mana?", 1.0, 2.5), ("Ani", "Jam 12, siang atau sore.", 3.0, 65.25)]


def test_srt_name_prefixes_and_unlabelled_continuation(tmp_path):
    path = tmp_path / "ani.srt"
    path.write_text("1\n00:00:01,000 --> 00:00:02,000\nPeneliti: Kapan?\n\n"
                    "2\n00:00:02,500 --> 00:00:03,000\nAni: Siang.\n\n"
                    "3\n00:00:03,000 --> 00:00:04,000\nKadang sore.\n", encoding="utf-8")
    source = read_source(path)
    assert [(t.speaker, source.slice(t), t.time_start, t.time_end) for t in source.turns] == [
        ("Peneliti", "Kapan?", 1.0, 2.0), ("Ani", "Siang. Kadang sore.", 2.5, 4.0)]


def test_bad_cue_timing_names_the_line(tmp_path):
    path = tmp_path / "bad.srt"
    path.write_text("1\n00:00:01,000 --> 00:00:02,000\nAni: a\n\n2\n00:00:0x --> 00:00:03,000\nb\n")
    with pytest.raises(SourceReadError, match="bad.srt, line 6: cannot read the timing line"):
        read_source(path)


def test_vtt_without_header_is_refused(tmp_path):
    path = tmp_path / "x.vtt"
    path.write_text("00:00:01.000 --> 00:00:02.000\nhalo\n")
    with pytest.raises(SourceReadError, match="must begin with 'WEBVTT'"):
        read_source(path)


def test_csv_rows_become_documents_with_attrs(tmp_path):
    path = tmp_path / "reviews.csv"
    path.write_text('review_id;content;score\nr1;"Aplikasi bagus,\nantre cepat";5\nr2;Sering error;1\n'
                    "r3;;3\n", encoding="utf-8")
    with pytest.warns(SomecodeWarning, match="1 row"):
        sources = read_table(path, text_column="content", id_column="review_id")
    assert [(s.id, s.kind, s.text, s.attrs["score"]) for s in sources] == [
        ("r1", "document", "Aplikasi bagus,\nantre cepat", "5"), ("r2", "document", "Sering error", "1")]
    assert sources[0].attrs["row"] == 2


def test_csv_in_cp1252_and_a_missing_column(tmp_path):
    path = tmp_path / "legacy.csv"
    path.write_bytes("text,who\n“Pelayanan” cepat,Budi\n".encode("cp1252"))
    [source] = read_table(path)
    assert source.text == "“Pelayanan” cepat" and source.encoding == "cp1252"
    assert source.id == "legacy-1"
    with pytest.raises(SourceReadError, match="legacy.csv, header row: no column named 'content'"):
        read_table(path, text_column="content")


def test_duplicate_ids_in_a_table_name_both_rows(tmp_path):
    path = tmp_path / "dup.csv"
    path.write_text("id,text\na,satu\nb,dua\na,tiga\n")
    with pytest.raises(SourceReadError, match=r"dup.csv, row 4: duplicate id 'a' \(also in row 2\)"):
        read_table(path, id_column="id")


def test_xlsx_rows(tmp_path):
    path = make_xlsx(tmp_path / "berita.xlsx", [("id", "judul", "text"), ("n1", "PBI", "Iuran PBI naik."),
                                                ("n2", "JKN", "Peserta JKN 👍 bertambah.")])
    sources = read_table(path, id_column="id")
    assert [(s.id, s.text, s.attrs["judul"]) for s in sources] == [
        ("n1", "Iuran PBI naik.", "PBI"), ("n2", "Peserta JKN 👍 bertambah.", "JKN")]
    with pytest.raises(SourceReadError, match="no sheet named 'x'"):
        read_table(path, sheet="x")


def test_pdf_pages_are_recorded(tmp_path):
    path = make_pdf(tmp_path / "laporan.pdf", [["Laporan tahunan", "BPJS Kesehatan"], ["Halaman dua"]])
    source = read_source(path)
    assert source.kind == "document"
    pages = [source.text[s:e] for s, e in source.attrs["pages"]]
    assert [p.split() for p in pages] == [["Laporan", "tahunan", "BPJS", "Kesehatan"], ["Halaman", "dua"]]


@pytest.mark.parametrize("name, data, message", [
    ("truncated.docx", "docx-head", "not a readable .docx file"),
    ("junk.docx", b"\x00\x01binary junk" * 10, "not a readable .docx file"),
    ("junk.pdf", b"%PDF-1.4\n\x00\x01 nothing else", "not a readable PDF"),
    ("junk.xlsx", b"PK\x03\x04 junk", "not a readable .xlsx workbook"),
    ("junk.vtt", b"\x00\x01\x02\x03", "control character"),
])
def test_bad_files_raise_a_located_error(tmp_path, name, data, message):
    path = tmp_path / name
    if data == "docx-head":
        whole = make_docx(tmp_path / "whole.docx", ["Ani: halo"]).read_bytes()
        data = whole[: len(whole) // 2]
    path.write_bytes(data)
    with pytest.raises(SourceReadError, match=message) as err:
        (read_table if name.endswith(".xlsx") else read_source)(path)
    assert err.value.path == str(path)
    if not name.endswith(".pdf"):  # pypdf does not say where a damaged PDF goes wrong
        assert err.value.place and err.value.place in str(err.value)


def test_unknown_suffix_and_missing_file(tmp_path):
    with pytest.raises(SourceReadError, match="no reader for files ending in '.odt'"):
        read_source(tmp_path / "a.odt")
    with pytest.raises(SourceReadError, match="no such file"):
        read_source(tmp_path / "a.txt")


def test_read_sources_reports_every_bad_file_at_once(tmp_path):
    (tmp_path / "a.txt").write_text("Ani: ok\n")
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "c.txt").write_bytes(b"\x81\x82\x00")
    (tmp_path / ".hidden.txt").write_bytes(b"")
    with pytest.raises(ValidationError) as err:
        read_sources(tmp_path)
    assert len(err.value.problems) == 2
    assert "b.txt" in err.value.problems[0] and "c.txt, byte 0" in err.value.problems[1]


def test_read_sources_refuses_two_files_with_one_id(tmp_path):
    (tmp_path / "a.txt").write_text("---\nid: same\n---\nAni: ok\n")
    (tmp_path / "b.md").write_text("---\nid: same\n---\nBudi: ok\n")
    with pytest.raises(ConflictError, match="both give the source id 'same'"):
        read_sources(tmp_path)


@pytest.mark.parametrize("name, data", [
    ("truncated.docx", None), ("junk.txt", bytes(range(256))), ("bad.txt", b"Ani: \xff\xfe\x00x\x81"),
    ("empty.md", b""), ("duplicate-id.txt", b"---\nid: fine\n---\nBudi: sama\n"),
    ("rows.csv", b"id,text\nr1,satu\nr1,dua\n"),
])
def test_a_bad_file_leaves_the_project_unchanged(project, tmp_path, name, data):
    project.add_path(_file(tmp_path, "good.txt", b"Ani: ok\nBudi: ya\n"))
    before = project_dump(project)
    if data is None:
        whole = make_docx(tmp_path / "w.docx", ["Ani: halo"]).read_bytes()
        data = whole[:200]
    folder = tmp_path / "batch"
    folder.mkdir()
    _file(folder, "fine.txt", b"Ani: tambahan\n")
    _file(folder, name, data)
    with pytest.raises(somecode.SomecodeError) as err:
        project.add_path(folder, **({"id_column": "id"} if name.endswith(".csv") else {}))
    assert name in str(err.value) or "fine.txt" in str(err.value)
    assert project_dump(project) == before


def test_adding_a_changed_file_under_a_taken_id_is_refused(project, tmp_path):
    path = _file(tmp_path, "ani.txt", b"Ani: ok\nBudi: ya\n")
    project.add_path(path)
    assert project.add_path(path)[0].id == "ani"  # identical again: nothing changes
    before = project_dump(project)
    path.write_bytes(b"Ani: ok, diubah\nBudi: ya\n")
    with pytest.raises(ConflictError, match="different text, turns.*delete_source"):
        project.add_path(path)
    assert project_dump(project) == before


def _file(folder, name, data):
    path = folder / name
    path.write_bytes(data)
    return path


def test_table_options_reach_only_the_table_readers(tmp_path):
    (tmp_path / "a.txt").write_text("Ani: ok\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text("kode,isi\nr1,satu\n", encoding="utf-8")
    sources = read_sources(tmp_path, text_column="isi", id_column="kode")
    assert [s.id for s in sources] == ["a", "r1"]
    assert "text_column" not in sources[0].attrs
