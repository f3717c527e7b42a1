"""A story overview or a comparison written out for a fact-check: Markdown and JSON.

Article text is hostile: every string is cleaned (:mod:`tui.core.sanitize`) so no control
character or escape sequence reaches a file, and Markdown text is escaped so a title such
as ``[x](javascript:…)`` or ``| a | b |`` stays literal. No Textual here.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from platformdirs import user_documents_dir

from tui.core.align import Row
from tui.core.compare_pair import Comparison, relation_label
from tui.core.model import Article
from tui.core.overview import Overview
from tui.core.sanitize import clean_text, one_line

ENV_EXPORT = "CROSSCHECK_EXPORT_DIR"
EXPORT_FOLDER = "crosscheck-exports"
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_UNSAFE_JSON = re.compile("[\x7f-\x9f\u2028\u2029]")
_STEM_UNSAFE = re.compile(r"[^\w.-]+")
_SPACE = re.compile(r"\s+")


# -- plain helpers -------------------------------------------------------------------------


def md(text: str | None, limit: int = 0) -> str:
    """One line of untrusted text, cleaned and Markdown-escaped (safe in a table cell)."""
    flat = one_line(text or "", limit)
    return _MD_SPECIAL.sub(r"\\\1", flat).replace("\n", " ")


def _code(text: str) -> str:
    """An id as inline code (escaped text when it holds a backtick)."""
    flat = one_line(text)
    return md(flat) if "`" in flat or not flat else f"`{flat}`"


def _table(head: list[str], rows: list[list[str]], align: str = "") -> list[str]:
    """A Markdown table; ``align`` holds one of ``l``/``r`` per column (default left)."""
    marks = ["---:" if (align[k:k + 1] == "r") else "---" for k in range(len(head))]
    out = ["| " + " | ".join(head) + " |", "| " + " | ".join(marks) + " |"]
    out.extend("| " + " | ".join(cell or " " for cell in row) + " |" for row in rows)
    return out


def clean_data(data: Any) -> Any:
    """``data`` with every string cleaned of control characters (keys included)."""
    if isinstance(data, str):
        return clean_text(data)
    if isinstance(data, dict):
        return {clean_text(str(k)): clean_data(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [clean_data(v) for v in data]
    return data


def json_text(data: Any) -> str:
    """Cleaned ``data`` as indented JSON text, nothing in it a terminal could act on."""
    text = json.dumps(clean_data(data), ensure_ascii=False, indent=2)
    return _UNSAFE_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


# -- story overview ------------------------------------------------------------------------


def overview_json(ov: Overview) -> str:
    """The overview as JSON text (the shape of ``crosscheck story --json``)."""
    return json_text(ov.to_json())


def overview_markdown(ov: Overview) -> str:
    """A fact-check write-up of a story: timeline, figure table, entity matrix."""
    lines = [f"# {md(ov.label) or 'Untitled story'}", "",
             f"{md(ov.summary())} · story {_code(ov.story_id)}", "", "## Timeline", ""]
    lines += _table(["#", "Date", "Source", "Title", "Relation", "Words", "Id"], [
        [str(r.n), md(r.date or "undated"), md(r.source) or "—", md(r.title),
         md(ov.relation_of(r)), str(r.words), _code(r.id)]
        for r in ov.reports], "r" + "l" * 4 + "rl")
    lines += ["", "## Figures", ""]
    lines += _figure_lines(ov)
    lines += ["", "## Entities", ""]
    lines += _entity_lines(ov)
    return "\n".join(lines) + "\n"


def _figure_lines(ov: Overview) -> list[str]:
    if not ov.figures:
        return ["No report states a figure about a measure (killed, wounded, population …)."]
    lines = ["Statements that conflict are in **bold** and the row is marked ⚠; "
             "an empty cell: the report does not state it.", ""]
    head = ["Measure · subject", *[f"#{r.n}" for r in ov.reports]]
    rows = []
    for f in ov.figures:
        mark = {"conflict": "⚠ ", "agree": "✓ "}.get(f.status, "")
        cells = [_figure_cell(f.cells.get(r.id, [])) for r in ov.reports]
        rows.append([mark + md(f.label), *cells])
    return lines + _table(head, rows)


def _figure_cell(cells: list[Any]) -> str:
    texts = []
    for c in cells:
        text = md(c.text) + (f" ({md(c.when)})" if c.when else "")
        texts.append(f"**{text}**" if c.conflict else text)
    return "; ".join(dict.fromkeys(texts))


def _entity_lines(ov: Overview) -> list[str]:
    if not ov.entities:
        return ["No person, place or organisation recognised."]
    lines = ["Mentions per report; † marks a name found in only one report.", ""]
    head = ["Name", "Kind", *[f"#{r.n}" for r in ov.reports]]
    rows = [[md(e.name) + (" †" if ov.only_one(e) else ""), md(e.kind),
             *[str(e.counts[r.id]) if r.id in e.counts else "" for r in ov.reports]]
            for e in ov.entities]
    return lines + _table(head, rows, "ll" + "r" * len(ov.reports))


# -- comparison ----------------------------------------------------------------------------


def comparison_data(cmp: Comparison) -> dict[str, Any]:
    """The comparison in the shape ``crosscheck compare --json`` prints."""
    data = cmp.alignment.to_json()
    summary = {**data["summary"], "conflicts": cmp.conflict_count}
    return {"a": cmp.a.id, "b": cmp.b.id, "relation": cmp.relation, "score": cmp.score,
            "summary": summary, "rows": data["rows"], "conflicts": cmp.groups}


def comparison_json(cmp: Comparison) -> str:
    """The comparison as JSON text."""
    return json_text(comparison_data(cmp))


def comparison_summary(cmp: Comparison) -> str:
    """``"copy · 0.88 · 15 of 20 sentences shared, … · 1 conflicting figure"``."""
    n = cmp.conflict_count
    return " · ".join([relation_label(cmp.relation, cmp.score), cmp.alignment.summary(),
                       f"{n} conflicting figure{'' if n == 1 else 's'}"])


def comparison_markdown(cmp: Comparison) -> str:
    """A write-up of two reports compared: who, the summary, conflicts, aligned rows."""
    a, b = cmp.a, cmp.b
    lines = [f"# Comparison: {md(a.title, 80)} · {md(b.title, 80)}", ""]
    lines += _table(["", "A (left)", "B (right)"], [
        ["Title", md(a.title), md(b.title)],
        ["Source", md(a.source) or "—", md(b.source) or "—"],
        ["Date", md(a.date or "undated"), md(b.date or "undated")],
        ["Words", str(a.words), str(b.words)],
        ["Id", _code(a.id), _code(b.id)]])
    lines += ["", f"**{md(comparison_summary(cmp))}**", ""]
    lines += _conflict_lines(cmp)
    lines += ["## Aligned sentences", "",
              "Words that differ are in **bold**; ⚠ marks a row with a conflicting figure.", ""]
    conflicts = set(cmp.conflict_rows())
    rows = [[str(k + 1), _side(row, "a"), _side(row, "b"),
             ("⚠ " if k in conflicts else "") + _row_note(row)]
            for k, row in enumerate(cmp.alignment.rows)]
    lines += _table(["#", "A", "B", "Difference"], rows, "r")
    return "\n".join(lines) + "\n"


def _conflict_lines(cmp: Comparison) -> list[str]:
    if not cmp.groups:
        return []
    lines = ["## Conflicting figures", ""]
    for group in cmp.groups:
        what = " · ".join(x for x in (group.get("measure"), group.get("subject")) if x)
        sides = [f"{label}: {_mentions(group, article)}"
                 for label, article in (("A", cmp.a), ("B", cmp.b))]
        lines.append(f"- {md(what) or 'figure'} — " + " · ".join(sides))
    return lines + [""]


def _mentions(group: dict[str, Any], article: Article) -> str:
    texts = []
    for m in group.get("mentions", []):
        if m.get("article") == article.id:
            text, unit = str(m.get("text", "")), m.get("unit")
            texts.append(md(f"{text} {unit}" if unit and str(unit) not in text else text))
    return ", ".join(dict.fromkeys(texts)) or "—"


def _row_note(row: Row) -> str:
    if row.moved:
        return f"moved (row {row.moved_to + 1})" if row.moved_to is not None else "moved"
    if row.a is None:
        return "only in B"
    if row.b is None:
        return "only in A"
    return "same" if row.identical else "changed"


def _side(row: Row, side: str) -> str:
    """One cell's sentence with its differing words in bold."""
    text = row.a_text if side == "a" else row.b_text
    if not text:
        return ""
    marks = []
    if row.paired:
        for op in row.diff:
            start, end = (op.a_start, op.a_end) if side == "a" else (op.b_start, op.b_end)
            if op.op != "equal" and end > start:
                marks.append((start, end))
    return _bold_ranges(text, sorted(marks))


def _bold_ranges(text: str, marks: list[tuple[int, int]]) -> str:
    """``text`` as escaped Markdown with ``marks`` in bold (whitespace kept outside)."""
    parts: list[str] = []
    pos = 0
    for start, end in marks:
        if start < pos:
            continue
        parts.append(_inline(text[pos:start]))
        piece = _inline(text[start:end])
        core = piece.strip()
        if core:
            lead, trail = piece[: len(piece) - len(piece.lstrip())], piece[len(piece.rstrip()):]
            parts.append(f"{lead}**{core}**{trail}")
        else:
            parts.append(piece)
        pos = end
    parts.append(_inline(text[pos:]))
    return "".join(parts).strip()


def _inline(text: str) -> str:
    """A piece of a sentence: cleaned, spaces collapsed (edges kept), escaped."""
    flat = _SPACE.sub(" ", clean_text(text))
    return _MD_SPECIAL.sub(r"\\\1", flat)


# -- files -----------------------------------------------------------------------------------


def export_dir(configured: str = "") -> Path:
    """Where exports go: ``$CROSSCHECK_EXPORT_DIR``, else ``configured``, else a
    ``crosscheck-exports`` folder in the user's documents folder.

    Never the library: an exported ``.md`` there would be read back as an article.
    """
    chosen = os.environ.get(ENV_EXPORT) or configured
    if chosen:
        return Path(chosen).expanduser()
    return Path(user_documents_dir()) / EXPORT_FOLDER


def export_stem(*ids: str) -> str:
    """A file name (without extension) for a story or a pair: ``s-001_a25c…``."""
    joined = "--".join(_STEM_UNSAFE.sub("-", i).strip("-.") for i in ids)
    return joined[:150] or "export"


def write_export(folder: Path, stem: str, markdown: str, json_data: str) -> tuple[Path, Path]:
    """Write ``<stem>.md`` and ``<stem>.json`` into ``folder`` (created); return the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    md_path, json_path = folder / f"{stem}.md", folder / f"{stem}.json"
    md_path.write_text(markdown, encoding="utf-8")
    json_path.write_text(json_data, encoding="utf-8")
    return md_path, json_path
