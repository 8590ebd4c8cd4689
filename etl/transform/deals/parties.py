"""Actors (parties) named in a stretch of an article, with their countries.

A party is a state (country, government body, or a demonym + state noun such as "Peruvian
army"), a named company (an organization mention, or an uncovered proper name ending in Group,
Corp., Systems ... or followed by "consortium"), or a descriptive company ("a Chinese company").
Countries come from a possessive or demonym right before the name ("Israel’s Rafael", "the Polish
Bumar Group", "U.S. defense manufacturer Northrop Grumman"), the mention's own country code, a
country name inside the company name ("China North Industries"), an appositive group ("Chinese
companies - A and B -"), or an earlier mention of the same entity in the article. A proper name the
gazetteer does not know is a company when a country qualifies it as one: "Germany's Fassmer",
"the Dutch shipbuilder Damen" (not a title, month or person, and not followed by an item noun:
"France's Rafale jets" names a weapon).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from etl.records import EntityRef, MentionRec, Span
from etl.reference.lexicons import DealLexicon
from etl.transform.regex_prefilter import compile_scanner
from etl.transform.textrel import ACTOR_TYPES, code_for_name, country_code, mentions_in, start_index

_ORG_SUFFIX = (
    r"Group|Corp\.?|Corporation|Company|Co\.|Inc\.?|Ltd\.?|Systems|Industries|Technologies|Aerospace|"
    r"Dynamics|Holdings?|Consortium|Shipyards?|Enterprises|Electronics"
)
_UNCOVERED_ORG = compile_scanner(
    rf"\b((?:[A-Z][\w&’'-]*\s+){{0,4}}(?:{_ORG_SUFFIX}))(?!\w)|\b([A-Z][\w&-]+(?:\s+[A-Z][\w&-]+)?\s+consortium)\b"
)
_COMMON_FIRST = {
    "the",
    "china",
    "national",
    "general",
    "united",
    "state",
    "defense",
    "defence",
    "international",
    "american",
    "chinese",
    "russian",
    "a",
    "an",
    "new",
    "royal",
    "federal",
}
_DEAL_NOUNS = r"deals?|contracts?|purchases?|sales?|tenders?|orders?|acquisitions?|packages?|programm?e?s?|upgrades?"
_ALIAS_GAP = compile_scanner(r"^\s*(?:,\s*)?(?:(?:also\s+)?known\s+as|or|\(|dubbed|called)\s*$")
_NP_LEAD = compile_scanner(
    r"(?<![\w’'-])((?:(?:a|an|the|two|three|four|several|other|some|state-owned|state-run|[\w]+-owned)\s+)*"
    r"(?:(?:consortium|group|number|team|pair|couple)\s+of\s+)?(?:(?:several|other|state-owned|state-run)\s+)*)$",
    re.IGNORECASE,
)
_DETERMINERS = compile_scanner(r"^(?:(?:a|an|the|two|three|four|several|other|some)\s+)+", re.IGNORECASE)
_NOT_COMPANY = {
    "the", "a", "an", "in", "on", "at", "for", "and", "but", "as", "president", "prime", "minister", "vice",
    "deputy", "defense", "defence", "foreign", "interior", "finance", "economy", "ministry", "army", "navy",
    "air", "armed", "national", "federal", "central", "state", "government", "congress", "senate",
    "parliament", "supreme", "court", "gen", "general", "adm", "admiral", "col", "colonel", "capt", "lt",
    "maj", "commander", "chief", "secretary", "mr", "mrs", "ms", "dr", "sen", "rep", "gov", "former",
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
}


@dataclass(slots=True)
class Party:
    """An actor found in the text."""

    entity: EntityRef
    country: str | None
    named: bool
    state: bool
    span: Span
    member: bool = False  # listed as a member of a consortium


class PartyFinder:
    """Finds parties in spans of one article; remembers entity countries and discovered names."""

    def __init__(self, body: str, mentions: Sequence[MentionRec], lex: DealLexicon) -> None:
        self.body = body
        self.mentions = list(mentions)
        self.starts = start_index(self.mentions)
        self.lex = lex
        self.discovered: dict[str, EntityRef] = {}
        self.org_country: dict[EntityRef, str] = {}
        desc = "|".join(re.escape(w) for w in sorted(lex.descriptor_words, key=len, reverse=True))
        nouns = sorted(lex.state_nouns + lex.company_nouns, key=len, reverse=True)
        self._desc_gap = compile_scanner(
            rf"^(?:[’']s)?(?:\s*[-‐]\s*|\s+)?(?:(?:{desc})\s+){{0,3}}$", re.IGNORECASE
        )
        self._actor_noun = compile_scanner(
            rf"(?:[’']s)?\s+(?:(?:{desc})\s+){{0,2}}?({'|'.join(re.escape(n) for n in nouns)})\b",
            re.IGNORECASE,
        )
        self._made = compile_scanner(lex.made_suffix, re.IGNORECASE)
        self._bodies = compile_scanner(lex.state_bodies)
        company = "|".join(re.escape(n) for n in sorted(lex.company_nouns, key=len, reverse=True))
        heads = "|".join(re.escape(h) for h in sorted(lex.item_heads, key=len, reverse=True))
        # "Germany's Fassmer" (possessive) or "the Dutch shipbuilder Damen" (a company noun between)
        # not a weapon ("France's Rafale jets", "Argentina's Mirage deal with Spain")
        name = (
            rf"([A-Z][\w&-]+(?:\s+[A-Z][\w&-]+){{0,2}})(?![\w’'-])"
            rf"(?!\s+(?:\d|(?i:{heads}|{_DEAL_NOUNS})\b))"
        )
        self._after_possessive = compile_scanner(rf"\s+(?i:(?:{desc})\s+){{0,3}}?{name}")
        self._after_noun = compile_scanner(rf"\s+(?i:(?:{desc})\s+){{0,2}}?(?i:{company}|shipbuilder)\s+{name}")
        self._surnames = {
            m.entity.name.split()[-1].lower() for m in self.mentions if m.entity.entity_type == "person"
        }
        self._state_nouns = {n.lower() for n in lex.state_nouns}
        self._consortium = compile_scanner(
            rf"\bconsortium\s+(?:{'|'.join(lex.consortium_links)})\s+", re.IGNORECASE
        )
        self._org_first = {
            w: m.entity
            for m in self.mentions
            if m.entity.entity_type == "organization"
            and (w := _first_word(m.entity.name)) not in _COMMON_FIRST
        }
        for i, m in enumerate(self.mentions):
            if m.entity.entity_type in ACTOR_TYPES and m.entity not in self.org_country:
                prev = self.mentions[i - 1] if i else None
                code = self._local_country(m.span, m, prev)
                if code:
                    self.org_country[m.entity] = code

    # -- countries -------------------------------------------------------------------------------
    def _local_country(self, span: Span, m: MentionRec | None, prev: MentionRec | None) -> str | None:
        if prev is not None and prev.entity.entity_type == "country" and self.modifies(prev, span):
            return country_code(prev)
        if m is not None:
            if code := country_code(m):
                return code
            return _name_country(m.entity.name)
        return _name_country(self.body[span.start : span.end])

    def modifies(self, country: MentionRec, span: Span) -> bool:
        """True when a country mention qualifies the actor at ``span`` ("Israel’s Rafael")."""
        gap = self.body[country.span.end : span.start]
        return country.span.end <= span.start and len(gap) <= 40 and bool(self._desc_gap.match(gap))

    def made_in(self, m: MentionRec) -> bool:
        """True for "Chinese-made", "Soviet-built" ..."""
        return m.entity.entity_type == "country" and bool(self._made.match(self.body, m.span.end))

    # -- parties ---------------------------------------------------------------------------------
    def parties(self, start: int, end: int, every: bool = False) -> list[Party]:
        """Parties in ``[start, end)``, in text order, one per entity (at its first mention), or every
        mention with ``every`` ("France and Brazil sealed a pact under which Brazil will buy")."""
        ms = mentions_in(self.mentions, start, end, self.starts)
        unnamed = [Span(h.start(), h.end()) for h in self._uncovered_hits(start, end, ms)]
        out: list[Party] = []
        appos_code: str | None = None
        appos_end = -1
        for i, m in enumerate(ms):
            nxt = ms[i + 1] if i + 1 < len(ms) else None
            et = m.entity.entity_type
            if et == "country":
                named = self._company_after(m, end, ms)
                if named is not None:
                    out.append(named)
                    continue
                actor = nxt.span if nxt is not None and nxt.entity.entity_type in ACTOR_TYPES else None
                actor = next((u for u in unnamed if u.start >= m.span.end), actor) if actor is None else actor
                if (actor is not None and self.modifies(m, actor)) or self.made_in(m):
                    continue
                code = country_code(m)
                noun = self._actor_noun.match(self.body, m.span.end, end)
                if noun and noun.group(1).lower() in self._state_nouns:
                    out.append(Party(m.entity, code, True, True, Span(m.span.start, noun.end())))
                elif noun:
                    np_end = noun.end()
                    if re.match(
                        r"\s*(?:[-–—:(]|,\s*(?:including|namely|such\s+as)\b)",
                        self.body[np_end : np_end + 20],
                    ):
                        appos_code = code
                        close = re.search(r"\s[-–—)]\s|$", self.body[np_end + 3 : end])
                        appos_end = np_end + 3 + (close.start() if close else 0)
                        continue
                    lead = _NP_LEAD.search(self.body, max(start, m.span.start - 60), m.span.start)
                    np_start = lead.start(1) if lead else m.span.start
                    name = _DETERMINERS.sub("", self.body[np_start:np_end]).strip()
                    out.append(
                        Party(EntityRef(name, "organization"), code, False, False, Span(np_start, np_end))
                    )
                elif (
                    m.method != "demonym"
                    or re.match(r"[’']s", self.body[m.span.end : m.span.end + 2])
                    or re.search(r"[’']s$", m.surface)
                ):
                    out.append(Party(m.entity, code, True, True, m.span))
            elif et in ACTOR_TYPES:
                prev = ms[i - 1] if i else None
                if (
                    prev is not None
                    and prev.entity.entity_type in ACTOR_TYPES
                    and _ALIAS_GAP.match(self.body[prev.span.end : m.span.start])
                ):
                    continue
                code = self._local_country(m.span, m, prev) or (
                    appos_code if m.span.start < appos_end else None
                )
                code = code or self.org_country.get(m.entity)
                if code:
                    self.org_country.setdefault(m.entity, code)
                out.append(Party(m.entity, code, True, et == "government_body", m.span))
        out.extend(self._uncovered(start, end, ms, appos_code, appos_end))
        out.extend(self._bare_bodies(start, end, ms, out))
        out.sort(key=lambda p: p.span.start)
        self._mark_members(out, start, end)
        if every:
            return out
        seen: dict[EntityRef, Party] = {}
        for p in out:
            if p.entity in seen:
                seen[p.entity].member = seen[p.entity].member or p.member
            else:
                seen[p.entity] = p
        return list(seen.values())

    def _bare_bodies(self, start: int, end: int, ms: Sequence[MentionRec], found: list[Party]) -> list[Party]:
        """A state body named without its state ("the Defense Ministry signed", "the Air Force awarded"):
        a party acting for a state the text leaves implicit (the deal's buyer settles its country)."""
        out = []
        for b in self._bodies.finditer(self.body, start, end):
            span = Span(b.start(1), b.end(1))
            if any(x.span.start < span.end and span.start < x.span.end for x in ms) or any(
                p.span.start < span.end and span.start < p.span.end for p in found
            ):
                continue
            before = self.body[max(0, span.start - 25) : span.start]
            qualified = re.search(r"(?-i:[A-Z])[\w.]*(?:[’']s)?\s+$", before)
            if qualified and not re.search(r"(?:^|\s)(?:The|the)\s+$", before):
                continue  # "Royal Thai Navy", "Peru's Navy": a known state's own body
            if re.search(r"\b(?:Minister|Secretary|Chief|Commander|Chairman|Head)\s+of\s+(?:the\s+)?$", before):
                continue  # "the Minister of the Armed Forces": a title, not a party
            out.append(Party(EntityRef(b.group(1), "government_body"), None, True, True, span))
        return out

    def _company_after(self, m: MentionRec, end: int, ms: Sequence[MentionRec]) -> Party | None:
        """An unknown company named right after a country that qualifies it ("Germany's Fassmer")."""
        pos = m.span.end
        if re.search(r"[’']s$", m.surface):
            hit = self._after_possessive.match(self.body, pos, end)
        elif re.match(r"[’']s\b", self.body[pos : pos + 2]):
            hit = self._after_possessive.match(self.body, pos + 2, end)
        else:
            hit = self._after_noun.match(self.body, pos, end)
        if hit is None:
            return None
        span = Span(hit.start(1), hit.end(1))
        words = hit.group(1).split()
        if (
            words[0].lower().rstrip(".") in _NOT_COMPANY
            or any(x.span.start < span.end and span.start < x.span.end for x in ms)
            or words[-1].lower() in self._surnames
        ):
            return None
        ref = self.resolve_name(hit.group(1), register=True)
        code = country_code(m)
        if code:
            self.org_country.setdefault(ref, code)
        return Party(ref, code, True, False, span)

    def _uncovered_hits(self, start: int, end: int, ms: Sequence[MentionRec]) -> list[re.Match[str]]:
        """Proper names ending like a company ("Bumar Group") between the mentions of a span."""
        bounds = [start, *(x for m in ms for x in (m.span.start, m.span.end)), end]
        pairs = zip(bounds[::2], bounds[1::2], strict=True)
        return [h for a, b in pairs for h in _UNCOVERED_ORG.finditer(self.body, a, b)]

    def _uncovered(
        self, start: int, end: int, ms: Sequence[MentionRec], appos_code: str | None, appos_end: int
    ) -> list[Party]:
        out: list[Party] = []
        taken = [m.span for m in ms]
        for m in self._uncovered_hits(start, end, ms):
            g = 1 if m.group(1) else 2
            span = Span(m.start(g), m.end(g))
            name = re.sub(r"^The\s+", "", m.group(g))
            ref = self.resolve_name(name, register=True)
            prev = next((x for x in reversed(ms) if x.span.end <= span.start), None)
            code = self._local_country(span, None, prev) or (appos_code if span.start < appos_end else None)
            code = code or self.org_country.get(ref)
            out.append(Party(ref, code, True, False, span))
            taken.append(span)
        for m in re.finditer(r"\b[A-Z][\w&-]+\b", self.body[start:end]):
            span = Span(start + m.start(), start + m.end())
            if any(t.start < span.end and span.start < t.end for t in taken):
                continue
            key = m.group(0).lower()
            ref = self.discovered.get(key) or self._org_first.get(key)
            if ref is not None:
                out.append(Party(ref, self.org_country.get(ref), True, False, span))
        return out

    def resolve_name(self, name: str, register: bool = False) -> EntityRef:
        """A known entity whose first word matches ``name``'s ("the Northrop Group" -> Northrop Grumman)."""
        key = _first_word(name)
        if key not in _COMMON_FIRST:
            known = self.discovered.get(key) or self._org_first.get(key)
            if known is not None:
                return known
        ref = EntityRef(name, "organization")
        if register and key not in _COMMON_FIRST:
            self.discovered[key] = ref
        return ref

    def _mark_members(self, parties: list[Party], start: int, end: int) -> None:
        for link in self._consortium.finditer(self.body, start, end):
            members = [p for p in parties if p.span.start >= link.end() and p.named]
            if not members:
                continue
            for p in members:
                p.member = True

    def consortium_head(self, parties: Sequence[Party]) -> Party | None:
        """The named consortium itself ("the Triad consortium"), if listed among ``parties``."""
        return next(
            (p for p in parties if p.named and not p.member and "consortium" in p.entity.name.lower()), None
        )


def _first_word(name: str) -> str:
    words = re.findall(r"[\w&-]+", name.lower())
    words = [w for w in words if w not in {"the", "a", "an"}]
    return words[0] if words else ""


def _name_country(name: str) -> str | None:
    """Country named by the first word(s) of a company name ("China North Industries Corp." -> CN)."""
    words = name.split()
    for n in (2, 1):
        head = " ".join(words[:n])
        if len(words) > n and len(head) >= 4 and head[:1].isupper():
            code = code_for_name(head)
            if code:
                return code
    return None
