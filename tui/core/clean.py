"""Separate scraper artefacts from the prose every analysis reads.

Scraped news carries debris: ad markers (``[ad_1]``), date markers glued to the first
line (`` date 2020-10-04``), "Read more:" links, embed fallbacks ("Your browser doesn’t
support HTML5"), bare ``pic.twitter.com`` links, photo credits and captions. The cleaner
removes them from the body, keeps them in a list, and never edits the original.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tui.core.sanitize import one_line
from tui.core.text import sentence_spans

# Inline markers removed wherever they stand.
_AD_MARKER_RE = re.compile(r"\[\s*ad[_ ]?\d*\s*\]", re.IGNORECASE)
_DATE_MARKER_RE = re.compile(r"^\s*date\s+(\d{4})-(\d{2})-(\d{2})\b[ \t]*", re.IGNORECASE)
# Leading blanks go with the link so "said. pic.twitter.com/x Then" keeps one space.
_PIC_LINK_RE = re.compile(r"[ \t]*(?:https?://)?pic\.twitter\.com/\w+", re.IGNORECASE)
# Whole lines that are artefacts.
_ARTEFACT_LINE_RES = (
    re.compile(r"^(?:read more|also read|read also|see also|related|more|read)\s*:", re.IGNORECASE),
    re.compile(r"^your browser does(?:n[’']t| not) support", re.IGNORECASE),
    re.compile(r"^(?:advertisement|sponsored|share this|click here|subscribe)\b", re.IGNORECASE),
    # Photo credits and captions: "© Name/Agency", "Photo: …", "(AP Photo/…)", "File photo".
    re.compile(r"^(?:©|\(c\)|copyright\b|photo\s*:|image\s*:|file photo\b)", re.IGNORECASE),
    re.compile(r"^\(?(?:AP|AFP|Reuters|Getty|EPA)\s+(?:Photo|Images?)\b", re.IGNORECASE),
)
# One pattern for all of them: a single match per line (this runs on every line indexed).
# The look-ahead holds the first character of every pattern above: most lines fail on it at
# once instead of trying each alternative (a file of a million short lines reads 2x faster).
_ARTEFACT_LINE_RE = re.compile(
    "(?=[rasmyc©(pifge])(?:" + "|".join(f"(?:{p.pattern})" for p in _ARTEFACT_LINE_RES) + ")",
    re.IGNORECASE,
)
# "— Name (@handle) October 4, 2020": the attribution line of an embedded tweet.
_TWEET_ATTRIBUTION_RE = re.compile(r"[—–-]\s*[^()\n]{1,60}\(@\w{1,30}\)\s+\w+ \d{1,2}, \d{4}\s*$")
_PHOTO_CREDIT_TAIL_RE = re.compile(
    r"\((?:[\w.]+\s+)?(?:photo|image|picture)s?\b[^)]*\)\s*$"  # "(AP Photo/Name)"
    r"|/(?:Reuters|AFP|AP|Getty Images|EPA)\)?\s*$",
    re.IGNORECASE,
)
# A dateline opening the first line: "BAKU/YEREVAN -- ", "LONDON (Reuters) - ".
_DATELINE_RE = re.compile(
    r"^[A-Z][A-Z .,'/-]{1,60}(?:\s*\([^)]{1,30}\))?\s*(?:--|—|–|-)\s+(?=[A-Z\"“])"
)


@dataclass(slots=True)
class Cleaned:
    """The outcome of cleaning one text."""

    body: str
    artefacts: list[str] = field(default_factory=list)
    date: str | None = None
    """The date found in a scraper date marker, as ``YYYY-MM-DD``."""


def clean(text: str) -> Cleaned:
    """Split ``text`` into the body the analyses use and the artefacts removed from it."""
    out = Cleaned(body="")
    kept: list[str] = []
    # Decided once for the text, not for each of its (maybe a million) lines. A link may
    # also appear once an ad marker inside it is removed ("pic.[ad_1]twitter.com").
    pics = "pic.twitter" in text.casefold() or _AD_MARKER_RE.search(text) is not None
    for index, line in enumerate(text.split("\n")):
        line = _strip_markers(line, out, index == 0 or not kept, pics)
        stripped = line.strip()
        if not stripped:
            if kept and kept[-1] != "":
                kept.append("")
            continue
        if _is_artefact_line(stripped):
            out.artefacts.append(stripped)
            continue
        kept.append(line.rstrip())
    out.body = "\n".join(kept).strip("\n")
    return out


def _strip_markers(line: str, out: Cleaned, first: bool, pics: bool = True) -> str:
    """Remove inline artefacts (ad markers, date markers, picture links) from ``line``.

    ``pics`` is false when the text holds no picture link at all.
    """
    if "[" in line:
        for marker in _AD_MARKER_RE.findall(line):
            out.artefacts.append(marker)
        line = _AD_MARKER_RE.sub("", line)
    if first and out.date is None:
        match = _DATE_MARKER_RE.match(line)
        if match:
            out.date = "-".join(match.groups())
            out.artefacts.append(match.group().strip())
            line = line[match.end() :]
    if not pics or "pic.twitter" not in line.casefold():
        return line
    for link in _PIC_LINK_RE.findall(line):
        out.artefacts.append(link.strip())
    return _PIC_LINK_RE.sub("", line)


def _is_artefact_line(line: str) -> bool:
    """True when a whole (stripped) line is debris rather than prose."""
    if _ARTEFACT_LINE_RE.match(line):
        return True
    if "(@" in line and _TWEET_ATTRIBUTION_RE.search(line):
        return False  # an embedded tweet's text is quoted prose; only its link goes
    return (len(line) < 160 and ("(" in line or "/" in line)  # what every tail needs
            and bool(_PHOTO_CREDIT_TAIL_RE.search(line)))


def derive_title(body: str, limit: int = 120) -> str:
    """A title for an article without one: its first real sentence, dateline removed.

    Short lines without final punctuation (subheadings, captions) are skipped unless
    nothing else exists; the result is cut at a word boundary to ``limit`` characters.
    """
    fallback = ""
    # The title is near the top: look at the first 800 characters, then 3000 if need be;
    # never split a whole long text for it (this runs for every untitled file).
    for size in (800, 3000):
        head = body[:size]
        for start, end in sentence_spans(head):
            sentence = _DATELINE_RE.sub("", head[start:end]).strip()
            if not sentence or (end == len(head) and len(body) > size):
                continue  # empty, or cut off by the window
            fallback = fallback or sentence
            if len(sentence.split()) >= 4 and sentence[-1] in ".!?\"”’":
                return one_line(sentence.rstrip("."), limit)
        if len(body) <= size:
            break
    # A text of nothing but full stops has no title left once they are stripped.
    return one_line(fallback.rstrip("."), limit) or "(untitled)"
