"""The command line: a thin layer over the library.

    somecode init PROJECT
    somecode add PROJECT PATH...
    somecode info PROJECT
    somecode reproduce [--out DIR] [--study DIR]
    somecode codebook check FILE
    somecode codebook show FILE [--format md|html]
    somecode codebook export FILE --to qdc [--out PATH]
    somecode matrix PROJECT [--by informant|source|ATTR] [--level stage|code] [--value V] [--format F] [-o FILE]
    somecode cooccurrence PROJECT [--unit turn|overlap|window] [--window N] [--measure count|jaccard]
    somecode retrieve PROJECT --code CODE [--informant NAME] [--context N]
    somecode search PROJECT QUERY [--regex|--phrase|--variants] [--source ...] [--set NAME] [--where EXPR]
    somecode triangulate PROJECT [--groups FILE.yaml] [--level stage|code] [--out DIR]
    somecode agreement PROJECT --coders A B [C...] [--unit turn] [--metric krippendorff_alpha]
    somecode disagreements PROJECT --coders A B [--unit turn]
    somecode export PROJECT --to qdpx FILE [--include accepted suggested rejected]
    somecode autocode PROJECT [--unit sentence|turn] [--codes ...] [--workers N] [--scheduler ADDRESS] [--blind]
    somecode suggestions PROJECT [--accept|--reject] [--ids ...] [--code C] [--rule R]
    somecode evaluate PROJECT [--auto CODER] --gold CODER [--unit turn] [--level stage|code]
    somecode variants PROJECT CODE
    somecode doctor PROJECT
    somecode notebook PROJECT -o FILE.ipynb
    somecode report PROJECT OUT [--format docx|html|codebook] [--coder C] [--language L]
    somecode import FILE.qdpx PROJECT [--allow-external [FOLDER]] [--split-names ::]

Errors are one line on stderr and a non-zero exit; ``--debug`` shows the traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from typing import TYPE_CHECKING

from .errors import SomecodeError, SomecodeWarning

if TYPE_CHECKING:
    from .project import Project

__all__ = ["main", "build_parser"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="somecode", description="Qualitative coding of interviews "
                                     "and documents, with the SOME codebook and the BPJS study.")
    parser.add_argument("--debug", action="store_true", help="show the full traceback on errors")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    init = commands.add_parser("init", help="create an empty project file")
    init.add_argument("project")
    add = commands.add_parser("add", help="add transcripts and documents (files or folders)")
    add.add_argument("project")
    add.add_argument("paths", nargs="+", metavar="PATH")
    info = commands.add_parser("info", help="what a project holds")
    info.add_argument("project")
    reproduce = commands.add_parser("reproduce", help="rebuild the bundled BPJS study and its table")
    reproduce.add_argument("--out", default="outputs", help="folder for the project and the table")
    reproduce.add_argument("--study", default=None, help="a study folder other than the bundled one")
    codebook = commands.add_parser("codebook", help="check, show or export a YAML codebook")
    actions = codebook.add_subparsers(dest="action", required=True, metavar="ACTION")
    check = actions.add_parser("check", help="validate a codebook; every problem with its line")
    check.add_argument("file")
    show = actions.add_parser("show", help="print a codebook as Markdown or HTML")
    show.add_argument("file")
    show.add_argument("--format", choices=["md", "html"], default="md")
    export = actions.add_parser("export", help="write a codebook in an exchange format")
    export.add_argument("file")
    export.add_argument("--to", choices=["qdc"], required=True)
    export.add_argument("--out", help="output file (default: FILE with the new suffix)")
    inspect = commands.add_parser("inspect", help="how files would be read: format, speakers, turns "
                                  "(before adding them)")
    inspect.add_argument("paths", nargs="+", metavar="FILE")
    inspect.add_argument("--interviewer", action="append", default=[], metavar="LABEL",
                         help="a speaker label that is an interviewer (repeatable)")
    _analysis_commands(commands)
    return parser


FORMATS = ("table", "csv", "md", "latex", "xlsx", "html")


def _output_options(command, *, coders: bool = True) -> None:
    command.add_argument("--format", choices=FORMATS, default="table",
                         help="table (the terminal), csv, md, latex, xlsx or html")
    command.add_argument("-o", "--output", help="write to this file (needed for xlsx)")
    if coders:  # not for a command that reads no codings
        command.add_argument("--coder", action="append", help="only this coder's codings (repeatable)")


def _analysis_commands(commands) -> None:
    from .analysis.matrices import VALUES

    matrix = commands.add_parser("matrix", help="themes by informants, sources or an attribute")
    matrix.add_argument("project")
    matrix.add_argument("--by", default="informant", help="informant, source, or an attribute (role...)")
    matrix.add_argument("--level", choices=["stage", "code"], default="stage")
    matrix.add_argument("--value", choices=VALUES, default="count")
    matrix.add_argument("--documents", action="store_true", help="add document types as columns")
    matrix.add_argument("--margins", action="store_true", help="add Total row and column")
    _output_options(matrix)
    co = commands.add_parser("cooccurrence", help="codes that occur together")
    co.add_argument("project")
    co.add_argument("--unit", choices=["turn", "overlap", "window"], default="turn")
    co.add_argument("--window", type=int, default=None, help="characters, with --unit window")
    co.add_argument("--measure", choices=["count", "jaccard"], default="count")
    co.add_argument("--level", choices=["stage", "code"], default="code")
    co.add_argument("--graphml", help="also write the graph as GraphML to this file")
    _output_options(co)
    tri = commands.add_parser("triangulate", help="convergence coding matrix across groups")
    tri.add_argument("project")
    tri.add_argument("--groups", help="a YAML file of groups (default: each informant and document type)")
    tri.add_argument("--level", choices=["stage", "code"], default="stage")
    tri.add_argument("--tolerance", type=int, default=1, help="rank difference that still agrees")
    tri.add_argument("--assessor", help="use only this assessor's judgements")
    tri.add_argument("--out", default="outputs", help="folder for the CSV files")
    _output_options(tri)
    auto = commands.add_parser("autocode", help="suggest codings from the codebook's patterns")
    auto.add_argument("project")
    auto.add_argument("--unit", choices=["sentence", "turn"], default="sentence")
    auto.add_argument("--codes", nargs="+")
    auto.add_argument("--workers", type=int, default=1)
    auto.add_argument("--scheduler", help="code on the Dask cluster whose scheduler is at this address "
                                          "(tcp://HOST:8786)")
    auto.add_argument("--blind", action="store_true", help="also where a person already coded (to evaluate)")
    review = commands.add_parser("suggestions", help="list, accept or reject automatic suggestions")
    review.add_argument("project")
    action = review.add_mutually_exclusive_group()
    action.add_argument("--accept", action="store_true")
    action.add_argument("--reject", action="store_true")
    review.add_argument("--ids", nargs="+", type=int)
    review.add_argument("--code")
    review.add_argument("--rule")
    review.add_argument("--source")
    evaluate = commands.add_parser("evaluate", help="automatic coding against a human coder")
    evaluate.add_argument("project")
    evaluate.add_argument("--auto", help="the automatic coder (default: the current codebook's)")
    evaluate.add_argument("--gold", default="paper")
    evaluate.add_argument("--unit", choices=["turn", "sentence", "source"], default="turn")
    evaluate.add_argument("--level", choices=["stage", "code"], default="code")
    variants = commands.add_parser("variants", help="corpus words that may belong to a code's keywords")
    variants.add_argument("project")
    variants.add_argument("code")
    variants.add_argument("--lang", default="id")
    notebook = commands.add_parser("notebook", help="write an executed analysis notebook for a project")
    notebook.add_argument("project")
    notebook.add_argument("-o", "--output", required=True)
    notebook.add_argument("--level", choices=["stage", "code"], default="stage")
    notebook.add_argument("--coder", action="append")
    report = commands.add_parser("report", help="a Word report of the passages by code, the codebook as a "
                                 "Word document, or the whole project as one offline HTML file")
    report.add_argument("project")
    report.add_argument("out", metavar="OUT", help="the file to write (.docx or .html)")
    report.add_argument("--format", choices=["docx", "html", "codebook"], default=None,
                        help="docx (passages by code), codebook (Word) or html; default: from OUT's suffix")
    report.add_argument("--coder", action="append", help="only this coder's codings (repeatable)")
    report.add_argument("--language", help="the language of code labels (default: the codebook's first)")
    doctor = commands.add_parser("doctor", help="check a project file's integrity")
    doctor.add_argument("project")
    export = commands.add_parser("export", help="write a project for other QDA tools")
    export.add_argument("project")
    export.add_argument("--to", choices=["qdpx"], required=True)
    export.add_argument("file")
    export.add_argument("--include", nargs="+", choices=["accepted", "suggested", "rejected"],
                        default=["accepted"], help="which codings to write (default: accepted only)")
    imports = commands.add_parser("import", help="read a .qdpx/.qde into a new project")
    imports.add_argument("file")
    imports.add_argument("project")
    imports.add_argument("--allow-external", nargs="?", const=True, default=False, metavar="FOLDER",
                         help="open relative:// and absolute:// sources inside FOLDER (default: the "
                              "folder holding FILE)")
    imports.add_argument("--split-names", help="split code names into a hierarchy on this string (e.g. ::)")
    agree = commands.add_parser("agreement", help="inter-coder agreement per code")
    agree.add_argument("project")
    agree.add_argument("--coders", nargs="+", required=True)
    agree.add_argument("--unit", choices=["turn", "sentence", "source"], default="turn")
    agree.add_argument("--level", choices=["stage", "code"], default="code")
    agree.add_argument("--metric", default="krippendorff_alpha")
    agree.add_argument("--exclude-uncoded", action="store_true", help="drop units no coder coded")
    _output_options(agree)
    differ = commands.add_parser("disagreements", help="units where coders differ")
    differ.add_argument("project")
    differ.add_argument("--coders", nargs="+", required=True)
    differ.add_argument("--unit", choices=["turn", "sentence", "source"], default="turn")
    differ.add_argument("--level", choices=["stage", "code"], default="code")
    _output_options(differ)
    retrieve = commands.add_parser("retrieve", help="coded passages in context")
    retrieve.add_argument("project")
    retrieve.add_argument("--code", required=True)
    retrieve.add_argument("--informant")
    retrieve.add_argument("--context", type=int, default=80)
    _output_options(retrieve)
    find = commands.add_parser("search", help="words, phrases, patterns or word forms in context")
    find.add_argument("project")
    find.add_argument("query")
    how = find.add_mutually_exclusive_group()
    how.add_argument("--regex", dest="mode", action="store_const", const="regex",
                     help="QUERY is a regular expression")
    how.add_argument("--phrase", dest="mode", action="store_const", const="phrase",
                     help="the words of QUERY in order (default: any of them)")
    how.add_argument("--variants", dest="mode", action="store_const", const="variants",
                     help="also other forms of QUERY's words (lemma; Indonesian stem)")
    find.add_argument("--source", nargs="+", help="only these sources")
    find.add_argument("--set", dest="sets", action="append", metavar="NAME",
                      help="only the sources or cases of this set (repeatable; sets of one kind add up)")
    find.add_argument("--where", metavar="EXPR", help="only the cases whose attributes match, \"role == 'staff'\"")
    find.add_argument("--context", type=int, default=40, help="characters either side")
    find.add_argument("--case-sensitive", action="store_true")
    find.add_argument("--skip-interviewer", action="store_true", help="leave the interviewers' turns out")
    _output_options(find, coders=False)


def main(argv=None) -> int:
    """Run one command; the single error boundary of the command line.

    Every expected failure (:func:`expected_errors`) is one line on stderr,
    ``somecode: error: MESSAGE`` (a :class:`~somecode.errors.ValidationError`
    lists its problems on the lines after it), and exit status 1; Ctrl-C is
    ``somecode: interrupted`` and 130.  ``--debug`` re-raises instead.
    """
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        if args.debug:
            raise
        print("somecode: interrupted", file=sys.stderr)
        return 130
    except expected_errors() as err:
        if args.debug:
            raise
        first, *rest = error_message(err, args).splitlines() or [type(err).__name__]
        print(f"somecode: error: {first}", file=sys.stderr)
        for line in rest:
            print(line, file=sys.stderr)
        return 1


def expected_errors() -> tuple[type[BaseException], ...]:
    """The exceptions a command may fail with for a reason outside the program: a bad value,
    a missing or unreadable file, a damaged project or input file.  Anything else is a bug
    and keeps its traceback."""
    import sqlite3
    import zipfile
    from xml.etree.ElementTree import ParseError

    import yaml

    found = [SomecodeError, ValueError, KeyError, OSError, UnicodeError, sqlite3.DatabaseError,
             zipfile.BadZipFile, ParseError, yaml.YAMLError]
    try:
        from lxml.etree import LxmlError
    except ImportError:  # pragma: no cover - lxml is a dependency
        pass
    else:
        found.append(LxmlError)
    return tuple(found)


_OS_REASONS = {FileNotFoundError: "no such file or folder", FileExistsError: "already exists",
               IsADirectoryError: "is a folder, not a file",
               NotADirectoryError: "a part of the path is a file, not a folder",
               PermissionError: "permission denied"}


def error_message(err: BaseException, args) -> str:
    """What went wrong, in plain words, naming the file or value; the first line is the message."""
    if isinstance(err, SomecodeError):
        return str(err)
    return " ".join(_plain_message(err, args).split())  # one line: the library did not word it


def _plain_message(err: BaseException, args) -> str:
    import sqlite3
    import zipfile

    if isinstance(err, sqlite3.DatabaseError):
        return _damaged(getattr(args, "project", None), str(err), args)
    if isinstance(err, OSError):
        name = err.filename2 if err.filename2 is not None else err.filename
        if name is None:
            return str(err) or type(err).__name__
        name = str(name).removesuffix(".partial")  # a file being written is shown by its final name
        reason = next((text for kind, text in _OS_REASONS.items() if isinstance(err, kind)),
                      err.strerror or str(err))
        if isinstance(err, FileExistsError) and os.path.isfile(name):
            reason += " as a file, where a folder is needed"
        return f"{name}: {reason}"
    if isinstance(err, UnicodeDecodeError):
        return (f"{_input_named(args)}: not readable text ({err.encoding} cannot decode byte "
                f"{err.start}: {err.reason}); save it as UTF-8")
    if isinstance(err, zipfile.BadZipFile):
        return f"{_input_named(args)}: not a readable zip file ({err})"
    if isinstance(err, KeyError):
        key = err.args[0] if err.args else ""
        return key if isinstance(key, str) and " " in key.strip() else f"{key!r} was not found"
    if isinstance(err, (ValueError, UnicodeError)):
        return str(err) or type(err).__name__
    if type(err).__module__.startswith("yaml"):
        mark, problem = getattr(err, "problem_mark", None), getattr(err, "problem", None)
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        return f"{_input_named(args)}{where}: not valid YAML: {problem or err}"
    return f"{_input_named(args)}: not well-formed XML: {err}"


def _damaged(path: str | None, detail: str, args) -> str:
    """The message for a project file SQLite cannot read (``detail`` is SQLite's own words)."""
    project = path or "a project file"
    detail = _one_line(detail.split(" with text '")[0])  # not the damaged bytes themselves
    if "locked" in detail:
        return f"{project} is in use by another program ({detail}); close it and try again"
    hint = "" if args.command == "doctor" else f"; try: somecode doctor {project}"
    return f"{project} is not a somecode project or is damaged ({detail}){hint}"


def _one_line(text: str, limit: int = 160) -> str:
    """``text`` as one printable line of at most ``limit`` characters (SQLite quotes damaged bytes)."""
    line = "".join(c if c.isprintable() and c != "\ufffd" else "?" for c in " ".join(str(text).split()))
    return line if len(line) <= limit else line[:limit - 3] + "..."


def _input_named(args) -> str:
    """The file a command was reading: its input file, else its project."""
    for name in ("file", "groups", "study", "paths", "project"):
        value = getattr(args, name, None)
        if value:
            return ", ".join(value) if isinstance(value, list) else str(value)
    return "the input"


def _init(args) -> int:
    from .project import Project

    Project.create(args.project).close()
    print(f"created {args.project}")
    return 0


def _add(args) -> int:
    from .project import Project

    with Project.open(args.project) as project, project.atomic():
        added = [s for path in args.paths for s in project.add_path(path)]
    for source in added:
        print(f"{source.id}\t{source.kind}\t{len(source.turns)} turns\t{source.path}")
    return 0


def _info(args) -> int:
    from .project import Project

    with Project.open(args.project) as project:
        _print_counts(project.summary())
        for source in project.sources():
            print(f"  {source.id}\t{source.kind}\t{len(source.text):,} chars\t{len(source.turns)} turns")
    return 0


def _inspect(args) -> int:
    from .sources.inspection import inspect

    table = inspect(args.paths, **({"interviewers": args.interviewer} if args.interviewer else {}))
    if table.empty:
        raise SomecodeError(f"{', '.join(args.paths)}: no file that somecode reads was found there")
    unread = []
    for row in table.to_dict("records"):
        print(row["file"])
        for column in table.columns[1:]:
            value = row[column]
            if value is not None and value == value and value != "":
                print(f"  {column}: {value}")
        if "cannot be read" in str(row.get("notes") or ""):
            unread.append(str(row["file"]))
    if unread:  # the report is printed; the exit status says not every file can be added
        raise SomecodeError(f"{len(unread)} of {len(table)} files cannot be read: {', '.join(unread)}")
    return 0


def _reproduce(args) -> int:
    from .study import reproduce

    result = reproduce(args.out, args.study)
    _print_counts(result.summary)
    print("\nCoded passages (turns) per SOME stage and informant, coder 'paper':\n")
    print(result.table.to_string())
    if result.triangulation is not None:
        print("\nSource triangulation (Farmer et al. 2006), per stage and pair of groups:\n")
        print(result.triangulation.summary.to_string())
    print("\nwritten: " + ", ".join(str(p) for p in result.outputs))
    result.project.close()
    return 0


def _print_counts(counts: dict) -> None:
    print(", ".join(f"{n} {name}" for name, n in counts.items()))


def _codebook(args) -> int:
    from pathlib import Path

    from .codebook import Codebook, codebook_html, codebook_markdown
    from .exchange.qdc import write_qdc

    book = Codebook.load(args.file)
    if args.action == "check":
        depth = max((book.depth(c.id) for c in book), default=-1) + 1
        print(f"{args.file}: valid, {len(book)} codes in {len(book.roots())} groups, "
              f"{depth} levels, languages {', '.join(book.languages)}")
    elif args.action == "show":
        print(codebook_markdown(book) if args.format == "md" else codebook_html(book))
    else:
        out = Path(args.out or Path(args.file).with_suffix(".qdc"))
        losses = write_qdc(book, out)
        print(f"written: {out}")
        for loss in losses:
            print(f"not carried by .qdc: {loss}")
    return 0


def _emit(table, args) -> None:
    from .exchange import tables

    if args.format == "xlsx" and not args.output:
        raise _usage_error("--format xlsx needs -o FILE.xlsx")
    if args.format == "xlsx":
        tables.to_xlsx(table, args.output)
        print(f"written: {args.output}")
        return
    render = {"table": lambda t: t.to_string(), "md": tables.to_markdown, "latex": tables.to_latex,
              "html": tables.to_html, "csv": lambda t: t.to_csv()}[args.format]
    text = render(table)
    if args.output:
        from pathlib import Path

        Path(args.output).write_text(text + "\n", encoding="utf-8")
        print(f"written: {args.output}")
    else:
        print(text)


def _usage_error(message: str):
    from .errors import ValidationError

    return ValidationError(message)


def _check_coders(project: Project, *names) -> None:
    """A coder name that is not in the project is a typo, not an empty result."""
    from .vocabulary import unknown

    known = [c.id for c in project.coders()]
    for name in names:
        if name is not None and name not in known:
            raise unknown("coder", name, known)


def _matrix(args) -> int:
    from . import analysis
    from .project import Project

    options = {"level": args.level, "value": args.value, "coders": args.coder, "margins": args.margins}
    with Project.open(args.project) as project:
        _check_coders(project, *args.coder or [])
        if args.by == "informant":
            table = analysis.theme_by_informant(project, include_documents=args.documents, **options)
        elif args.by == "source":
            table = analysis.theme_by_source(project, **options)
        else:
            table = analysis.crosstab(project, by=args.by, **options)
        _emit(table, args)
    return 0


def _cooccurrence(args) -> int:
    from . import analysis
    from .project import Project

    options = {"unit": args.unit, "window": args.window, "measure": args.measure, "level": args.level,
               "coders": args.coder}
    with Project.open(args.project) as project:
        _check_coders(project, *args.coder or [])
        _emit(analysis.cooccurrence(project, **options), args)
        if args.graphml:
            analysis.write_graphml(analysis.cooccurrence_graph(project, **options), args.graphml)
            print(f"written: {args.graphml}")
    return 0


def _triangulate(args) -> int:
    from .analysis.triangulation import load_groups, triangulate, write_triangulation
    from .project import Project

    with Project.open(args.project) as project:
        _check_coders(project, *args.coder or [])
        groups = load_groups(args.groups) if args.groups else None
        result = triangulate(project, groups, level=args.level, tolerance=args.tolerance,
                             by=args.assessor, coders=args.coder)
    _emit(result.matrix, args)
    print()
    _print_evidence(result)
    written = write_triangulation(result, args.out)
    print("\nwritten: " + ", ".join(str(p) for p in written))
    return 0


def _print_evidence(result) -> None:
    cells = result.evidence[~result.evidence["category"].isin(["absent", "silence"])]
    for row in cells.itertuples():
        print(f"{row.theme} | {row.pair}: {row.category} (meaning {row.meaning}, prominence {row.prominence}"
              f", {row.prominence_from})")
        for note in row.stances:
            print(f"    {note}")
        for side, lines in ((row.group_a, row.evidence_a), (row.group_b, row.evidence_b)):
            for line in lines:
                print(f"    {side}: {line[:140]}{'...' if len(line) > 140 else ''}")


def _autocode(args) -> int:
    from .auto.coder import autocode
    from .project import Project

    with Project.open(args.project) as project:
        made = autocode(project, unit=args.unit, codes=args.codes, workers=args.workers,
                        skip_coded=not args.blind, progress=sys.stderr.isatty(),
                        engine="dask" if args.scheduler else "local", scheduler=args.scheduler)
    counts = made.attrs
    print(f"{counts['new']} new suggestions stored ({counts['already']} already there, "
          f"{counts['skipped']} skipped where a person coded)")
    if len(made):
        print(made.groupby("code").size().rename("suggestions").to_string())
    return 0


def _suggestions(args) -> int:
    from .auto.coder import accept, reject, suggestions
    from .project import Project

    with Project.open(args.project) as project:
        if args.code is not None:
            project.code_by_id(args.code)
        if args.source is not None:
            project.source(args.source)
        if args.accept or args.reject:
            review = accept if args.accept else reject
            n = review(project, ids=args.ids, code=args.code, rule=args.rule, source=args.source)
            print(f"{n} suggestions {'accepted' if args.accept else 'rejected'} (project.undo() reverses it)")
        else:
            table = suggestions(project)
            print(table[["id", "source", "code", "rules", "matched"]].to_string(index=False) if len(table)
                  else "no open suggestions")
    return 0


def _evaluate(args) -> int:
    from .auto.evaluation import evaluate
    from .project import Project

    with Project.open(args.project) as project:
        _check_coders(project, args.auto, args.gold)
        table = evaluate(project, auto=args.auto, gold=args.gold, unit=args.unit, level=args.level)
    print(table.round(3).to_string())
    return 0


def _variants(args) -> int:
    from .auto.variants import suggest_variants
    from .project import Project

    with Project.open(args.project) as project:  # suggest_variants checks the language
        table = suggest_variants(project, args.code, language=args.lang)
    print(table.to_string(index=False) if len(table) else "no variants found in the corpus")
    return 0


def _notebook(args) -> int:
    from .exchange.notebook import write_notebook
    from .project import Project

    with Project.open(args.project) as project:
        _check_coders(project, *args.coder or [])
        try:
            write_notebook(project, args.output, level=args.level, coders=args.coder)
        except Exception as err:  # the notebook runs in a kernel: its errors come back as nbclient's
            if not type(err).__module__.startswith("nbclient"):
                raise
            raise SomecodeError(_notebook_failure(err, args)) from err
    print(f"written: {args.output}")
    return 0


def _notebook_failure(err, args) -> str:
    name = getattr(err, "ename", None) or type(err).__name__
    value = getattr(err, "evalue", None) or (str(err).splitlines() or [""])[0]
    if name in ("DatabaseError", "OperationalError"):
        return _damaged(args.project, value, args)
    return f"{args.output}: the analysis notebook stopped with {name}: {_one_line(value)}; it was not written"


def _report(args) -> int:
    from .project import Project
    from .reports import write_report

    with Project.open(args.project, read_only=True) as project:  # a report never changes the project
        path = write_report(project, args.out, format=args.format, coders=args.coder, language=args.language)
    print(f"written: {path}")
    return 0


def _doctor(args) -> int:
    from .project import Project

    with Project.open(args.project, read_only=True) as project:  # a check never changes what it checks
        problems = project.check()
    damage = problems[problems["what"] != "notice"]
    if problems.empty:
        print(f"{args.project}: no problems found")
    else:
        print(problems.to_string(index=False))
    return 1 if len(damage) else 0


def _export(args) -> int:
    from .exchange import write_qdpx
    from .project import Project

    with Project.open(args.project) as project, warnings.catch_warnings():
        warnings.simplefilter("ignore", SomecodeWarning)  # the report below says what was left out
        _, report = write_qdpx(project, args.file, include=args.include, report=True)
    print(f"written: {args.file}\n")
    print(report.to_string(index=False))
    return 0


def _import(args) -> int:
    from .exchange import read_qdpx

    project, report = read_qdpx(args.file, args.project, allow_external=args.allow_external,
                                split_names=args.split_names)
    project.close()
    print(f"created {args.project}\n\nWhat was read, mapped and dropped:\n")
    print(report.to_string(index=False))
    offsets = report.attrs["offsets"]
    if len(offsets):
        print("\nHow positions were counted, per source:\n")
        print(offsets.to_string(index=False))
    return 0


def _agreement(args) -> int:
    from .agreement import agreement_table
    from .project import Project

    with Project.open(args.project) as project:
        _check_coders(project, *args.coders, *args.coder or [])
        table = agreement_table(project, coders=args.coders, unit=args.unit, level=args.level, metric=args.metric,
                                exclude_uncoded=args.exclude_uncoded)
    _emit(table, args)
    if args.format == "table":
        print(f"\n{table.attrs['citation']}")
    return 0


def _disagreements(args) -> int:
    from .agreement import disagreements
    from .project import Project

    with Project.open(args.project) as project:
        _check_coders(project, *args.coders, *args.coder or [])
        _emit(disagreements(project, coders=args.coders, unit=args.unit, level=args.level), args)
    return 0


def _retrieve(args) -> int:
    from . import analysis
    from .project import Project

    with Project.open(args.project) as project:
        _check_coders(project, *args.coder or [])
        table = analysis.retrieve(project, code=args.code, informant=args.informant, coders=args.coder,
                                  context=args.context)
        _emit(table, args)
    return 0


def _search(args) -> int:
    from .analysis.search import search
    from .project import Project

    with Project.open(args.project) as project:
        table = search(project, args.query, mode=args.mode or "words", sources=args.source, sets=args.sets,
                       where=args.where, context=args.context, case_sensitive=args.case_sensitive,
                       skip_interviewer=args.skip_interviewer)
    if args.format == "table":  # one line per hit on a terminal
        table = table.replace({"left": r"\s", "match": r"\s", "right": r"\s"}, " ", regex=True)
    _emit(table, args)
    return 0


COMMANDS = {"init": _init, "add": _add, "info": _info, "reproduce": _reproduce, "codebook": _codebook,
            "matrix": _matrix, "cooccurrence": _cooccurrence, "retrieve": _retrieve,
            "triangulate": _triangulate, "agreement": _agreement, "disagreements": _disagreements,
            "export": _export, "import": _import, "autocode": _autocode, "suggestions": _suggestions,
            "evaluate": _evaluate, "variants": _variants, "doctor": _doctor, "notebook": _notebook, "report": _report,
            "inspect": _inspect, "search": _search}

if __name__ == "__main__":
    sys.exit(main())
