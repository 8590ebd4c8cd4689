"""A deterministic synthetic news corpus of any size, for benchmarks and load tests (figures only).

Wire-style articles of 2-8 KB are composed from templates over a few thousand invented entities
(people with titles, companies, ministries, weapon designations) and the real countries of the
gazetteer, drawn with a Zipf-like frequency (a few names everywhere, most rarely). Articles carry
money in the formats real copy uses, absolute and relative dates, quotes, deal and aid sentences;
about 8% are syndicated near-duplicates of an earlier story (another outlet, edited lightly) and
2% exact duplicates. Publication dates spread over 18 months. Output mixes ``.txt`` files,
``.html`` pages and ``.jsonl`` feeds so every reader runs. The same (count, seed) gives the same
bytes. None of the text comes from real articles.

Unrelated stories must not read as copies of one another (``etl.transform.syndication`` calls two
bodies copies when they share 8 narrative 8-word shingles): each fact sentence comes in several
phrasings with variant wording, amounts and counts vary widely, a number or a date falls every few
words, and a person is named in full (title, first and last name) once per story, by surname after.
"""

from __future__ import annotations

import argparse
import bisect
import calendar
import datetime as dt
import hashlib
import html
import itertools
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

ENTITIES = Path(__file__).resolve().parents[1] / "data" / "reference" / "entities.yaml"
START = dt.date(2024, 1, 1)
DAYS = 540
JSONL_LINES = 50  # articles per .jsonl feed file
WIRES = [("Reuters", "Reuters"), ("Associated Press", "AP"), ("Agence France-Presse", "AFP"), ("UPI", "UPI")]
OUTLETS = ["Defense Daily Monitor", "The Harbour Tribune", "Northern Ledger", "Capital Courier", "Atlas Post"]
FIRST = ["Anna", "Boris", "Carlos", "Dmitri", "Elena", "Farid", "Greta", "Hiro", "Ines", "Jonas", "Kofi", "Lena", "Mateo", "Nadia", "Omar", "Pavel", "Quinn", "Rosa", "Sven", "Tariq", "Ulla", "Viktor", "Wen", "Yara", "Zoran"]  # noqa: E501
LAST = ["Abara", "Belcourt", "Castellano", "Drozdov", "Eriksen", "Fonseca", "Grabowski", "Halvorsen", "Ibarra", "Jankovic", "Kovalenko", "Lindqvist", "Marchetti", "Novak", "Okonkwo", "Petrakis", "Quintero", "Rasmussen", "Sokolova", "Takahashi", "Underwood", "Varga", "Wozniak", "Yilmaz", "Zielinski"]  # noqa: E501
TITLES = ["Defense Minister", "Deputy Defense Minister", "Army chief of staff General", "Navy commander Admiral",
          "procurement director", "Foreign Minister", "chief executive", "spokesperson"]
CO_A = ["Varen", "Kestrel", "Orion", "Halcyon", "Tessar", "Brightwater", "Ironvale", "Corvin", "Meridian", "Stratos", "Delmar", "Arkon", "Novus", "Silvan", "Tamber"]  # noqa: E501
CO_B = ["Dynamics", "Aerospace", "Defence Systems", "Shipbuilding", "Munitions", "Electronics", "Industries", "Group"]
WEAPON_KIND = ["helicopters", "armored vehicles", "patrol boats", "fighter jets", "air-defense batteries",
               "drones", "howitzers", "frigates", "transport aircraft", "radar systems"]
CALL = ["Falcon", "Viper", "Condor", "Trident", "Sentinel", "Harrier", "Lynx", "Cobra", "Kestrel", "Atlas", "Orca", "Raptor"]  # noqa: E501
CITIES = ["LIMA", "WARSAW", "NAIROBI", "MANILA", "ANKARA", "BOGOTA", "HANOI", "OSLO", "DOHA", "SEOUL", "ACCRA"]
# Background sentences are assembled from slots, with a number, an amount or a date every few words,
# so that 8-word passages rarely repeat across unrelated stories: shared text reads as syndication.
OPENERS = ["Officials in {c} said on {d} that", "{n} analysts in {c} noted that",
           "Lawmakers from {c} argued on {d} that", "Diplomats said {n} envoys from {c} agreed that",
           "A {n}-page report by {co} said", "{p} told {audience} on {d}", "Sources at {co} said on {d}",
           "In a {n}-page report, {co} estimated that"]
MIDDLES = ["{n} units", "spending of {m}", "the {n}-year program", "local assembly of {n} systems",
           "a budget of {m}", "{n} former officers", "training for {n} crews", "{n} of the systems"]
ENDINGS = ["could slip into {y}.", "would be {reviewed} by {c} within {k} months.", "was still {under} with {co}.",
           "might need {k} more signatures, {p} said.", "depended on {k} rounds of talks with {c}.",
           "remained classified until {y}."]
# Fact sentences take their phrasing and their fixed words from these variants, for the same reason.
DEAL_VERBS = ["signed", "inked", "finalized", "concluded", "sealed"]
DEAL_NOUNS = ["contract", "deal", "supply contract", "arms deal", "procurement contract"]
AID_NOUNS = ["military aid", "security assistance", "defense aid", "military assistance",
             "foreign military financing", "counternarcotics aid"]
BRANCHES = ["army", "navy", "air force", "armed forces", "coast guard", "marine corps", "border guard"]
TOPICS = ["defense cooperation", "military training", "maritime security", "cyber defense", "joint exercises",
          "technology transfer", "logistics support", "border security", "peacekeeping", "intelligence sharing"]
AGREEMENT_VERBS = ["signed", "inked", "concluded"]
PACTS = ["memorandum of understanding", "defense cooperation agreement", "security pact", "military accord", "MoU",
         "framework agreement"]
DECADES = ["1970s", "1980s", "1990s", "early 2000s"]
RETIRES, BOUGHT = ["replaces", "retires", "phases out"], ["bought", "acquired", "ordered", "delivered"]
REPLACE = ["replace", "succeed", "take over from"]
SINCE = ["in service since", "bought in", "delivered in", "commissioned in"]
DUE = ["are due to start in", "should begin in", "are expected from", "are scheduled for"]
QUOTES_ON = ["This agreement strengthens our defense ties and our industry", "This is a good day for our armed forces",
             "We chose the best offer on price and on delivery", "Our partners have kept every promise so far"]
QUOTES_OFF = ["We will not comment on ongoing negotiations", "The figures you cite are not accurate",
              "No decision has been taken yet", "Talks are continuing at a technical level"]
_PERSON = re.compile("(?:" + "|".join(map(re.escape, TITLES)) + r") ([A-Z][a-z]+) ([A-Z][a-z]+)")
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


@dataclass(frozen=True)
class Pool:
    """Names of one kind drawn with Zipf-like weights (the k-th name about 1/k as often as the first)."""

    names: list[str]
    cumulative: list[float]

    @classmethod
    def zipf(cls, names: list[str]) -> Pool:
        return cls(names, list(itertools.accumulate(1 / (k + 1) for k in range(len(names)))))

    def draw(self, rng: random.Random) -> str:
        return self.names[bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])]


def _countries() -> list[str]:
    entries = yaml.safe_load(ENTITIES.read_text())
    entries = entries.get("entities", entries) if isinstance(entries, dict) else entries
    return sorted(e["name"] for e in entries if isinstance(e, dict) and e.get("type") == "country")


def pools(seed: int = 1) -> dict[str, Pool]:
    """A few thousand invented entities (plus the real countries), shuffled into Zipf order."""
    rng = random.Random(seed)
    people = [f"{t} {f} {ln}" for f in FIRST for ln in LAST for t in [rng.choice(TITLES)]]  # 625
    companies = [f"{a} {b}" for a in CO_A for b in CO_B]  # 120
    weapons = [f"{c}-{n} {w}" for c in ("XK", "TR", "AV", "MZ", "HL") for n in range(10, 90, 3) for w in CALL][:1500]
    for group in (people, companies, weapons):
        rng.shuffle(group)
    countries = _countries()
    rng.shuffle(countries)
    return {k: Pool.zipf(v) for k, v in
            {"person": people, "company": companies, "weapon": weapons, "country": countries}.items()}


def money(rng: random.Random) -> str:
    """An amount written the way news copy writes it."""
    if rng.random() < 0.3:
        value, unit = round(rng.uniform(1, 9.9), 1), "billion"
    else:
        value = float(rng.choice([rng.randint(10, 99), rng.randint(10, 99) * 10, rng.randint(100, 999)]))
        unit = "million"
    return rng.choice([
        f"${value:g} {unit}", f"US${value:g} {unit}", f"{value:g} {unit} euros", f"€{value:g}m",
        f"£{value:g} {unit}", f"${int(value * 1_000_000):,}" if unit == "million" else f"${value:g}bn",
        f"about ${value:g} {unit}", f"{value:g} {unit} U.S. dollars",
    ])


def _sentences(rng: random.Random, p: dict[str, Pool], day: dt.date) -> list[str]:
    """One of each kind of fact sentence (deal, aid, quotes, tender, agreement, replacement), each
    in one of several phrasings with its words drawn from variants, as many writers would put it."""
    pick = rng.choice
    buyer, seller = p["country"].draw(rng), p["country"].draw(rng)
    while seller == buyer:
        seller = p["country"].draw(rng)
    official, other = p["person"].draw(rng), p["person"].draw(rng)
    company, rival, weapon = p["company"].draw(rng), p["company"].draw(rng), p["weapon"].draw(rng)
    kind, n, years = pick(WEAPON_KIND), rng.randint(2, 48), rng.randint(2, 10)
    year = day.year + rng.randint(0, 2)
    when = pick([f"on {pick(WEEKDAYS)}", f"on {day:%B} {day.day}, {day.year}", "last month",
                 f"in {day:%B %Y}", "earlier this week", "late last year", f"in early {day.year}"])
    period = pick([f"in fiscal year {year}", f"over the next {years} years", f"in {year}",
                   f"starting in {day:%B} {year}", f"over {years} budget years", f"through {year + years}"])
    verb, deal, aid, branch = pick(DEAL_VERBS), pick(DEAL_NOUNS), pick(AID_NOUNS), pick(BRANCHES)
    sign, pact, topic = pick(AGREEMENT_VERBS), pick(PACTS), pick(TOPICS)
    items = f"{n} {weapon} {kind}"
    said = f"{official.split(' ')[-2]} {official.split(' ')[-1]}"
    return [
        pick([
            f"{buyer} {verb} a {money(rng)} {deal} with {company} {when} for {items}.",
            f"{company} {verb} a {deal} worth {money(rng)} with {buyer} {when} to deliver {items}.",
            f"Under a {money(rng)} {deal} signed {when}, {company} will supply {items} to {buyer}.",
            f"{buyer} ordered {items} from {company} {when} for {money(rng)}, {other} said.",
        ]),
        pick([
            f"{seller} will provide {money(rng)} in {aid} to {buyer} {period}, {other} said.",
            f"{buyer} will receive {money(rng)} in {aid} from {seller} {period}, according to {other}.",
            f"{other} said {seller} had pledged {money(rng)} in {aid} for {buyer} {period}.",
            f"Lawmakers in {seller} approved {money(rng)} of {aid} for {buyer} {period}.",
        ]),
        f"\u201c{pick(QUOTES_ON)},\u201d said {official}. "
        f"\u201cWe expect deliveries to begin within {rng.randint(2, 5)} years.\u201d",
        pick([
            f"{company} won a tender worth {money(rng)} to supply {n} {kind} to the {branch} of {buyer}.",
            f"The {branch} of {buyer} chose {company} for {n} {kind} in a tender worth {money(rng)}.",
            f"{company} beat {rival} in a {money(rng)} tender to supply {buyer} with {n} {kind}.",
            f"{buyer} launched a tender worth {money(rng)} for {n} {kind}, drawing bids from {company} and {rival}.",
        ]),
        pick([
            f"The defense ministries of {buyer} and {seller} {sign} a {pact} {when} on {topic}.",
            f"{buyer} and {seller} {sign} a {years}-year {pact} {when}, covering {topic}.",
            f"Officials from {buyer} and {seller} {when} {sign} a {years}-year agreement on {topic}.",
        ]),
        f"\u201c{pick(QUOTES_OFF)},\u201d {said} told reporters in {buyer}.",
        pick([
            f"The deal, valued at {money(rng)}, {pick(RETIRES)} {weapon} {kind} {pick(BOUGHT)} in the {pick(DECADES)}.",
            f"The {n} new {kind} will {pick(REPLACE)} {rng.randint(2, 60)} {weapon} units "
            f"{pick(SINCE)} {rng.randint(1975, 2005)}.",
            f"Deliveries of the {items}, ordered for {money(rng)}, {pick(DUE)} {day:%B} {year}.",
        ]),
    ]


def _background(rng: random.Random, p: dict[str, Pool], day: dt.date) -> str:
    slots = {"c": p["country"].draw(rng), "co": p["company"].draw(rng), "p": p["person"].draw(rng),
             "n": rng.randint(2, 400), "m": money(rng), "y": day.year + rng.randint(0, 3),
             "k": rng.randint(2, 60), "d": f"{calendar.month_name[rng.randint(1, 12)]} {rng.randint(1, 28)}",
             "under": rng.choice(["under discussion", "being negotiated", "in talks", "open"]),
             "audience": rng.choice(["parliament", "lawmakers", "a committee", "a briefing"]),
             "reviewed": rng.choice(["reviewed", "examined", "audited", "reconsidered"])}
    return " ".join(rng.choice(part).format(**slots) for part in (OPENERS, MIDDLES, ENDINGS))


def _surnames_after_first(text: str) -> str:
    """News style: a person's title and full name at the first mention, the surname alone after."""
    seen: set[str] = set()

    def shorten(m: re.Match[str]) -> str:
        if m.group(0) in seen:
            return m.group(2)
        seen.add(m.group(0))
        return m.group(0)

    return _PERSON.sub(shorten, text)


def article(rng: random.Random, p: dict[str, Pool], index: int, size: tuple[int, int] = (2000, 8000)) -> dict[str, str]:
    """One original wire-style story: title, publisher, date, byline and a 2-8 KB body."""
    day = START + dt.timedelta(days=rng.randrange(DAYS))
    publisher, credit = rng.choice(WIRES) if rng.random() < 0.6 else (rng.choice(OUTLETS), "")
    target = rng.randint(*size)
    paras: list[str] = []
    size = 0
    while size < target:
        pool = _sentences(rng, p, day) + [_background(rng, p, day) for _ in range(3)]
        para = " ".join(rng.sample(pool, rng.randint(2, 4)))
        paras.append(para)
        size += len(para) + 2
    paras = _surnames_after_first("\n\n".join(paras)).split("\n\n")
    buyer = paras[0].split(" signed")[0] if " signed" in paras[0] else p["country"].draw(rng)
    city = rng.choice(CITIES)
    lead = f"{city} ({credit}) - " if credit else f"{city} - "
    paras[0] = lead + paras[0]
    return {
        "title": f"{buyer[:60]} moves ahead with defense purchase (report {index})",
        "publisher": publisher,
        "published": day.isoformat(),
        "byline": " ".join(p["person"].draw(rng).split(" ")[-2:]),
        "text": "\n\n".join(paras),
    }


def near_duplicate(rng: random.Random, original: dict[str, str]) -> dict[str, str]:
    """Another outlet's lightly edited copy of a story: a new title, a paragraph dropped, a word
    changed, a sentence naming the outlet and the day added, so two copies of one story differ in
    text whenever they differ at all (an ETL keys articles by their cleaned text: two copies with
    the same text and another outlet would be one article). The sentence ends a paragraph of
    prose, since a cleaner drops a credit line standing alone as site furniture."""
    paras = original["text"].split("\n\n")
    if len(paras) > 3:
        del paras[rng.randrange(1, len(paras))]
    paras[-1] = paras[-1].replace(" the ", " this ", 1)
    day = dt.date.fromisoformat(original["published"]) + dt.timedelta(days=rng.randint(0, 2))
    publisher = rng.choice(OUTLETS)
    paras[-1] += f" {publisher} carried this report on {day:%B} {day.day}."
    return {**original, "title": "Copy: " + original["title"], "publisher": publisher,
            "published": day.isoformat(), "text": "\n\n".join(paras)}


def stories(count: int, seed: int = 7, size: tuple[int, int] = (2000, 8000)):
    """``count`` stories in order: originals, near-duplicates (~8%) and exact duplicates (~2%)."""
    rng = random.Random(seed)
    p = pools()
    recent: list[dict[str, str]] = []
    for i in range(count):
        roll = rng.random()
        if recent and roll < 0.02:
            yield dict(rng.choice(recent))
        elif recent and roll < 0.10:
            yield near_duplicate(rng, rng.choice(recent))
        else:
            story = article(rng, p, i, size)
            recent = [*recent, story][-200:]
            yield story


def _txt(story: dict[str, str]) -> str:
    return (f"{story['title']}\n\n{story['publisher']}\nPosted: {dt.date.fromisoformat(story['published']):%b %d, %Y}"
            f"\n\nBy {story['byline']}\n\n{story['text']}\n")


def _html(story: dict[str, str]) -> str:
    body = "".join(f"<p>{html.escape(para)}</p>\n" for para in story["text"].split("\n\n"))
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{html.escape(story['title'])} | {html.escape(story['publisher'])}</title>"
        f"<meta property=\"og:title\" content=\"{html.escape(story['title'])}\">"
        f"<meta property=\"og:site_name\" content=\"{html.escape(story['publisher'])}\">"
        f"<meta property=\"article:published_time\" content=\"{story['published']}T08:00:00Z\">"
        f"<meta name=\"author\" content=\"{html.escape(story['byline'])}\"></head>\n<body>"
        "<nav><a href=\"/\">Home</a> <a href=\"/world\">World</a></nav>\n"
        f"<article><h1>{html.escape(story['title'])}</h1>\n{body}</article>"
        "<footer>Subscribe to our newsletter</footer></body></html>\n"
    )


def distinct_stories(count: int, seed: int = 7, size: tuple[int, int] = (2000, 8000)) -> int:
    """How many of the ``count`` stories are not exact duplicates (the articles a load keeps)."""
    return len({json.dumps(s, sort_keys=True) for s in stories(count, seed, size)})


def generate(out: Path, count: int, seed: int = 7, size: tuple[int, int] = (2000, 8000)) -> list[Path]:
    """Write ``count`` articles under ``out`` (about 70% .txt, 15% .html, 15% in .jsonl feeds)."""
    out.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    feed: list[str] = []

    def flush() -> None:
        if feed:
            path = out / f"feed_{len(files):07d}.jsonl"
            path.write_text("\n".join(feed) + "\n")
            files.append(path)
            feed.clear()

    for i, story in enumerate(stories(count, seed, size)):
        # the format follows from the story, so an exact duplicate is an identical document
        roll = int(hashlib.sha256(story["text"].encode()).hexdigest()[:8], 16) / 2**32
        if roll < 0.15:
            feed.append(json.dumps(story, ensure_ascii=False))
            if len(feed) == JSONL_LINES:
                flush()
            continue
        path = out / (f"art_{i:07d}.html" if roll < 0.30 else f"art_{i:07d}.txt")
        path.write_text(_html(story) if path.suffix == ".html" else _txt(story))
        files.append(path)
    flush()
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    files = generate(args.out, args.count, args.seed)
    size = sum(f.stat().st_size for f in files) / 1e6
    print(f"wrote {args.count} articles in {len(files)} files ({size:.1f} MB) to {args.out}")


if __name__ == "__main__":
    main()
