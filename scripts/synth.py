"""Write a realistic synthetic library, deterministically from a seed (for benchmarks).

About one article in five (``--story-share``) belongs to a story with wire copies or
independent rewrites; the rest are unrelated reports of a few hundred words. Formats are
mixed: .txt, .md with front matter, .json lists and .jsonl files. ``--long-pair`` adds
``long/report-a.md`` and ``long/report-b.md``: a report of about 2,000 words and a damaged
copy of it (for timing the reader and the comparison view).

    python scripts/synth.py OUT_DIR --count 10000 [--seed 7] [--story-share 0.2] [--long-pair]
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
from collections.abc import Iterator
from pathlib import Path

PLACES = ("Lisbon Nairobi Lagos Manila Quito Tbilisi Baku Yerevan Kyiv Lviv Dakar Accra Lima "
          "Bogota Hanoi Dhaka Karachi Ankara Izmir Athens Sofia Riga Oslo Perth Osaka Busan "
          "Tunis Algiers Rabat Cairo Amman Beirut Gaza Aleppo Mosul Basra Tehran Kabul Sanaa "
          "Mombasa Kampala Kigali Harare Lusaka Maputo Luanda Douala Abuja Kano").split()
FIRST = ("Maria Ahmed Olena Juan Li Fatima Peter Amina Ivan Sara Kofi Noor Jose Anna Ali Mehmet "
         "Elena Rahul Chen Aisha David Yusuf Irina Carlos Leila Tomas Zainab Pavel Hana").split()
LAST = ("Garcia Khan Petrenko Silva Wang Hassan Novak Okafor Ivanov Cohen Mensah Rahimi Costa "
        "Kowalski Aliyev Yilmaz Popescu Sharma Zhang Diallo Haddad Moreau Kim Tanaka Nguyen "
        "Fischer Rossi Santos Mendes Osei").split()
ORGS = ("the Red Cross|the United Nations|the World Bank|the Health Ministry|the Interior "
        "Ministry|the Central Bank|Amnesty International|the Electoral Commission|the Army|"
        "the Port Authority|the Energy Agency|the Supreme Court").split("|")
EVENTS = ("earthquake flood fire explosion protest strike election shooting collision "
          "landslide storm outbreak ceasefire summit verdict blackout").split()
VERBS = ("said reported confirmed announced warned told reporters added stated noted "
         "claimed").split()
FILLER = ("officials residents authorities witnesses rescuers police hospitals schools roads "
          "bridges buildings markets families workers volunteers troops negotiators analysts "
          "the government the opposition local media the regional council").split(" ")
SOURCES = "Reuters AFP AP BBC Al Jazeera DW RFE/RL Anadolu Xinhua Kyodo Local Herald".split(" ")
VERSION = 2
"""Bumped whenever the same seed would write a different library (benchmarks key on it)."""
MEAN_EXTRA = 2.5
"""Mean number of extra reports (copies or rewrites) in a story: ``randrange(1, 5)``."""


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def _sentence(rng: random.Random, place: str, event: str, people: list[str]) -> str:
    kind = rng.randrange(6)
    n = rng.choice([3, 12, 40, 150, 1200, 55000])
    if kind == 0:
        return (f"At least {n} people were killed and {rng.randrange(2, 90)} injured in the "
                f"{event} in {place}, {rng.choice(ORGS)} {rng.choice(VERBS)}.")
    if kind == 1:
        return (f"\"We are doing everything we can,\" {rng.choice(people)} of "
                f"{rng.choice(ORGS)} {rng.choice(VERBS)} on {rng.choice(['Monday', 'Tuesday'])}.")
    if kind == 2:
        return (f"{place}, a city of about {n:,} inhabitants, saw {rng.choice(FILLER)} and "
                f"{rng.choice(FILLER)} gather near the {rng.choice(['centre', 'port', 'river'])}.")
    if kind == 3:
        return (f"The {event} began early in the morning, according to {rng.choice(FILLER)} "
                f"who spoke to {rng.choice(SOURCES)}.")
    if kind == 4:
        return (f"{rng.choice(people)} called for calm and promised support for "
                f"{rng.choice(FILLER)} affected by the {event}.")
    return (f"Damage was estimated at ${rng.randrange(2, 90)} million, with "
            f"{rng.choice(FILLER)} and {rng.choice(FILLER)} among the worst hit.")


def _report(rng: random.Random, place: str, event: str, people: list[str], words: int) -> str:
    sentences: list[str] = []
    while sum(len(s.split()) for s in sentences) < words:
        sentences.append(_sentence(rng, place, event, people))
    paras = [" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]
    return "\n\n".join(paras)


def _copy(rng: random.Random, text: str) -> str:
    """A wire copy or damaged mirror: dropped sentences, glued ones, a new header."""
    sentences = [s for s in text.replace("\n\n", " ").split(". ") if rng.random() > 0.1]
    glue = ". " if rng.random() < 0.5 else "."
    return f"{rng.choice(SOURCES).upper()} -- " + glue.join(sentences)


def story_chance(share: float) -> float:
    """How often a new event gets a story so that ``share`` of the articles are in one."""
    share = min(max(share, 0.0), 0.99)
    return share / (1 + MEAN_EXTRA - MEAN_EXTRA * share)


def articles(seed: int = 7, story_share: float = 0.2) -> Iterator[dict[str, str]]:
    """The library's articles in order, without end: ``title``, ``source``, ``date``, ``body``.

    :func:`generate` writes the first ``count`` of them; the same seed gives the same texts.
    """
    rng = random.Random(seed)
    chance = story_chance(story_share)
    while True:
        place, event = rng.choice(PLACES), rng.choice(EVENTS)
        people = [_person(rng) for _ in range(3)]
        day = f"2024-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
        base = _report(rng, place, event, people, rng.randrange(200, 500))
        texts = [base]
        if rng.random() < chance:  # a story: copies and independent rewrites
            for _ in range(rng.randrange(1, 5)):
                texts.append(_copy(rng, base) if rng.random() < 0.5 else
                             _report(rng, place, event, people, rng.randrange(200, 500)))
        for text in texts:
            title = f"{event.title()} in {place}: {rng.choice(people)} {rng.choice(VERBS)}"
            yield {"title": title, "source": rng.choice(SOURCES), "date": day, "body": text}


def generate(out: Path, count: int, seed: int = 7, story_share: float = 0.2) -> int:
    """Write ``count`` articles under ``out``; return the number written."""
    out.mkdir(parents=True, exist_ok=True)
    json_batch: list[dict[str, str]] = []
    for written, item in enumerate(itertools.islice(articles(seed, story_share), count), 1):
        bucket = out / f"d{written // 1000:03d}"
        bucket.mkdir(exist_ok=True)
        kind, name = written % 10, f"a{written:06d}"
        if kind < 6:
            (bucket / f"{name}.txt").write_text(f" date {item['date']} {item['body']}\n")
        elif kind < 8:
            (bucket / f"{name}.md").write_text(
                f"---\ntitle: \"{item['title']}\"\nsource: {item['source']}\n"
                f"date: {item['date']}\n---\n\n{item['body']}\n")
        else:
            json_batch.append(item)
            if len(json_batch) >= 20:
                text = "".join(json.dumps(j) + "\n" for j in json_batch)
                (bucket / f"batch{written:06d}.jsonl").write_text(text)
                json_batch = []
    if json_batch:
        (out / "rest.json").write_text(json.dumps(json_batch))
    return max(count, 0)


def write_jsonl(out: Path, megabytes: float, seed: int = 7) -> tuple[int, int]:
    """Write the library's articles as ``{"id", "text", "date"}`` lines (the input of
    ``crosscheck annotate --jsonl-in``) until the file holds ``megabytes`` MiB.

    Returns the number of lines and the UTF-8 bytes of their texts.
    """
    lines = text_bytes = size = 0
    with out.open("w", encoding="utf-8") as f:
        for lines, item in enumerate(articles(seed), 1):
            line = json.dumps({"id": f"a{lines:06d}", "text": item["body"],
                               "date": item["date"]}) + "\n"
            f.write(line)
            size += len(line.encode())
            text_bytes += len(item["body"].encode())
            if size >= megabytes * 2**20:
                break
    return lines, text_bytes


def long_pair(seed: int = 7, words: int = 2000) -> tuple[str, str, str]:
    """A report of about ``words`` words and a damaged copy of it, and their title.

    The copy drops about one sentence in ten, so the original is written longer to keep
    both near ``words``.
    """
    rng = random.Random(seed * 1000 + words)
    place, event = rng.choice(PLACES), rng.choice(EVENTS)
    people = [_person(rng) for _ in range(3)]
    base = _report(rng, place, event, people, int(words * 1.12))
    return base, _copy(rng, base), f"{event.title()} in {place}: the full account"


def write_long_pair(out: Path, seed: int = 7, words: int = 2000) -> tuple[str, str]:
    """Write :func:`long_pair` as ``out/long/report-a.md`` and ``report-b.md``.

    Returns the two article ids (``long/report-a``, ``long/report-b``).
    """
    base, copy, title = long_pair(seed, words)
    folder = out / "long"
    folder.mkdir(parents=True, exist_ok=True)
    for name, text, source in (("report-a", base, "Reuters"), ("report-b", copy, "AFP")):
        (folder / f"{name}.md").write_text(
            f"---\ntitle: \"{title} ({name[-1]})\"\n"
            f"source: {source}\ndate: 2024-06-01\n---\n\n{text}\n")
    return "long/report-a", "long/report-b"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--story-share", type=float, default=0.2,
                        help="share of articles in a story with copies or rewrites")
    parser.add_argument("--long-pair", action="store_true",
                        help="also write two ~2,000-word reports under long/")
    args = parser.parse_args()
    written = generate(args.out, args.count, args.seed, args.story_share)
    if args.long_pair:
        write_long_pair(args.out, args.seed)
        written += 2
    print(written)


if __name__ == "__main__":
    main()
