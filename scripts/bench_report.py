"""Turn the benchmark results into Markdown: every figure next to its target.

Each result file of the work dir (``results-N.json``, ``results-core.json``) becomes one
section: a table of rows (figure, measured, target, met?), the cold index by stage, and
when each part ran under what load. :mod:`bench_summary` adds the misses, the profiles
and the header.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

KEY_MS = 50.0
OPEN_MS = 100.0
SEARCH_MS = 100.0
COLD_PER_S = 100000 / 120


@dataclass
class Row:
    """One figure: what it is, the measurement, the target and whether it is met."""

    figure: str
    measured: str
    target: str = "—"
    met: bool | None = None
    why: str = ""
    """Evidence from the data for the misses section (shown only when the target is missed)."""
    scenario: str | None = None
    """The ``scripts/bench_profile.py`` scenario that profiles this figure, if any."""
    name: str = ""
    """A label that is the same at every size (defaults to ``figure``); rows that share
    one are listed together in the misses section, each by its ``tag``."""
    tag: str = ""

    @property
    def label(self) -> str:
        """The figure's name across sizes."""
        return self.name or self.figure

    @property
    def value(self) -> str:
        """The measurement without its details in parentheses (after its tag, if any)."""
        value = self.measured.split(" (")[0]
        return f"{self.tag} {value}" if self.tag else value


def ms(seconds: float) -> str:
    """``"12.3 ms"``."""
    return f"{seconds * 1000:,.1f} ms"


def timing(t: dict[str, Any]) -> str:
    """Median wall time of ``n`` runs, then the worst run and the CPU time if known."""
    extra = [f"median of {t['n']}"] if t.get("n", 1) > 1 else ["1 run"]
    if t.get("n", 1) > 1:
        extra.append(f"max {ms(t['max'])}")
    if "cpu" in t:
        extra.append(f"CPU {ms(t['cpu'])}")
    return f"{ms(t['median'])} ({'; '.join(extra)})"


def limit(figure: str, t: dict[str, Any], limit_ms: float, scenario: str | None = None,
          why: str = "", name: str = "", tag: str = "") -> Row:
    """A timing row against ``≤ limit_ms``; the CPU share goes into ``why``."""
    cpu = (f"CPU {ms(t['cpu'])} of {ms(t['median'])} wall (off-CPU for the rest: waiting "
           "for a core or for I/O). " if "cpu" in t else "")
    return Row(figure, timing(t), f"≤ {limit_ms:,.0f} ms", t["median"] * 1000 <= limit_ms,
               cpu + why, scenario, name, tag)


def _stages(stages: dict[str, float], total: float, top: int = 3) -> str:
    """The ``top`` stages by time, with their share of ``total``."""
    ranked = sorted(stages.items(), key=lambda kv: -kv[1])[:top]
    return ", ".join(f"{name} {t:.1f} s ({t / total:.0%})" for name, t in ranked)


def cold_rows(cold: dict[str, Any], n: int) -> list[Row]:
    """Cold index: time and speed, memory."""
    spread = _of(cold["runs"])
    projected = "" if n >= 100000 else (
        f" At this rate 100,000 articles would take about {100000 / cold['per_s'] / 60:.0f}"
        " min (linear extrapolation; clustering grows faster than linearly).")
    return [
        Row("Cold index: read + clean, annotate, fingerprint, cluster, names, figures",
            f"{cold['total']:.1f} s = **{cold['per_s']:,.0f} art/s** ({spread})",
            f"≥ {COLD_PER_S:,.0f} art/s (100k ≤ 120 s)", cold["per_s"] >= COLD_PER_S,
            f"Slowest stages: {_stages(cold['stages'], cold['total'])}.{projected}", "cold"),
        Row("Cold index peak RSS: process tree (incl. worker pools); largest process",
            f"{cold['tree_mb']:,.0f} MB; {cold['rss_mb']:,.0f} MB", "≤ 1,536 MB",
            cold["tree_mb"] <= 1536, _peak_stage(cold)),
    ]


def _peak_stage(cold: dict[str, Any]) -> str:
    """Which stage raised the main process's peak RSS the most (from ``stage_rss_mb``)."""
    peaks: dict[str, float] = cold.get("stage_rss_mb", {})
    if not peaks:
        return ""
    before, rises = 0.0, []
    for stage, peak in peaks.items():
        rises.append((peak - before, stage, before, peak))
        before = max(before, peak)
    rise, stage, low, high = max(rises)
    return (f"The {stage} stage raised the main process's peak from {low:,.0f} MB to "
            f"{high:,.0f} MB.")


def _of(runs: list[float], unit: str = "s") -> str:
    """``"median of 3: 1.20, 1.31, 1.52 s"`` or ``"1 run"``."""
    if len(runs) == 1:
        return "1 run"
    if max(runs) < 1:
        return f"median of {len(runs)}: {', '.join(f'{t * 1000:.0f}' for t in runs)} ms"
    return f"median of {len(runs)}: {', '.join(f'{t:.2f}' for t in runs)} {unit}"


def update_rows(update: dict[str, Any], n: int) -> list[Row]:
    """Warm re-open and adding 100 articles."""
    warm, add = update["warm"], update["add100"]
    return [
        Row("Warm re-open: open the index and update it, nothing changed (fresh process, "
            "imports done)", f"{ms(warm['median'])} ({_of(warm['runs'])}; opening the index "
            f"{ms(warm['open'])})", "≤ 1,000 ms", warm["median"] <= 1, "", "warm-reopen"),
        Row(f"Add 100 new articles to the library and update (annotation on; run k adds to "
            f"{n:,} + 100·(k-1))", f"**{add['median']:.2f} s** ({_of(add['runs'])})",
            "≤ 2 s (at 100k)", add["median"] <= 2,
            f"Slowest stages of the median run: {_stages(add['stages'], add['median'])}.",
            "add-100", "Add 100 new articles to the library and update (annotation on)"),
    ]


def _list_rows(lst: dict[str, Any]) -> list[Row]:
    floor = lst["no-op key (harness floor)"]
    why = f"A key bound to nothing costs {ms(floor['median'])} in this harness."
    rows = [limit(f"Key `{key}` in the {mode} list", lst[f"{mode} {key}"], KEY_MS,
                  "list-keys", why, "Keys in the library lists", f"{mode} `{key}`")
            for mode in ("stories", "flat") for key in ("down", "pagedown", "end")]
    rows.append(Row("Preview update after the cursor stops (runs 50 ms after the last key)",
                    timing(lst["preview update"])))
    rows.append(Row("Harness floor: a key bound to nothing (`f12`)", timing(floor)))
    return rows


def _search_rows(app: dict[str, Any]) -> list[Row]:
    core = app["core search"]
    fts_name, fts = max(((k, v) for k, v in core.items() if k.startswith("fts ")),
                        key=lambda kv: kv[1]["median"])
    first = core["fuzzy typo (first, loads titles)"]
    delay = app.get("search_delay", 0.12)
    typed = max(app["app search (fts)"]["median"], app["app search (typo)"]["median"])
    rows = [
        limit(f"Search, full text (core; slowest of 5 queries: {fts_name[4:]})", fts,
              SEARCH_MS, "search"),
        limit("Search, fuzzy title for a typo (core; FTS + RapidFuzz)", core["fuzzy typo"],
              SEARCH_MS, "search"),
        Row("… first fuzzy search of the session (loads the title words)", ms(first),
            f"≤ {SEARCH_MS:.0f} ms", first * 1000 <= SEARCH_MS, "", "search"),
    ]
    if "app search (typing)" not in app:  # results saved before searches were throttled
        return [*rows, Row(
            f"Search typed in the app, last key to results (incl. the {delay * 1000:.0f} ms "
            "search-as-you-type delay)",
            f"{timing(app['app search (fts)'])}; typo {ms(app['app search (typo)']['median'])}",
            f"≤ {delay * 1000 + SEARCH_MS:.0f} ms", typed <= delay + SEARCH_MS / 1000)]
    typing = app["app search (typing)"]
    return [*rows, Row(
        "Search typed in the app after a pause, last key to results shown (the search starts"
        " at once)",
        f"{timing(app['app search (fts)'])}; typo {ms(app['app search (typo)']['median'])}",
        f"≤ {SEARCH_MS:.0f} ms", typed <= SEARCH_MS / 1000), Row(
        f"… typed without a pause (keys 30 ms apart; searches start at most every "
        f"{delay * 1000:.0f} ms; median of 3 queries)", timing(typing),
        f"≤ {delay * 1000 + SEARCH_MS:.0f} ms", typing["median"] <= delay + SEARCH_MS / 1000)]


def _screen_rows(app: dict[str, Any]) -> list[Row]:
    scr, core = app["screens"], app["core open"]
    words = "/".join(f"{w:,}" for w in core["words"])
    annotate = ms(core["annotate_article"]["median"])
    pair = ms(core["compare (align + conflicts)"]["median"])
    rows = [
        limit(f"Open the reader on a {words.split('/')[0]}-word report", scr["reader open"],
              OPEN_MS, "reader-open", f"Its core work, `annotate_article`: {annotate}."),
        limit(f"Open the comparison of two reports ({words} words)", scr["compare open"],
              OPEN_MS, "compare-open",
              f"Its core work, `compare` (align + figure conflicts): {pair}."),
    ]
    rows += [limit(f"Key `{key}` in the comparison", scr[f"compare {key}"], KEY_MS,
                   name="Keys in the comparison", tag=f"`{key}`")
             for key in ("down", "pagedown", "end", "next difference")]
    rows += [Row(f"Key `{key}` in the reader (no target)", timing(scr[f"reader {key}"]))
             for key in ("pagedown", "end")]
    return rows


def app_rows(app: dict[str, Any], _n: int) -> list[Row]:
    """Headless app figures."""
    start = app["warm start"]
    rows = [
        Row("Warm start to first paint, headless (`build_app` → status line with the count; "
            "modules already imported)", timing(start), "≤ 1,000 ms", start["median"] <= 1,
            f"Importing the app beforehand took {ms(app['import'])} more.", "warm-start"),
        Row("… importing the app (once per process; not in the line above)", ms(app["import"])),
        *_list_rows(app["list"]), *_search_rows(app), *_screen_rows(app),
        Row("App peak RSS, headless session: process tree; largest process",
            f"{app['tree_mb']:,.0f} MB; {app['rss_mb']:,.0f} MB", "≤ 600 MB",
            app["tree_mb"] <= 600),
    ]
    return rows


def tmux_rows(tm: dict[str, Any], _n: int, app: dict[str, Any] | None = None) -> list[Row]:
    """Real-terminal figures, Crosscheck against newsboat (``app``: the headless figures
    of the same size, to split the start into its parts)."""
    ours = tm["crosscheck"]
    runs = len(ours["all"])
    split = "" if app is None else (
        f"Headless, the same start costs {ms(app['import'])} of imports + "
        f"{ms(app['warm start']['median'])} from `build_app` to the first paint; the rest is "
        "the interpreter, the CLI and the terminal.")
    rows = [
        Row("Warm start in tmux: `crosscheck PATH` → status line with the count (interpreter, "
            "imports, background re-scan starting)",
            f"**{ms(ours['first paint'])}** (median of {runs})", "≤ 1,000 ms",
            ours["first paint"] <= 1, split, "warm-start"),
        Row("App peak RSS in tmux (VmHWM, background re-scan running)",
            f"{ours['rss_mb']:,.0f} MB", "≤ 600 MB", ours["rss_mb"] <= 600),
    ]
    boat = tm.get("newsboat")
    if boat is None:
        return [*rows, Row("newsboat", "not installed")]
    prep = tm["newsboat prepare"]
    rows += [
        Row("newsboat: start → feed list / → article list (Enter), cache built before",
            f"{ms(boat['feed list'])} / **{ms(boat['article list'])}** "
            f"({boat.get('items shown', '?')} items; median of {len(boat['all'])})"),
        Row("newsboat's time ÷ Crosscheck's (article list vs first paint; same harness, "
            "alternating runs)", f"**{tm['ratio']:.2f}×**", "> 1 (faster than newsboat)",
            tm["ratio"] > 1,
            f"newsboat shows its {boat.get('items shown', '?')} articles "
            f"{ms(boat['article list'])} after start; Crosscheck its first paint after "
            f"{ms(ours['first paint'])}.", "warm-start"),
        Row("newsboat peak RSS / cache build (`-x reload` of the RSS file)",
            f"{boat['rss_mb']:,.0f} MB / {prep['reload_s']:.1f} s ({prep['feed_mb']:.0f} MB "
            "feed)"),
    ]
    return rows


def core_rows(result: dict[str, Any]) -> list[Row]:
    """Library-independent figures: annotate throughput, long alignments."""
    rows: list[Row] = []
    ann = result.get("annotate")
    if ann:
        runs = len(ann["runs"])
        rows.append(Row(
            "`crosscheck annotate --jsonl-in`, end to end: MB of article text per second",
            f"**{ann['mb_per_s']:.2f} MB/s** ({ann['text_mb']:.1f} MiB of text in "
            f"{ann['lines']:,} lines, {ann['file_mb']:.1f} MiB file, in {ann['median']:.1f} s; "
            + (f"median of {runs})" if runs > 1 else "1 run)"),
            "≥ 2 MB/s", ann["mb_per_s"] >= 2,
            f"{ann['spans']:,} spans written; peak RSS {ann['rss_mb']:,.0f} MB (largest "
            "process).", "annotate"))
    for name, t in result.get("align", {}).items():
        if not isinstance(t, dict):
            continue
        words = "/".join(f"{w:,}" for w in t["words"])
        rows.append(Row(f"Align two long reports ({words} words; {name}; {t['rows']} rows)",
                        timing(t), "< 1,000 ms", t["median"] < 1))
    return rows


PARTS: dict[str, Callable[[dict[str, Any], int], list[Row]]] = {
    "cold": cold_rows, "update": update_rows, "app": app_rows, "tmux": tmux_rows}
COMMANDS = {"cold": "cold", "update": "update", "app": "app", "tmux": "tmux",
            "annotate": "core", "align": "core"}


def rows_of(key: str, result: dict[str, Any]) -> list[Row]:
    """Every row of one section's results."""
    if key == "core":
        return core_rows(result)
    rows = [row for part, make in PARTS.items() if part in result and part != "tmux"
            for row in make(result[part], int(key))]
    if "tmux" in result:
        rows += tmux_rows(result["tmux"], int(key), result.get("app"))
    return rows


def table(rows: list[Row]) -> list[str]:
    """The Markdown table of ``rows``."""
    out = ["| figure | measured | target | met? |", "|---|---|---|---|"]
    for row in rows:
        met = "—" if row.met is None else ("yes" if row.met else "**no**")
        out.append(f"| {row.figure} | {row.measured} | {row.target} | {met} |")
    return out


def _code(meta: dict[str, Any]) -> str:
    code = meta.get("code", {})
    changed = code.get("changed", [])
    return f"{code.get('commit', '?')}" + (f" + {len(changed)} changed files" if changed else "")


def part_table(key: str, result: dict[str, Any]) -> list[str]:
    """When each part ran, the load at its start, the code, and the command to redo it."""
    out = ["| part | started | load at start (1/5/15 min) | wall | code | command |",
           "|---|---|---|---|---|---|"]
    size = "" if key == "core" else f"{key} "
    for part, meta in result.get("meta", {}).items():
        load = " / ".join(f"{x:.2f}" for x in meta["load"])
        command = f"`python scripts/bench.py {size}--parts {COMMANDS[part]}`"
        out.append(f"| {part} | {meta['at']} | {load} | {meta['wall']:.0f} s | {_code(meta)} "
                   f"| {command} |")
    return out


def size_section(key: str, result: dict[str, Any]) -> str:
    """The section of one library size (or of the library-independent figures)."""
    metas = list(result.get("meta", {}).values())
    title = ("Library-independent figures" if key == "core"
             else f"{int(key):,} articles (+ the 2,000-word pair)")
    out = [f"## {title}", ""]
    if metas:
        out += [f"Machine: {metas[-1]['machine']}.", ""]
    out += table(rows_of(key, result))
    cold = result.get("cold")
    if cold:
        out += ["", "Cold index by stage (median run):", "", *stage_table(cold)]
    out += ["", "Parts (load = `os.getloadavg()` when the part started):", "",
            *part_table(key, result)]
    return "\n".join(out)


def stage_table(cold: dict[str, Any]) -> list[str]:
    """Seconds per pipeline stage of the (median) cold index."""
    peaks = cold.get("stage_rss_mb", {})
    lines = ["| stage | seconds | share | articles/s | peak RSS after it (main process) |",
             "|---|---|---|---|---|"]
    for stage, t in cold["stages"].items():
        rate = f"{cold['articles'] / t:,.0f}" if t > 0.05 else "—"
        peak = f"{peaks[stage]:,.0f} MB" if stage in peaks else "—"
        lines.append(f"| {stage} | {t:.1f} | {t / cold['total']:.0%} | {rate} | {peak} |")
    lines.append(f"| total | {cold['total']:.1f} | 100% | {cold['per_s']:,.0f} | "
                 f"{cold['rss_mb']:,.0f} MB |")
    lines += ["", f"{cold['articles']:,} articles; stories found: {cold['stories']:,}, of "
              f"which {cold['multi_stories']:,} group several reports ({cold['in_multi']:,} "
              "articles)."]
    return lines


def section_order(key: str) -> tuple[int, int]:
    """Sort key of a section: library-independent first, then by size."""
    return (1, int(key)) if key.isdigit() else (0, 0)


def misses(results: dict[str, dict[str, Any]]) -> list[tuple[str, Row]]:
    """Every row that misses its target, with its section key."""
    return [(key, row) for key in sorted(results, key=section_order)
            for row in rows_of(key, results[key]) if row.met is False]
