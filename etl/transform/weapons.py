"""Weapon systems found by shape (word lists in entity_lexicon.yaml), wherever they stand:

* designations: Mi-171Sh, C-27J, KT-1, MBT-2000, MBT 2000, T55, Su-25, F/A-18E/F, F-16Vs (plural cut),
  written as in the text ("M198", "S26T") unless spaced ("MBT 2000" -> "MBT-2000"); with a block or
  batch ("F-16 Block 52", "Su-30 Block 2") and a capitalized name after them ("P-8A Poseidon", "C-27J
  Spartan"); a designation before "tender", "program" ... names a program ("FX-2 tender");
* class names: "Kilo-class submarines", "Guardian Class Patrol Boat", "Formidable-class frigate" ->
  "<Name>-class <noun>" (the noun singular, modifiers such as "diesel" dropped);
* named ships after a navy prefix ("INS Kolkata", "HMAS Parramatta"); the name alone or with another
  hull number later in the article ("Parramatta", "Kolkata III") is that ship or its sister.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from etl.reference.entity_lexicon import Lexicon
from etl.transform.name_tokens import headline_and_byline_lines
from etl.transform.regex_prefilter import compile_scanner

_WEAPON = compile_scanner(
    r"(?<![\w$€£/.-])(?P<pre>[A-Z](?:/[A-Z])?[A-Za-z]{0,3})(?P<sep>[- ]?)(?P<num>\d{1,4})"
    r"(?P<suf>[A-Z][A-Za-z0-9]{0,4}(?:/[A-Z](?![a-z]))?)?(?P<tail>[-/]\d{1,3}[A-Z]?)?(?P<pl>s)?(?![\w]|-\d|\.\d|,\d)"
)
_BLOCK = compile_scanner(
    r"[ -](?:Block|Batch|Tranche|Flight)[ -]?(?:\d{1,3}[A-Z]?|[IVX]{1,4}|[A-Z](?:/[A-Z])?)(?![\w/])"
)
_NAME_AFTER = compile_scanner(r" ([A-Z][a-z]{2,}(?:-[A-Z]?[a-z]+)?)(?: ([A-Z][a-z]{2,}))?(?![\w'’-])")
_CLASS = compile_scanner(
    r"(?<![\w-])(?P<name>[A-Z][A-Za-z'’]*(?: [A-Z][A-Za-z'’]*){0,2})[- ](?:class|Class)(?![\w-])"
    r"(?P<noun>(?: [A-Za-z]+){1,3})?"
)
_PLURAL_SUFFIX = compile_scanner(r"[A-Z][A-Z0-9]*s")  # "Js" of "C-27Js", "MKs" of "Su-30MKs"; not "Sh" of "Mi-171Sh"
_YEAR = compile_scanner(r"^(1[89]|20)\d\d$")
_PROGRAM_NOUNS = frozenset({"tender", "program", "programme", "competition", "contest", "project", "bid"})
_ROMAN = r"(?:I{1,3}|IV|V|VI{1,3}|IX|X)"


@cache
def _stopwords(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(words) | {w.rstrip(".") for w in words}


@cache
def _ship_pattern(prefixes: tuple[str, ...]) -> re.Pattern[str]:
    alts = "|".join(re.escape(p) for p in sorted(set(prefixes), key=len, reverse=True))
    return compile_scanner(
        rf"(?<![\w-])(?:{alts}) (?P<name>[A-Z][a-z'’-]+(?: [A-Z][a-z'’-]+){{0,2}})(?: (?P<num>{_ROMAN}))?(?![\w-])"
    )


@dataclass(slots=True)
class Found:
    """A weapon (or program) span; ``alias_of`` names the ship a bare ship name refers to."""

    start: int
    end: int
    name: str
    kind: str  # weapon_system | program
    rule: str
    alias_of: str | None = None


class WeaponFinder:
    """Designations, class names and ship names of one body; ``covered(start, end)`` says whether a
    known entity (other than a weapon) already holds a span."""

    def __init__(
        self,
        body: str,
        lex: Lexicon,
        covered: Callable[[int, int], bool],
        headlines: list[tuple[int, int]] | None = None,
    ) -> None:
        self.body, self.lex, self.covered = body, lex, covered
        # "... in $2bn F-16 Deal": capitals in a Title Case headline prove nothing
        self.headlines = headline_and_byline_lines(body) if headlines is None else headlines
        self.stop = _stopwords(tuple(lex.name_stopwords))

    def run(self) -> list[Found]:
        return self.designations() + self.classes() + self.ships()

    # ---------------------------------------------------------------- designations
    def designations(self) -> list[Found]:
        out = []
        stops = self.lex.weapon_stop_prefixes
        for m in _WEAPON.finditer(self.body):
            pre, sep, num, suf = m["pre"], m["sep"], m["num"], m["suf"] or ""
            end = m.end() - len(m["pl"] or "")
            if not m["pl"] and not m["tail"] and _PLURAL_SUFFIX.fullmatch(suf):  # "C-27Js" are C-27Js
                suf, end = suf[:-1], end - 1
            block = _BLOCK.match(self.body, end) if not m["pl"] else None
            named = self._name_after(block.end() if block else end) if not m["pl"] else None
            stopped = pre in stops or pre.upper() in stops
            if stopped and not (len(pre) == 1 and sep == "-" and (named or self._weapon_noun_after(m.end()))):
                continue
            if sep == " " and not (pre.isupper() and len(pre) > 1 and self._weapon_noun_after(m.end())):
                continue
            if not sep and len(pre) == 1 and len(num) < 2:
                continue
            if sep != "-" and _YEAR.match(num) and not suf and not self._weapon_noun_after(m.end()):
                continue
            name = self.body[m.start() : end] if sep == "-" else f"{pre}-{num}{suf}{m['tail'] or ''}"
            if block:
                name, end = name + " " + block.group().strip(" -").replace("-", " "), block.end()
                if "Block  " in name:
                    name = name.replace("Block  ", "Block ")
            if named:
                word = named[0]
                if len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "es", "us")):
                    word = word[:-1]  # "P-3K2 Orions" is the P-3K2 Orion
                name, end = f"{name} {word}", named[1]
            kind = "program" if self._noun_after(end, _PROGRAM_NOUNS) else "weapon_system"
            out.append(Found(m.start(), end, name, kind, "designation"))
        return out

    def _name_after(self, offset: int) -> tuple[str, int] | None:
        """A capitalized system name right after a designation ("P-8A Poseidon"), not a known entity,
        stopword, month or organization word."""
        m = _NAME_AFTER.match(self.body, offset)
        if m is None or any(a <= offset < b for a, b in self.headlines):
            return None
        words = [w for w in (m[1], m[2]) if w]
        keep: list[str] = []
        end = offset
        for w in words:
            start = self.body.index(w, end)
            if (
                w in self.stop
                or w.lower() in self.lex.generic
                or w in self.lex.suffix_type
                or w.lower() in self.lex.weapon_nouns
                or w.lower() in self.lex.head_words
                or self.covered(start, start + len(w))
            ):
                break
            keep.append(w)
            end = start + len(w)
        if keep and (roman := re.match(rf" {_ROMAN}(?![\w-])", self.body[end : end + 6])):
            keep.append(roman.group().strip())  # "F-5 Tiger III"
            end += len(roman.group())
        return (" ".join(keep), end) if keep else None

    def _noun_after(self, offset: int, nouns: frozenset[str]) -> bool:
        words = re.findall(r"[\w-]+", self.body[offset : offset + 30].lower())[:1]
        return bool(words) and words[0] in nouns

    def _weapon_noun_after(self, offset: int) -> bool:
        words = re.findall(r"[\w-]+", self.body[offset : offset + 40].lower())[:3]
        return any(w in self.lex.weapon_nouns or w.split("-")[-1] in self.lex.weapon_nouns for w in words)

    # ---------------------------------------------------------------- class names
    def classes(self) -> list[Found]:
        out: list[Found] = []
        if "lass" not in self.body:
            return out  # no "class"/"Class": skip the scan
        nouns = self.lex.weapon_nouns
        for m in _CLASS.finditer(self.body):
            words = m["name"].split(" ")
            start = m.start()
            while words and (words[0] in self.stop or self.covered(start, start + len(words[0]))):
                start += len(words[0]) + 1
                words.pop(0)
            if not words:
                continue
            following = (m["noun"] or "").split()
            # the noun phrase: up to three words, ending at the last weapon noun ("patrol boats")
            last = max((i for i, w in enumerate(following) if w.lower() in nouns), default=-1)
            if last >= 0 and any(w[:1].isupper() for w in following[:last + 1]) and not all(
                w[:1].isupper() for w in following[: last + 1]
            ):
                last = -1  # "Kilo class Tuesday submarine" is no phrase
            if last >= 0:
                end = m.start("noun") + 1 + len(" ".join(following[: last + 1]))
            else:
                end = m.start("noun") if m["noun"] else m.end()
            head = following[last].lower() if last >= 0 else ""
            singular = head[:-1] if head.endswith("s") and head[:-1] in nouns else head
            mod = following[last - 1].lower() if last >= 1 else ""
            noun = f"{mod} {singular}" if mod in nouns and mod not in ("light", "main", "military") else singular
            name = f"{' '.join(words)}-class" + (f" {noun}" if noun else "")
            out.append(Found(start, end, name, "weapon_system", "class"))
        return out

    # ---------------------------------------------------------------- named ships
    def ships(self) -> list[Found]:
        prefixes = self.lex.ship_prefixes
        if not prefixes:
            return []
        if not any(p + " " in self.body for p in prefixes):
            return []  # most articles name no ship: skip the scan
        ship = _ship_pattern(tuple(prefixes))
        out: list[Found] = []
        bare: dict[str, str] = {}
        for m in ship.finditer(self.body):
            full = m.group()
            out.append(Found(m.start(), m.end(), full, "weapon_system", "ship"))
            bare[m["name"]] = full if not m["num"] else ""
        for name, full in bare.items():
            again = compile_scanner(rf"(?<![\w-]){re.escape(name)}(?: (?P<num>{_ROMAN}))?(?![\w-])")
            for m in again.finditer(self.body):
                if any(f.start <= m.start() < f.end for f in out):
                    continue
                if m["num"]:  # "Kolkata III": a sister ship
                    out.append(Found(m.start(), m.end(), m.group(), "weapon_system", "ship"))
                elif full and " " in name:  # "Parramatta" for "HMAS Parramatta"
                    out.append(Found(m.start(), m.end(), full, "weapon_system", "ship", alias_of=full))
        return out
