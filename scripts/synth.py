"""Write a realistic synthetic library, deterministically from a seed (for benchmarks).

About one article in five belongs to a story with wire copies or independent rewrites;
the rest are unrelated reports. Formats are mixed: .txt, .md with front matter, .json
lists and .jsonl files.

    python scripts/synth.py OUT_DIR --count 10000 [--seed 7]
"""

from __future__ import annotations

import argparse
import json
import random
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


def generate(out: Path, count: int, seed: int = 7) -> int:
    """Write ``count`` articles under ``out``; return the number written."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    written = 0
    json_batch: list[dict[str, object]] = []
    while written < count:
        place, event = rng.choice(PLACES), rng.choice(EVENTS)
        people = [_person(rng) for _ in range(3)]
        day = f"2024-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
        base = _report(rng, place, event, people, rng.randrange(200, 500))
        texts = [base]
        if rng.random() < 0.2:  # a story: copies and independent rewrites
            for _ in range(rng.randrange(1, 5)):
                texts.append(_copy(rng, base) if rng.random() < 0.5 else
                             _report(rng, place, event, people, rng.randrange(200, 500)))
        for text in texts:
            if written >= count:
                break
            title = f"{event.title()} in {place}: {rng.choice(people)} {rng.choice(VERBS)}"
            written += 1
            bucket = out / f"d{written // 1000:03d}"
            bucket.mkdir(exist_ok=True)
            kind = written % 10
            source = rng.choice(SOURCES)
            if kind < 6:
                (bucket / f"a{written:06d}.txt").write_text(f" date {day} {text}\n")
            elif kind < 8:
                (bucket / f"a{written:06d}.md").write_text(
                    f"---\ntitle: \"{title}\"\nsource: {source}\ndate: {day}\n---\n\n{text}\n")
            else:
                json_batch.append({"title": title, "source": source, "date": day, "body": text})
                if len(json_batch) >= 20:
                    name = bucket / f"batch{written:06d}.jsonl"
                    name.write_text("".join(json.dumps(j) + "\n" for j in json_batch))
                    json_batch = []
    if json_batch:
        (out / "rest.json").write_text(json.dumps(json_batch))
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(generate(args.out, args.count, args.seed))


if __name__ == "__main__":
    main()
