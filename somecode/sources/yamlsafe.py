"""YAML with limits: the one loader for front matter, codebooks and study files.

PyYAML's ``safe_load`` refuses arbitrary objects but not a "billion laughs" alias
bomb (``b: [*a, *a, ...]``, ``c: [*b, *b, ...]``: a few hundred bytes that
expand to billions of nodes once anything walks the result), deep nesting (a
:class:`RecursionError`) or values Python cannot build (``2024-02-30``, a
5,000-digit integer).  :class:`LimitedLoader` measures every node as it is
composed, before anything is constructed, and refuses:

- input longer than :data:`MAX_CHARS` characters;
- nesting deeper than :data:`MAX_DEPTH` levels (counting what aliases bring in);
- aliases that, expanded, would bring in more than :data:`MAX_ALIAS_NODES` nodes
  or :data:`MAX_ALIAS_CHARS` characters of scalars in all, and an alias to the
  node that holds it (a recursive structure).

Each refusal is a :class:`~somecode.errors.SourceReadError` naming the file, the
line and the limit.

>>> load_yaml("a: [1, 2]\\n", "x.yaml")
{'a': [1, 2]}
>>> bomb = "a: &a [x, x]\\nb: &b [*a, *a]\\n" + "".join(
...     f"c{i}: &c{i} [{', '.join([f'*c{i - 1}' if i else '*b'] * 10)}]\\n" for i in range(6))
>>> load_yaml(bomb, "bomb.yaml")
Traceback (most recent call last):
  ...
somecode.errors.SourceReadError: bomb.yaml, line 7, column 10: YAML aliases would expand to more than 100000 nodes (a "billion laughs" alias bomb?) (fix: write the values out instead of repeating aliases; at most 100000 nodes may come from aliases)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..errors import SourceReadError

__all__ = ["LimitedLoader", "load_yaml", "load_yaml_with", "read_yaml_text",
           "MAX_CHARS", "MAX_DEPTH", "MAX_ALIAS_NODES", "MAX_ALIAS_CHARS"]

MAX_CHARS = 5_000_000         # a YAML document (a codebook of thousands of codes is well under 1 MB)
MAX_DEPTH = 100               # nested collections, aliases included
MAX_ALIAS_NODES = 100_000     # nodes that aliases bring in, counted as if written out
MAX_ALIAS_CHARS = 10_000_000  # characters of scalars that aliases bring in


class YAMLLimitError(yaml.MarkedYAMLError):
    """A limit of :class:`LimitedLoader` was reached, or a value cannot be built; ``fix`` says
    what to change."""

    def __init__(self, problem: str, mark, fix: str) -> None:
        super().__init__(problem=problem, problem_mark=mark)
        self.fix = fix


class LimitedLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that measures nodes while composing and refuses the ones past the limits."""

    max_depth = MAX_DEPTH
    max_alias_nodes = MAX_ALIAS_NODES
    max_alias_chars = MAX_ALIAS_CHARS

    def __init__(self, stream) -> None:
        super().__init__(stream)
        self._nesting = 0
        self._alias_nodes = 0
        self._alias_chars = 0
        self._size: dict[int, tuple[int, int, int]] = {}  # id(node) -> (nodes, depth, chars), expanded

    def compose_node(self, parent, index):
        if self.check_event(AliasEvent):
            event = self.peek_event()
            node = self.anchors.get(event.anchor)
            if node is not None:
                self._count_alias(node, event.start_mark)
            return super().compose_node(parent, index)
        self._nesting += 1
        if self._nesting > self.max_depth:
            raise YAMLLimitError(f"YAML nested more than {self.max_depth} levels deep",
                                 self.peek_event().start_mark,
                                 f"flatten the structure; at most {self.max_depth} levels are read")
        try:
            node = super().compose_node(parent, index)
        finally:
            self._nesting -= 1
        self._measure(node)
        return node

    def _count_alias(self, node: Node, mark) -> None:
        size = self._size.get(id(node))
        if size is None:
            raise YAMLLimitError("a YAML alias refers to the collection that holds it (a recursive "
                                 "structure)", mark, "write the value out instead of the alias")
        self._alias_nodes += size[0]
        self._alias_chars += size[2]
        if self._alias_nodes > self.max_alias_nodes or self._alias_chars > self.max_alias_chars:
            what = (f"{self.max_alias_nodes} nodes" if self._alias_nodes > self.max_alias_nodes
                    else f"{self.max_alias_chars} characters")
            raise YAMLLimitError(f'YAML aliases would expand to more than {what} (a "billion laughs" '
                                 "alias bomb?)", mark,
                                 f"write the values out instead of repeating aliases; at most {what} "
                                 "may come from aliases")

    def _measure(self, node: Node) -> None:
        """Record the node's size as if every alias in it were written out (children are measured)."""
        if isinstance(node, ScalarNode):
            size = (1, 0, len(node.value))
        else:
            if isinstance(node, MappingNode):
                children = [child for pair in node.value for child in pair]
            elif isinstance(node, SequenceNode):
                children = list(node.value)
            else:  # pragma: no cover - the composer makes only these three
                children = []
            nodes, depth, chars = 1, 0, 0
            for child in children:
                n, d, c = self._size.get(id(child), (1, 0, 0))
                nodes, depth, chars = nodes + n, max(depth, d), chars + c
            size = (nodes, depth + 1, chars)
            if size[1] > self.max_depth:
                raise YAMLLimitError(f"YAML nested more than {self.max_depth} levels deep "
                                     "(with what its aliases bring in)", node.start_mark,
                                     f"flatten the structure; at most {self.max_depth} levels are read")
        self._size[id(node)] = size

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep=deep)
        except yaml.YAMLError:
            raise
        except Exception as err:
            # '2024-02-30' (ValueError), '!!int 9999...' past Python's digit limit, '!!float x',
            # '!!timestamp x' (AttributeError inside PyYAML), '!!binary' of bad base64...
            raise YAMLLimitError(f"YAML value {_short(node)} cannot be read ({type(err).__name__}: "
                                 f"{' '.join(str(err).split())[:200]})", node.start_mark,
                                 "correct the value, or put it in quotes to keep it as text") from None


def _short(node: Node) -> str:
    if isinstance(node, ScalarNode):
        value = node.value
        return repr(value if len(value) <= 40 else value[:37] + "...")
    return "here"


Loader = TypeVar("Loader", bound=LimitedLoader)


def load_yaml_with(loader_class: type[Loader], text: str, path, *, first_line: int = 1,
                   what: str = "not valid YAML") -> tuple[Any, Loader]:
    """``(data, the disposed loader)`` from ``text`` read from ``path``, within the limits.

    ``first_line`` is the file's line number of the text's first line (front
    matter starts on line 2).  Raises :class:`SourceReadError` at the place of
    the problem, saying which limit was reached.
    """
    if len(text) > MAX_CHARS:
        line = text.count("\n", 0, MAX_CHARS) + first_line
        raise SourceReadError(path, f"the YAML is longer than {MAX_CHARS} characters", place=f"line {line}",
                              fix=f"split the file; at most {MAX_CHARS} characters of YAML are read")
    loader = None
    try:
        loader = loader_class(text)  # the reader refuses non-printable characters right away
        return loader.get_single_data(), loader
    except yaml.reader.ReaderError as err:
        line = text.count("\n", 0, err.position) + first_line
        char = err.character if isinstance(err.character, int) else ord(str(err.character)[:1] or "\0")
        raise SourceReadError(path, f"{what}: control character U+{char:04X} is not allowed in YAML",
                              place=f"line {line}", fix="remove the control character there") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
        place = f"line {mark.line + first_line}, column {mark.column + 1}" if mark else None
        if isinstance(err, YAMLLimitError):
            raise SourceReadError(path, str(err.problem), place=place, fix=err.fix) from None
        problem = getattr(err, "problem", None) or str(err)
        raise SourceReadError(path, f"{what}: {problem}", place=place,
                              fix="check the indentation and quoting there") from None
    except RecursionError:  # a deep stack below us; the depth limit keeps YAML itself shallow
        raise SourceReadError(path, f"{what}: nested too deeply", place=None,
                              fix=f"flatten the structure; at most {MAX_DEPTH} levels are read") from None
    finally:
        if loader is not None:
            loader.dispose()


def load_yaml(text: str, path, *, first_line: int = 1, what: str = "not valid YAML") -> Any:
    """The data of one YAML document, loaded safely and within the limits (see the module)."""
    return load_yaml_with(LimitedLoader, text, path, first_line=first_line, what=what)[0]


def read_yaml_text(path, *, what: str = "file") -> str:
    """The UTF-8 text of a YAML file, refusing one over the size limit before reading it."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > 4 * MAX_CHARS:  # 4 bytes per character at most in UTF-8
            raise SourceReadError(path, f"the {what} is {size} bytes, over the limit for YAML",
                                  place="line 1", fix=f"split it; at most {MAX_CHARS} characters are read")
        return path.read_text(encoding="utf-8")
    except OSError as err:
        raise SourceReadError(path, f"cannot read the {what} ({err.strerror or err})",
                              fix="check the path and the file's permissions") from None
    except UnicodeDecodeError as err:
        raise SourceReadError(path, f"the {what} is not valid UTF-8", place=f"byte {err.start}",
                              fix="save it as UTF-8") from None
