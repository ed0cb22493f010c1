#!/usr/bin/env python3
"""Benchmark the redaction of private names on a whole site: digests against plain text.

    python bench/bench_private.py [--notebooks 400] [--entries 500] [--repeat 5] [--work DIR]

What the site pays for ``repofolio.journal.publishable`` on every page: a synthetic portfolio
of ``--notebooks`` notebook pages (../shared/bench/make_corpus.py, one notebook a project,
converted once by ``folio docs --out``: the Markdown the site redacts) and a journal of
``--entries`` entries made of varied prose, some naming a company or a contact. Eight
invented names, of one, two and three words, a company and people, as a job search has.

Two matchers over the same texts, in one process, interleaved pass by pass:

- **plain**: the regex folio used while the names were plain text in the configuration:
  one alternation of the escaped names, whole words, any case (and the name parts, as
  written) - the yardstick;
- **digests**: ``repofolio.privacy`` (what ``publishable`` runs now): a salted BLAKE2b
  digest per window of 1..N words, only for the word counts present, each window's digest
  remembered; run cold (a new matcher each pass: nothing remembered) and warm.

Each figure is the median of ``--repeat`` passes over every text; the ratios are pass by
pass. The redacted outputs of both are compared: the same names must go.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tools"))

from repofolio import privacy  # noqa: E402

COMPANIES = ("Initech", "Globex Corp", "Umbrella Health Systems", "Hooli", "Vandelay")
PEOPLE = ("Bill Lumbergh", "Peter Gibbons", "Samir Nagheenanajar")
PROSE = (
    "Spent the morning on the take-home: a rolling-origin backtest before fitting anything, "
    "five origins, MASE against the seasonal naive forecast. Two models that looked equal on "
    "the last quarter were clearly different over five folds. Wrote the reasoning into the "
    "notebook, then an hour of system design practice with a timer, out loud, twice. The part "
    "I explain worst is capacity planning; reading up on it tomorrow. Applied to two roles "
    "through career pages; each letter answers the ad it is written for. Rest in the evening."
).split()


def find_make_corpus() -> Path:
    env = os.environ.get("FOLIO_CORPUS_SCRIPT")
    if env:
        return Path(env)
    for base in (HERE.parents[2] / "shared", HERE.parent.parent / "shared", HERE.parent / "shared"):
        path = base / "bench" / "make_corpus.py"
        if path.is_file():
            return path
    sys.exit("make_corpus.py not found (expected ../shared/bench/make_corpus.py)")


def folio_cmd() -> list[str]:
    script = Path(sys.executable).with_name("folio")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "repofolio"]


def site_pages(work: Path, notebooks: int) -> tuple[list[str], int]:
    """Every Markdown page of the site as the site redacts it (converted once, kept in
    work), and how many are notebook pages."""
    corpus = work / f"corpus-{notebooks}"
    out = work / f"docs-{notebooks}"
    if not out.is_dir():
        shutil.rmtree(corpus, ignore_errors=True)
        subprocess.run(
            [sys.executable, str(find_make_corpus()), str(corpus), "--projects", str(notebooks)],
            check=True,
            capture_output=True,
        )
        (corpus / "pyproject.toml").write_text('[tool.folio]\nowner = "Bench"\n', "utf-8")
        subprocess.run([*folio_cmd(), "docs", "--out", str(out)], cwd=corpus, check=True)
    paths = sorted(out.rglob("*.md"))
    return [p.read_text(encoding="utf-8") for p in paths], sum(
        "notebooks" in p.parts for p in paths
    )


def journal(entries: int, seed: int = 7) -> list[str]:
    """Entries of 150-400 words of varied prose; one in four names someone of the search."""
    rng = random.Random(seed)
    names = [*COMPANIES, *PEOPLE, *(p.split()[0] for p in PEOPLE)]
    texts = []
    for i in range(entries):
        words = [rng.choice(PROSE) for _ in range(rng.randint(150, 400))]
        # a vocabulary of a real journal: numbers, dates, words of its own
        words += [f"{rng.randint(0, 999)}" for _ in range(20)] + [f"w{i}x{j}" for j in range(10)]
        rng.shuffle(words)
        if i % 4 == 0:
            for name in rng.sample(names, 2):
                words.insert(rng.randrange(len(words)), name)
        texts.append(f"---\ndate: 2026-01-01\n---\n\n# Day {i}\n\n" + " ".join(words) + "\n")
    return texts


def plain_redactor(companies: tuple[str, ...], people: tuple[str, ...]) -> object:
    """The plain-text regex of folio before the digests (whole names, then name parts)."""
    names = sorted({*companies, *people}, key=lambda n: (-len(n), n))
    whole = re.compile(
        r"(?<!\w)(?:"
        + "|".join(r"\s+".join(map(re.escape, n.split())) for n in names)
        + r")(?!\w)",
        re.IGNORECASE,
    )
    kinds = {" ".join(n.split()).casefold(): "a company" for n in companies}
    kinds.update({" ".join(n.split()).casefold(): "a contact" for n in people})
    parts = sorted({w for p in people for w in p.split() if w[0].isupper()}, key=len, reverse=True)
    partial = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, parts)) + r")(?!\w)")

    def redact(text: str) -> str:
        text = whole.sub(lambda m: kinds[" ".join(m.group(0).split()).casefold()], text)
        return partial.sub("a contact", text)

    return redact


def one_pass(fn: object, texts: list[str]) -> float:
    start = time.perf_counter()
    for text in texts:
        fn(text)  # type: ignore[operator]
    return time.perf_counter() - start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--notebooks", type=int, default=400)
    ap.add_argument("--entries", type=int, default=500)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--work", type=Path, default=None, help="kept between runs (conversions)")
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="folio-bench-private-"))
    work.mkdir(parents=True, exist_ok=True)
    pages, notebook_count = site_pages(work, args.notebooks)
    entries = journal(args.entries)
    texts = pages + entries
    words = sum(len(privacy.WORD.findall(t)) for t in texts)
    size = sum(len(t) for t in texts) / 1e6
    print(
        f"{len(pages)} pages ({notebook_count} of notebooks) + {len(entries)} journal entries: "
        f"{size:.1f} MB, "
        f"{words:,} words; names of 1, 2 and 3 words"
    )
    digests = privacy.Digests(os.urandom(privacy.SALT_BYTES), frozenset())
    privacy.add_all(digests, COMPANIES, PEOPLE)
    plain = plain_redactor(COMPANIES, PEOPLE)
    warm = privacy.matcher(digests)

    for text in entries[:50]:  # the same names go (the plain regex needs spaces between words)
        assert warm.redact(text) == plain(text), text[:200]  # type: ignore[operator]
    warm_redact = warm.redact
    one_pass(warm_redact, texts)  # fill the memo, as a site's first pages do
    runs: dict[str, list[float]] = {"plain": [], "digests cold": [], "digests warm": []}
    for _ in range(args.repeat):
        runs["plain"].append(one_pass(plain, texts))
        fresh = privacy.Matcher(warm.salt, warm.tables, warm.parts)
        runs["digests cold"].append(one_pass(fresh.redact, texts))
        runs["digests warm"].append(one_pass(warm_redact, texts))
    base = runs["plain"]
    print(f"{'':14} {'median s':>9} {'min':>7} {'max':>7} {'x plain':>8} {'M words/s':>10}")
    for label, values in runs.items():
        ratio = statistics.median(v / b for v, b in zip(values, base, strict=True))
        med = statistics.median(values)
        print(
            f"{label:14} {med:9.3f} {min(values):7.3f} {max(values):7.3f} {ratio:8.2f} "
            f"{words / med / 1e6:10.2f}"
        )
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
