"""Parse the article formats Crosscheck reads: text, Markdown with front matter, JSON, JSONL."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping
from email.utils import parsedate_to_datetime
from typing import Any

import yaml

from tui.core.clean import clean, derive_title
from tui.core.mdtext import unwrap_paragraphs
from tui.core.model import Article, Problem
from tui.core.sanitize import clean_text, one_line

_FAST_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Flow brackets and block indicators ("- ", "? ") that nest YAML without indentation.
_NESTING_MARK_RE = re.compile(r"[\[{]|[-?](?=[ \t\n]|\Z)")
MAX_FAST_MARKS = 256
"""Front matter with more nesting marks than this is read by the pure-Python loader."""
MAX_INT_BITS = 4000
"""Integers larger than this cannot be turned into decimal text (Python refuses)."""
KNOWN_KEYS = ("title", "source", "date", "url", "author", "language", "tags")
BODY_KEYS = ("body", "text", "content", "article", "description")
MAX_FRONT_MATTER = 64 * 1024
MAX_NESTING = 20
MAX_NODES = 100_000
_FRONT_MATTER_RE = re.compile(
    r"\A(?:\ufeff)?---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S
)
_DATE_FORMATS = ("%d %B %Y", "%B %d, %Y", "%B %d %Y", "%d %b %Y", "%b %d, %Y", "%b %d %Y",
                 "%Y/%m/%d", "%d/%m/%Y", "%d.%m.%Y")

Parsed = tuple[list[Article], list[Problem]]


class MetadataError(ValueError):
    """Metadata that cannot be used (reason in the message)."""


def parse_text(relpath: str, base_id: str, text: str) -> Parsed:
    """A plain-text file: one article, metadata only from scraper markers."""
    return [build_article(relpath, base_id, text, {}, [])], []


def parse_markdown(relpath: str, base_id: str, text: str) -> Parsed:
    """A Markdown file with optional YAML front matter between ``---`` lines."""
    text = text.replace("\r\n", "\n")  # files saved on Windows: find their front matter too
    match = _FRONT_MATTER_RE.match(text)
    if not match:
        if text.lstrip("\ufeff").startswith("---\n"):
            msg = "front matter is not closed by a '---' line: loaded as text without metadata"
            problem = Problem(relpath, msg, "warning")
            return [build_article(relpath, base_id, text, {}, [], markdown=True)], [problem]
        return [build_article(relpath, base_id, text, {}, [], markdown=True)], []
    body = text[match.end() :]
    meta, problems = _front_matter(relpath, match.group(1) or "")
    return [build_article(relpath, base_id, body, meta, problems, markdown=True)], problems


def _front_matter(relpath: str, source: str) -> tuple[dict[str, Any], list[Problem]]:
    """Load front matter safely; on any failure the article keeps no metadata."""
    note = "loaded as text without metadata"
    if len(source) > MAX_FRONT_MATTER:
        return {}, [Problem(relpath, f"front matter over {MAX_FRONT_MATTER // 1024} KB: {note}",
                            "warning")]
    # YAML refuses control characters outright; dropping them keeps the rest of the metadata.
    source = clean_text(source)
    try:
        data = yaml.load(source, Loader=safe_loader(source))
    except yaml.constructor.ConstructorError as exc:
        problem = str(getattr(exc, "problem", "") or "")
        # "could not determine a constructor for the tag 'tag:yaml.org,2002:python/object'"
        named = re.search(r"'([^']+)'", problem)
        tag = named.group(1).replace("tag:yaml.org,2002:", "!!") if named else "unknown tag"
        where = _yaml_position(exc, offset=1)
        msg = f"front matter{where} uses a refused YAML tag ({one_line(tag, 80)}): {note}"
        return {}, [Problem(relpath, msg, "warning")]
    except yaml.YAMLError as exc:
        where = _yaml_position(exc, offset=1)
        reason = one_line(str(getattr(exc, "problem", None) or exc), 100)
        return {}, [Problem(relpath, f"malformed front matter{where}: {reason}; {note}", "warning")]
    except RecursionError:
        return {}, [Problem(relpath, f"front matter nested too deeply: {note}", "warning")]
    except (ValueError, TypeError, OverflowError) as exc:
        # A value YAML recognises but Python cannot build: "date: 2024-13-45", "!!int 0x".
        reason = one_line(f"{exc.__class__.__name__}: {exc}", 100)
        return {}, [Problem(relpath, f"malformed front matter value ({reason}): {note}",
                            "warning")]
    if data is None:
        return {}, []
    if not isinstance(data, dict):
        kind = type(data).__name__
        return {}, [Problem(relpath, f"front matter is a {kind}, not a mapping: {note}", "warning")]
    too_big = _too_big(data)
    if too_big:
        return {}, [Problem(relpath, f"front matter {too_big}: {note}", "warning")]
    return data, []


def safe_loader(source: str) -> type[yaml.SafeLoader]:
    """The YAML loader for ``source``: always a safe one (no tag runs code).

    The C loader is 10x faster, but libyaml composes nested nodes by recursing on the C
    stack: a 60 KB run of ``[`` or ``- `` crashes the whole process (a segfault, even
    sooner in a thread). Text that could nest that deep goes to the pure-Python loader,
    which stops at Python's recursion limit with an error instead.
    """
    marks = 0
    for _ in _NESTING_MARK_RE.finditer(source):
        marks += 1
        if marks > MAX_FAST_MARKS:
            return yaml.SafeLoader
    return _FAST_LOADER


def _yaml_position(exc: yaml.YAMLError, offset: int) -> str:
    """`` at line L, column C`` for a YAML error (lines counted in the whole file)."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is None:
        return ""
    return f" at line {mark.line + 1 + offset}, column {mark.column + 1}"


def _too_big(value: Any) -> str:
    """Why a JSON/YAML value is refused ("" when it is fine): too deep or too many values.

    The walk is bounded, so YAML aliases repeated into a "billion laughs" structure are
    refused after :data:`MAX_NODES` steps instead of being expanded.
    """
    stack: list[tuple[Any, int]] = [(value, 0)]
    nodes = 0
    while stack:
        item, level = stack.pop()
        nodes += 1
        if nodes > MAX_NODES:
            return f"over {MAX_NODES} values"
        if level > MAX_NESTING:
            return "nested too deeply"
        if isinstance(item, dict):
            stack.extend((v, level + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, level + 1) for v in item)
    return ""


def parse_json(relpath: str, base_id: str, text: str) -> Parsed:
    """A JSON file: one article object, or a list of them."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        msg = f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}: skipped"
        return [], [Problem(relpath, msg)]
    except RecursionError:
        return [], [Problem(relpath, "JSON nested too deeply: skipped")]
    except ValueError as exc:  # a number too long to convert (over 4300 digits)
        return [], [Problem(relpath, f"invalid JSON ({one_line(str(exc), 80)}): skipped")]
    if isinstance(data, dict) and isinstance(data.get("articles"), list):
        data = data["articles"]
    if isinstance(data, dict):
        article, problems = _from_object(relpath, base_id, data, None)
        return ([article] if article else []), problems
    if not isinstance(data, list):
        return [], [Problem(relpath, "JSON is neither an article object nor a list: skipped")]
    if not data:
        return [], [Problem(relpath, "no articles in file: skipped")]
    return _from_items(relpath, base_id, enumerate(data, start=1), "item")


def parse_jsonl(relpath: str, base_id: str, text: str) -> Parsed:
    """A JSON Lines file: one article object per line; bad lines are skipped and reported."""
    items: list[tuple[int, Any]] = []
    problems: list[Problem] = []
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            items.append((lineno, json.loads(line)))
        except (ValueError, RecursionError) as exc:
            reason = exc.msg if isinstance(exc, json.JSONDecodeError) else (
                "nested too deeply" if isinstance(exc, RecursionError) else
                one_line(str(exc), 80))
            problems.append(Problem(relpath, f"line {lineno}: invalid JSON ({reason}): skipped"))
    articles, more = _from_items(relpath, base_id, items, "line")
    if not articles and not more and not problems:
        more = [Problem(relpath, "no articles in file: skipped")]
    return articles, problems + more


def _from_items(relpath: str, base_id: str, items: Any, label: str) -> Parsed:
    """Articles from numbered JSON values; ids are ``<relpath>#<n>`` or the item's own."""
    articles: list[Article] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for number, item in items:
        if not isinstance(item, dict):
            problems.append(Problem(relpath, f"{label} {number}: not an article object: skipped"))
            continue
        article, more = _from_object(relpath, f"{base_id}#{number}", item, f"{label} {number}")
        problems.extend(more)
        if article is None:
            continue
        if article.id in seen:
            problems.append(Problem(relpath, f"{label} {number}: duplicate id {article.id!r}",
                                    "warning"))
            article.id = f"{base_id}#{number}"
        seen.add(article.id)
        articles.append(article)
    return articles, problems


def _from_object(
    relpath: str, default_id: str, item: Mapping[str, Any], where: str | None
) -> tuple[Article | None, list[Problem]]:
    """One article from a JSON object, which must have a text field."""
    prefix = f"{where}: " if where else ""
    too_big = _too_big(item)
    if too_big:
        return None, [Problem(relpath, f"{prefix}{too_big}: skipped")]
    body = next((item[k] for k in BODY_KEYS if isinstance(item.get(k), str) and item[k]), None)
    if body is None:
        keys = "/".join(BODY_KEYS[:3])
        return None, [Problem(relpath, f"{prefix}no text ({keys} field): skipped")]
    meta = {k: v for k, v in item.items() if k not in BODY_KEYS}
    own_id = meta.pop("id", None)
    problems: list[Problem] = []
    article = build_article(relpath, default_id, body, meta, problems, where)
    if isinstance(own_id, str | int) and _string(own_id).strip() and where is not None:
        article.id = one_line(_string(own_id), 200)
    return article, problems


def build_article(
    relpath: str,
    article_id: str,
    raw: str,
    meta: Mapping[str, Any],
    problems: list[Problem],
    where: str | None = None,
    markdown: bool = False,
) -> Article:
    """Clean ``raw`` text and combine it with metadata into an :class:`Article`.

    ``markdown``: the body's paragraphs are Markdown, wrapped lines joined back up.
    """
    cleaned = clean(clean_text(raw))
    if markdown:
        cleaned.body = unwrap_paragraphs(cleaned.body)
    title = _string(meta.get("title"))
    date = _date_field(relpath, meta.get("date"), problems, where)
    tags = meta.get("tags")
    return Article(
        id=article_id,
        path=relpath,
        title=one_line(title, 300) if title else derive_title(cleaned.body),
        body=cleaned.body,
        original=raw,
        source=one_line(_string(meta.get("source")), 120),
        date=date or cleaned.date,
        url=one_line(_string(meta.get("url")), 2000),
        author=one_line(_author(meta.get("author")), 200),
        language=one_line(_string(meta.get("language")), 20),
        tags=[one_line(_string(t), 60) for t in tags] if isinstance(tags, list) else
        ([one_line(tags, 60)] if isinstance(tags, str) else []),
        extra={_key(k): _jsonable(v) for k, v in meta.items() if k not in KNOWN_KEYS},
        artefacts=cleaned.artefacts,
        content_hash=hashlib.blake2b(cleaned.body.encode(), digest_size=12).hexdigest(),
    )


def _string(value: Any) -> str:
    """A metadata value as a string ('' for missing or structured values)."""
    if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
        return "(number too large)"
    return str(value) if isinstance(value, str | int | float) else ""


def _key(key: Any) -> str:
    """A metadata key as clean text (YAML keys may be numbers, dates, ``null``...)."""
    return clean_text(_string(key) or str(key))


def _author(value: Any) -> str:
    """Authors may be given as a list."""
    if isinstance(value, list):
        return ", ".join(_string(v) for v in value if isinstance(v, str | int))
    return _string(value)


def _jsonable(value: Any) -> Any:
    """Extra metadata as JSON-safe, terminal-safe values (YAML dates become ISO strings)."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {_key(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
        return _string(value)
    if value is None or isinstance(value, int | float | bool):
        return value
    return clean_text(str(value))


def _date_field(relpath: str, value: Any, problems: list[Problem], where: str | None) -> str | None:
    """Normalise a metadata date to ``YYYY-MM-DD``; report values that cannot be read."""
    if value is None or value == "":
        return None
    parsed = parse_date(value)
    if parsed is None:
        prefix = f"{where}: " if where else ""
        shown = one_line(_string(value) or type(value).__name__, 40)
        problems.append(Problem(relpath, f"{prefix}date {shown!r} not understood: undated",
                                "warning"))
    return parsed


def parse_date(value: Any) -> str | None:
    """Parse the date formats found in news metadata into ``YYYY-MM-DD``."""
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y-%m-%d")
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).strftime("%Y-%m-%d")
    except ValueError:
        pass
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).strftime("%Y-%m-%d")
        except ValueError:
            continue
    try:
        return parsedate_to_datetime(text).strftime("%Y-%m-%d")
    except (TypeError, ValueError, IndexError):
        return None
