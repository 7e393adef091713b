"""The command line: a thin layer over the library.

    somecode init PROJECT
    somecode add PROJECT PATH...
    somecode info PROJECT
    somecode reproduce [--out DIR] [--study DIR]
    somecode codebook check FILE
    somecode codebook show FILE [--format md|html]
    somecode codebook export FILE --to qdc [--out PATH]

Errors are one line on stderr and a non-zero exit; ``--debug`` shows the traceback.
"""

from __future__ import annotations

import argparse
import sys

from .errors import SomecodeError

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
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except SomecodeError as err:
        if args.debug:
            raise
        first, *rest = str(err).splitlines()
        print(f"somecode: error: {first}", file=sys.stderr)
        for line in rest:
            print(line, file=sys.stderr)
        return 1


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


def _reproduce(args) -> int:
    from .study import reproduce

    result = reproduce(args.out, args.study)
    _print_counts(result.summary)
    print("\nCoded passages (turns) per SOME stage and informant, coder 'paper':\n")
    print(result.table.to_string())
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


COMMANDS = {"init": _init, "add": _add, "info": _info, "reproduce": _reproduce, "codebook": _codebook}

if __name__ == "__main__":
    sys.exit(main())
