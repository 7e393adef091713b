"""Theme-by-informant matrices: thin pivots of the long table.

>>> import somecode, tempfile, os
>>> p = somecode.Project.create(os.path.join(tempfile.mkdtemp(), "p.somecode"))
>>> _ = p.add_source(somecode.Source.from_text("ani", "Ani: Reels. Insight.", kind="interview",
...                  turns=[somecode.Turn(5, 20, "Ani", "ani")]))
>>> for c in ("manage", "manage.media_monitoring", "manage.quick_response", "share"):
...     _ = p.add_code(c, parent=c.split(".")[0] if "." in c else None)
>>> _ = p.code("ani", 5, 11, "manage.media_monitoring", coder="nida")
>>> _ = p.code("ani", 12, 20, "manage.quick_response", coder="nida")
>>> theme_by_informant(p, value="count").to_dict()
{'Ani': {'manage': 2, 'share': 0}}
>>> theme_by_informant(p, value="segments").to_dict()
{'Ani': {'manage': 1, 'share': 0}}
"""

from __future__ import annotations

import pandas as pd

from .frame import codings_frame

__all__ = ["theme_by_informant", "code_paths"]

VALUES = ("count", "segments", "presence")
LEVELS = ("stage", "code")


def code_paths(project) -> dict[str, list[str]]:
    """Each code id -> its path from the root (``['share', 'share.connect']``)."""
    parents = {c.id: c.parent for c in project.codes()}
    paths = {}
    for code_id in parents:
        path, seen = [code_id], {code_id}
        while parents.get(path[0]) and parents[path[0]] not in seen:
            path.insert(0, parents[path[0]])
            seen.add(path[0])
        paths[code_id] = path
    return paths


def theme_by_informant(project, *, level: str = "stage", value: str = "count",
                       coders=None, status: str | None = "accepted") -> pd.DataFrame:
    """Themes (rows, in codebook order) by informants (columns, by name).

    ``level="stage"`` rolls every sub-theme up to its top-level code;
    ``level="code"`` keeps each code.  ``value``: ``count`` = number of
    codings; ``segments`` = number of distinct turns coded with the theme (a
    turn coded with two sub-themes of one stage counts once at stage level);
    ``presence`` = whether any coding exists.  Codings outside informants'
    turns (interviewers, documents) are not counted.
    """
    if level not in LEVELS or value not in VALUES:
        raise ValueError(f"level must be one of {LEVELS} and value one of {VALUES}; "
                         f"got level={level!r}, value={value!r}")
    paths = code_paths(project)
    rows = [c for c, p in paths.items() if len(p) == 1] if level == "stage" else list(paths)
    names = {i.id: i.name for i in project.informants()}
    frame = codings_frame(project, coders=coders, status=status)
    frame = frame[frame["informant"].notna()].copy()
    frame["theme"] = [paths[c][0] if level == "stage" else c for c in frame["code"]]
    if value == "segments":
        frame = frame.drop_duplicates(["theme", "source", "turn"])
    table = pd.crosstab(frame["theme"], frame["informant"]) if len(frame) else pd.DataFrame()
    informants = [i for i in names if i in set(frame["informant"])]
    table = table.reindex(index=rows, columns=informants, fill_value=0)
    table = table.rename(columns=names).rename_axis(index=level, columns="informant")
    return table > 0 if value == "presence" else table.astype("int64")
