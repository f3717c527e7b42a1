"""Synthetic reports for benchmarking and testing the aligner (deterministic by seed)."""

from __future__ import annotations

import random

_SYLLABLES = ("ka", "lo", "mi", "ter", "san", "vo", "ri", "del", "na", "po", "stra", "gen",
              "ul", "bar", "e", "is", "on", "fa", "qu", "ze", "ro", "tin", "mar", "chi")
_COMMON = ("the", "of", "and", "to", "in", "a", "was", "that", "for", "on", "with", "said")


def _vocabulary(rng: random.Random, size: int) -> list[str]:
    """Made-up words, common function words first (so a Zipf-like pick favours them)."""
    made = {"".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(1, 4)))
            for _ in range(size * 2)}
    return list(_COMMON) + sorted(made)[:size]


def _sentence(rng: random.Random, vocab: list[str]) -> str:
    """One sentence of 6–30 words, capitalised, ending with a full stop."""
    n = rng.randint(6, 30)
    picks = [vocab[min(len(vocab) - 1, int(rng.paretovariate(1.0)) - 1 + rng.randint(0, 3))
                   if rng.random() < 0.4 else rng.randrange(len(vocab))] for _ in range(n)]
    text = " ".join(picks)
    return text[0].upper() + text[1:] + "."


def synthetic_report(words: int, seed: int = 0) -> str:
    """A report of about ``words`` words: paragraphs of 1–4 sentences, one per line."""
    rng = random.Random(seed)
    vocab = _vocabulary(rng, 3000)
    paragraphs: list[str] = []
    count = 0
    while count < words:
        para = [_sentence(rng, vocab) for _ in range(rng.randint(1, 4))]
        count += sum(len(s.split()) for s in para)
        paragraphs.append(" ".join(para))
    return "\n\n".join(paragraphs) + "\n"


def damaged_copy(text: str, seed: int = 0) -> str:
    """A mirror of ``text`` as a careless scraper would make it: words dropped or changed,
    some sentences glued to the next one, a few paragraphs dropped, one pair swapped."""
    rng = random.Random(seed)
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    kept = [_damage(p, rng) for p in paragraphs if rng.random() > 0.08]
    if len(kept) > 4:
        k = rng.randrange(len(kept) - 3)
        kept[k], kept[k + 3] = kept[k + 3], kept[k]
    return "\n\n".join(kept) + "\n"


def _damage(paragraph: str, rng: random.Random) -> str:
    """Drop or alter a few words and glue some sentences (``"end,while next"``)."""
    out: list[str] = []
    for word in paragraph.split():
        roll = rng.random()
        if roll < 0.04:
            continue
        if roll < 0.07:
            word = word[::-1]
        if out and out[-1].endswith(".") and rng.random() < 0.15:
            out[-1] = out[-1][:-1] + "," + word[0].lower() + word[1:]
            continue
        out.append(word)
    return " ".join(out)
