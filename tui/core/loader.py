"""Find article files in a library folder and read them, whatever state they are in.

Every failure becomes a :class:`Problem` naming the file and the reason; nothing a bad
file does stops the rest of the library from loading.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import operator
import os
import stat
from collections import deque
from collections.abc import Generator, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from tui.core.formats import Parsed, parse_json, parse_jsonl, parse_markdown, parse_text
from tui.core.model import DEFAULT_MAX_BYTES, Article, Problem
from tui.core.text import MAX_ANALYSED

TEXT_SUFFIXES = {".txt": "text", ".md": "markdown", ".markdown": "markdown"}
DATA_SUFFIXES = {".json": "json", ".jsonl": "jsonl"}
SUFFIXES = {**TEXT_SUFFIXES, **DATA_SUFFIXES}
_NAME = operator.attrgetter("name")
# Legacy encodings tried, in order, when a file is not UTF-8. cp1252 fails on a few
# undefined bytes; latin-1 never fails, so it is the last resort.
LEGACY_ENCODINGS = ("cp1252", "latin-1")
# Bytes that occur in text; deleting them from a sample leaves only control codes.
_TEXT_BYTES = bytes([9, 10, 12, 13, 27, *range(32, 256)])


@dataclass(frozen=True, slots=True)
class FileEntry:
    """An article file found in the library."""

    relpath: str
    path: Path | str
    """Where the file is (a plain string from :func:`scan`: no Path per file at 100k)."""
    size: int
    mtime_ns: int


@dataclass(slots=True)
class LoadResult:
    """The articles read from one file and the problems met on the way."""

    articles: list[Article] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    content_hash: str = ""


def scan(root: Path) -> Iterator[FileEntry]:
    """Yield the article files under ``root``, recursively, in a stable order.

    Hidden files and folders are skipped; symlinked folders are followed once, so a
    symlink loop cannot hang the scan.
    """
    stats, paths = scan_stats(root)
    for (relpath, size, mtime_ns), path in zip(stats, paths, strict=True):
        yield FileEntry(relpath, path, size, mtime_ns)


def scan_stats(root: Path) -> tuple[list[tuple[str, int, int]], list[str]]:
    """:func:`scan` as two lists: ``(relpath, size, mtime_ns)`` of every article file (the
    shape of the index's rows, so unchanged files are found by set lookups alone) and,
    at the same positions, where each file is. Every start does this for every file."""
    seen: set[tuple[int, int]] = set()
    stats: list[tuple[str, int, int]] = []
    paths: list[str] = []
    folders = [(os.fspath(root), "")]
    while folders:
        subs = _scan_folder(*folders.pop(), seen, stats, paths)
        folders.extend(reversed(subs))
    return stats, paths


def _scan_folder(folder: str, prefix: str, seen: set[tuple[int, int]],
                 stats: list[tuple[str, int, int]], paths: list[str]) -> list[tuple[str, str]]:
    """Add the article files of ``folder`` (``prefix``: its path from the root, with a
    slash) to ``stats`` and ``paths``, sorted by name; return its sub-folders (path,
    prefix), in order. A file that cannot be stat'ed gets size and time -1."""
    try:
        info = os.stat(folder)
        if (info.st_dev, info.st_ino) in seen:
            return []
        seen.add((info.st_dev, info.st_ino))
        with os.scandir(folder) as listing:
            items = sorted(listing, key=_NAME)
    except OSError:
        return []
    folders: list[tuple[str, str]] = []
    add_stat, add_path = stats.append, paths.append
    # One loop, no call per file.
    for item in items:
        name = item.name
        if name[0] == ".":
            continue
        try:
            is_dir = item.is_dir()  # follows symlinks, like the file stat below
        except OSError:
            is_dir = False
        if is_dir:
            folders.append((item.path, f"{prefix}{name}/"))
            continue
        dot = name.rfind(".")
        if dot <= 0 or name[dot:].lower() not in SUFFIXES:
            continue
        relpath = prefix + name
        if not relpath.isascii():
            relpath = _text_path(relpath)
        try:
            info = item.stat()
        except OSError:
            add_stat((relpath, -1, -1))
            add_path(item.path)
            continue
        if stat.S_ISREG(info.st_mode):
            add_stat((relpath, info.st_size, info.st_mtime_ns))
            add_path(item.path)
    return folders


PARALLEL_LOAD = 2000
"""Files read by two worker processes (while this one writes the index) above this many."""


def _load_many(entries: list[FileEntry], max_bytes: int) -> list[LoadResult]:
    """Read a batch of files (top-level, so a process pool can run it)."""
    return [load_file(entry, max_bytes) for entry in entries]


def load_batches(batches: Sequence[list[FileEntry]], max_bytes: int = DEFAULT_MAX_BYTES
                 ) -> Generator[list[LoadResult], None, None]:
    """Read batches of files, yielding each batch's results in order.

    Many files (a first index) are read, decoded and cleaned by two worker processes a
    few batches ahead, so the caller writes one batch while the next ones are read.
    """
    if sum(len(b) for b in batches) <= PARALLEL_LOAD or (os.cpu_count() or 1) < 2:
        for batch in batches:
            yield _load_many(batch, max_bytes)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=2, mp_context=context) as pool:
        ahead = 4
        pending = deque(pool.submit(_load_many, b, max_bytes) for b in batches[:ahead])
        for batch in batches[ahead:]:
            done = pending.popleft().result()
            pending.append(pool.submit(_load_many, batch, max_bytes))
            yield done
        while pending:
            yield pending.popleft().result()


def _text_path(relpath: str) -> str:
    """A relative path as valid Unicode text.

    A file name that is not UTF-8 reaches Python with surrogate escapes, which SQLite and
    every output refuse; its undecodable bytes are shown as U+FFFD instead.
    """
    try:
        relpath.encode("utf-8")
    except UnicodeEncodeError:
        return relpath.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return relpath


def article_id(relpath: str) -> str:
    """The stable id of a file's article: its relative path without the extension."""
    stem, dot, suffix = relpath.rpartition(".")
    return stem if dot and "/" not in suffix else relpath


def read_bytes(entry: FileEntry, max_bytes: int) -> tuple[bytes | None, list[Problem]]:
    """Read a file, at most ``max_bytes`` of it; ``None`` when it cannot be read at all."""
    try:
        with open(entry.path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        return None, [Problem(entry.relpath, f"cannot be read: {reason}")]
    problems: list[Problem] = []
    if len(data) > max_bytes:
        data = _trim_partial_utf8(data[:max_bytes])
        over = f"{_mb(entry.size)} is over the {_mb(max_bytes)} cap"
        suffix = Path(entry.path).suffix.lower()
        if suffix in DATA_SUFFIXES and suffix != ".jsonl":
            return None, [Problem(entry.relpath, f"{over}: skipped")]
        problems.append(Problem(entry.relpath, f"{over}: only the first part was read",
                                "warning"))
    return data, problems


def _mb(size: int) -> str:
    """A size in the unit of the ``max_file_mb`` setting (MiB), e.g. ``"8 MB"``, ``"0.5 MB"``."""
    mb = size / 1048576
    return f"{mb:.0f} MB" if mb >= 10 else f"{mb:.2g} MB"


def _trim_partial_utf8(data: bytes) -> bytes:
    """Drop a UTF-8 character cut in two by the size cap.

    Without this a UTF-8 file read in part would fail to decode at its last byte and be
    read, wrongly, as a legacy encoding.
    """
    for back in range(1, min(4, len(data)) + 1):
        byte = data[-back]
        if byte & 0xC0 != 0x80:  # not a continuation byte: the start of the last character
            needed = 2 if byte >> 5 == 0b110 else 3 if byte >> 4 == 0b1110 else (
                4 if byte >> 3 == 0b11110 else 1)
            return data[:-back] if needed > back else data
    return data


def decode(relpath: str, data: bytes) -> tuple[str | None, list[Problem]]:
    """Decode file bytes as text, detecting binary files and legacy encodings."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError:
            return None, [Problem(relpath, "invalid UTF-16 text: skipped")]
    head = data[:8192]
    if b"\x00" in head or _looks_binary(head):
        return None, [Problem(relpath, "binary file, not text: skipped")]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    for encoding in LEGACY_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        msg = f"not UTF-8 (first bad byte at offset {first_bad}): read as {encoding}"
        return text, [Problem(relpath, msg, "warning")]
    return None, [Problem(relpath, "not text in any known encoding: skipped")]


def _looks_binary(head: bytes) -> bool:
    """True when many bytes are control codes no text file uses."""
    if not head:
        return False
    controls = len(head.translate(None, _TEXT_BYTES))
    return controls / len(head) > 0.1


def load_file(entry: FileEntry, max_bytes: int = DEFAULT_MAX_BYTES) -> LoadResult:
    """Read one article file into articles, collecting every problem met."""
    data, problems = read_bytes(entry, max_bytes)
    if data is None:
        return LoadResult(problems=problems)
    result = load_bytes(entry.relpath, data)
    result.problems[:0] = problems
    return result


def load_bytes(relpath: str, data: bytes) -> LoadResult:
    """Articles from the bytes of a file named ``relpath`` (its suffix gives the format).

    Never raises for any content: what cannot be read becomes a :class:`Problem`.
    """
    result = LoadResult(content_hash=hashlib.blake2b(data, digest_size=16).hexdigest())
    text, problems = decode(relpath, data)
    result.problems.extend(problems)
    if text is None:
        return result
    if not text.strip():
        result.problems.append(Problem(relpath, "empty file: skipped"))
        return result
    try:
        articles, problems = _parse(relpath, text)
    except (RecursionError, MemoryError, ValueError, TypeError) as exc:
        # The parsers report every failure they know of; this keeps one file that finds a
        # new way to fail from stopping the rest of the library.
        reason = f"{exc.__class__.__name__}: {exc}"[:120]
        result.problems.append(Problem(relpath, f"cannot be parsed ({reason}): skipped"))
        return result
    result.articles.extend(articles)
    result.problems.extend(problems)
    result.problems.extend(analysis_caps(relpath, articles))
    return result


def analysis_caps(relpath: str, articles: list[Article]) -> list[Problem]:
    """A warning for each article longer than the analyses read (:data:`MAX_ANALYSED`)."""
    out: list[Problem] = []
    for article in articles:
        if len(article.body) > MAX_ANALYSED:
            which = f"article {article.id!r}: " if article.id != article_id(relpath) else ""
            out.append(Problem(relpath, f"{which}only the first {MAX_ANALYSED:,} of"
                               f" {len(article.body):,} characters were analysed for names,"
                               " figures and copies", "warning"))
    return out


def _parse(relpath: str, text: str) -> Parsed:
    """Parse decoded text in the format its suffix names."""
    kind = SUFFIXES.get(PurePosixPath(relpath).suffix.lower(), "text")
    base_id = article_id(relpath)
    if kind == "markdown":
        return parse_markdown(relpath, base_id, text)
    if kind == "json":
        return parse_json(relpath, base_id, text)
    if kind == "jsonl":
        return parse_jsonl(relpath, base_id, text)
    return parse_text(relpath, base_id, text)
