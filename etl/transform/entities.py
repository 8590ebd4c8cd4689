"""Entity mentions of one article: gazetteer matches, discovered entities, in-article resolution.

Order of work: (1) Aho-Corasick gazetteer matches; (2) discovery rules, a discovered span replacing
the gazetteer matches it strictly contains ("Northrop Group" over "Northrop", "Rafael Correa" over
"Rafael"); discovered names are resolved to curated entities where possible (method ``fuzzy``);
(3) acronyms defined in the article ("... Corp. (CPMIEC)", "..., known as Norinco") then resolve
later occurrences (``acronym`` / ``alias``); a discovered long form whose acronym the gazetteer knows
("Secretariat of National Defense (SEDENA)") becomes that curated entity; (4) bare family names
resolve to a person introduced in the article, the nearest preceding one first ("Panetta",
"Mr. Mora", "Gen. Guo"; method ``surname``). Besides the last word, the first surname of a
Hispanic-style name of 3+ words counts ("Ponce" for "Javier Ponce Cevallos"), and the first word of a
name whose last word is a hyphenated given name ("Kim" for "Kim Hong-kyung"); (5) further occurrences
of discovered names are tagged too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from etl.records import EntityRef, MentionRec, Span
from etl.reference.entity_lexicon import Lexicon, load_lexicon
from etl.reference.gazetteer import FAMILY_NAME_FIRST, Entity, Gazetteer, name_key
from etl.transform.bodies import bind_bodies
from etl.transform.discovery import Candidate, Known, acronym_definitions, discover
from etl.transform.matching import fold, is_acronym, matcher_for
from etl.transform.metonyms import capital_mentions
from etl.transform.name_tokens import is_name_word, token_index
from etl.transform.regex_prefilter import compile_scanner
from etl.transform.resolution import entity_split, resolve_name, resolve_person, split_person

_KNOWN_AS = compile_scanner(
    r"(?:,\s+|\s+\()(?:also\s+|better\s+|commonly\s+|locally\s+)?(?:known\s+as|a\.?k\.?a\.?)\s+"
    r"(?P<alias>[A-Z][\w&.'-]*(?:\s+[A-Z][\w&.'-]*){0,3})"
)
# "Lockheed Martin Aeronautics", "Saab Australia", "Iveco Latin America": a known company's unit
_UNIT_TAIL = compile_scanner(
    r"(?:[ ](?:[A-Z][\w&-]*))??[ ](?:Aeronautics|Aeronautica|Aeronáutica|Defence|Defense|Land[ ]Systems|Naval[ ]Systems"
    r"|Helicopters|Missiles|Australia|UK|USA|Canada|India|Brasil|Brazil|Latin[ ]America|Asia|Europe|Middle[ ]East)"
    r"(?:[ ](?:Australia|UK|USA|Canada|India|Brasil|Brazil|Latin[ ]America|Asia|Europe))?(?![\w-])"
)
# "the Obama administration", "the Morrison Government": the leader the government is named after
_GOVERNMENT_OF = compile_scanner(r"\b([A-Z][a-z]+(?:-[A-Z][a-z]+)?) (?:[Aa]dministration|[Gg]overnment)\b")
_OWNER_GAP = compile_scanner(r"(?:\s+[a-z]+){0,2}")


_SURNAME_PREFIXES = frozenset({"san", "santa", "santo", "sao", "mac", "mc", "st.", "saint"})


def family_keys_of(name: str, lex: Lexicon) -> set[str]:
    """Keys of the bare family names that may refer to the person named ``name`` (as written):

    * the last word ("Panetta"), or the last two after a prefix ("Rocío San Miguel" -> "san miguel");
    * a compound surname with particles from the word before the first particle, whole and by its first
      and last words ("Cristina Fernández de Kirchner" -> "fernandez de kirchner", "fernandez",
      "kirchner"; "Luiz Inácio Lula da Silva" -> "lula da silva", "lula", "silva");
    * Hispanic given names + paternal + maternal surname: the paternal one, alone and with the
      maternal ("Ollanta Humala Tasso" -> "humala", "humala tasso"), unless it is a common given name
      ("Juan Manuel Santos" is never "Manuel");
    * the first word when the last is a hyphenated given name ("Kim Hong-kyung" -> "kim").
    """
    words = name.split()
    if len(words) < 2:
        return set()
    low = [w.lower() for w in words]
    out: set[str] = set()
    first_particle = next((i for i in range(1, len(words) - 1) if low[i] in lex.particles), None)
    if first_particle is not None:
        start = first_particle
        if first_particle > 1 and not lex.is_given_name(words[first_particle - 1]):
            start = first_particle - 1
        block = words[start:]
        core = [w for w in block if w.lower() not in lex.particles]
        out.add(name_key(" ".join(block)))
        out |= {name_key(core[0]), name_key(core[-1])} if core else set()
        return {k for k in out if len(k) > 1}
    merged: list[str] = []  # "San Miguel" is one surname
    for w in words:
        if merged and merged[-1].lower() in _SURNAME_PREFIXES:
            merged[-1] += " " + w
        else:
            merged.append(w)
    out.add(name_key(merged[-1]))
    if len(merged) >= 3:
        second = merged[-2]
        if len(second) > 2 and second[0].isupper() and not second.endswith(".") and not lex.is_given_name(second):
            out |= {name_key(second), name_key(f"{second} {merged[-1]}")}
    if len(merged) == 2 and "-" in merged[-1] and merged[-1].split("-")[1][:1].islower():
        out.add(name_key(merged[0]))
    return {k for k in out if len(k) > 1}


def extract_mentions(body: str, gazetteer: Gazetteer, lexicon: Lexicon | None = None) -> list[MentionRec]:
    """All entity mentions in ``body`` (non-overlapping), sorted by span."""
    return _Article(body, gazetteer, lexicon or load_lexicon()).run()


class _Article:
    def __init__(self, body: str, gazetteer: Gazetteer, lex: Lexicon) -> None:
        self.body, self.gaz, self.lex = body, gazetteer, lex
        self.ix = token_index(body)
        self.ms: list[MentionRec] = []

    def run(self) -> list[MentionRec]:
        matches = matcher_for(self.gaz, self.lex).find(self.body)
        for m in matches:
            self._add(m.start, m.end, m.entity.ref, m.method, "curated", m.entity.country)
        known = [
            Known(
                m.start,
                m.end,
                m.entity.type,
                m.entity.country,
                m.method == "demonym" or "." in self.body[m.start : m.end],
            )
            for m in matches
        ]
        candidates = discover(self.body, self.ix, known, self.lex)
        for cand in sorted(candidates, key=lambda c: (c.start - c.end, c.start)):
            self._accept(cand)
        self._subsidiaries()
        self._definitions()
        self._state_units()
        self.ms = bind_bodies(self.body, self.ms, self.gaz, self.lex)
        self.ms = capital_mentions(self.body, self.ms, self.gaz, self.lex)
        self._surnames()
        self._leaders()
        self._propagate()
        self._one_class_one_entity()
        return sorted(self.ms, key=lambda m: (m.span.start, m.span.end))

    # ---------------------------------------------------------------- bookkeeping
    def _add(
        self, start: int, end: int, ref: EntityRef, method: str, origin: str, country: str | None
    ) -> None:
        surface = self.body[start:end]
        self.ms.append(MentionRec(Span(start, end), surface, ref, method, origin, country))  # type: ignore[arg-type]

    def _overlapping(self, start: int, end: int) -> list[MentionRec]:
        return [m for m in self.ms if m.span.start < end and start < m.span.end]

    def _entity(self, ref: EntityRef) -> Entity | None:
        return self.gaz.get(ref.name, ref.entity_type)

    # ---------------------------------------------------------------- discovered candidates
    def _accept(self, cand: Candidate) -> None:
        inside = self._overlapping(cand.start, cand.end)
        if inside:
            contained = all(cand.start <= m.span.start and m.span.end <= cand.end for m in inside)
            longer = all(m.span.end - m.span.start < cand.end - cand.start for m in inside)
            if cand.entity_type == "person":
                absorbable = all(
                    m.entity.entity_type == "organization" and " " not in m.surface for m in inside
                )
            elif cand.entity_type == "weapon_system":  # "P-8A Poseidon" over "Poseidon", "F-16 Block 52"
                absorbable = cand.rule != "class" and all(m.entity.entity_type == "weapon_system" for m in inside)
            else:
                absorbable = all(m.origin == "curated" for m in inside)
            if not (contained and longer and absorbable):
                return
            self.ms = [m for m in self.ms if m not in inside]
        ref, method, origin, country = self._resolve(cand)
        self._add(cand.start, cand.end, ref, method, origin, country)

    def _resolve(self, cand: Candidate) -> tuple[EntityRef, str, str, str | None]:
        if cand.entity_type == "person":
            if " " in cand.name:  # one-word names are resolved later, as family names
                ref = resolve_person(cand.name, self.gaz, self._persons())
                if ref is not None:
                    entity = self._entity(ref)
                    origin = "curated" if entity else "discovered"
                    return ref, "fuzzy", origin, entity.country if entity else cand.country_code
        else:
            # a variant is a system of its own (the gold's convention: "F-16C" beside "F-16")
            entity = resolve_name(cand.name, cand.entity_type, self.gaz, variants=False)
            if entity is not None:
                return entity.ref, "fuzzy", "curated", entity.country
        return EntityRef(cand.name, cand.entity_type), "discovered", "discovered", cand.country_code

    def _persons(self) -> list[tuple[EntityRef, tuple[list[str], str]]]:
        out = []
        for m in self.ms:
            if m.entity.entity_type == "person" and " " in m.entity.name:
                entity = self._entity(m.entity)
                out.append((m.entity, entity_split(entity) if entity else split_person(m.entity.name)))
        return out

    # ---------------------------------------------------------------- units of companies, leaders' governments
    def _subsidiaries(self) -> None:
        for m in list(self.ms):
            if m.origin != "curated" or m.entity.entity_type != "organization":
                continue
            tail = _UNIT_TAIL.match(self.body, m.span.end)
            after = re.match(r" ([A-Za-z]+)", self.body[tail.end() : tail.end() + 30]) if tail else None
            if tail is None or (after is not None and after[1].lower() in self.lex.head_words):
                continue  # not "Boeing Defense Secretary"
            inside = self._overlapping(m.span.end, tail.end())
            if any(o.entity.entity_type not in ("country", "organization") for o in inside):
                continue
            self.ms = [o for o in self.ms if o is not m and o not in inside]
            name = self.body[m.span.start : tail.end()]
            known = resolve_name(name, "organization", self.gaz)
            if known is not None and known.name != m.entity.name:
                self._add(m.span.start, tail.end(), known.ref, "fuzzy", "curated", known.country)
            else:
                ref = EntityRef(name, "organization")
                self._add(m.span.start, tail.end(), ref, "discovered", "discovered", m.country_code)

    def _state_units(self) -> None:
        """A discovered "armed group" opening with a state body's name or acronym ("LAF Logistics Brigade")
        is a unit of that body."""
        bodies = {m.surface for m in self.ms if m.entity.entity_type == "government_body"}
        retyped: dict[EntityRef, EntityRef] = {}
        for m in self.ms:
            if m.origin == "discovered" and m.entity.entity_type == "armed_group" and m.surface.split()[0] in bodies:
                retyped[m.entity] = EntityRef(m.entity.name, "government_body")
        self.ms = [
            MentionRec(m.span, m.surface, retyped[m.entity], m.method, m.origin, m.country_code)
            if m.entity in retyped
            else m
            for m in self.ms
        ]

    def _leaders(self) -> None:
        if "dministration" not in self.body and "overnment" not in self.body:
            return
        for occ in _GOVERNMENT_OF.finditer(self.body):
            start, end = occ.span(1)
            if self._overlapping(start, end):
                continue
            persons = self.gaz.persons_with_family_name(occ[1], parts=False)
            if len(persons) == 1:
                e = persons[0]
                self._add(start, end, e.ref, "surname", "curated", e.country)

    # ---------------------------------------------------------------- acronyms and "known as"
    def _definitions(self) -> None:
        defined: dict[str, MentionRec] = {}
        for m in acronym_definitions(self.body, self.lex):
            owner = self._mention_ending_at(m.start() - 1) or self._mention_ending_at(m.start())
            if owner is not None and owner.entity.entity_type != "person":
                owner = self._curated_acronym_owner(owner, m.start("acr"), m.end("acr"))
                defined.setdefault(m["acr"], owner)
        for m in _KNOWN_AS.finditer(self.body):
            owner = next(
                (
                    o
                    for o in self.ms
                    if o.span.end <= m.start() and _OWNER_GAP.fullmatch(self.body[o.span.end : m.start()])
                ),
                None,
            )
            alias = m["alias"].rstrip(".") if m["alias"].count(".") == 1 else m["alias"]
            if owner is not None:
                defined.setdefault(alias, owner)
        for alias, owner in defined.items():
            method = "acronym" if is_acronym(alias) else "alias"
            for occ in re.finditer(rf"(?<![\w.-]){re.escape(alias)}(?![\w]|-\d)", self.body):
                self._place(occ.start(), occ.end(), owner, method)

    def _curated_acronym_owner(self, owner: MentionRec, start: int, end: int) -> MentionRec:
        """A discovered long form followed by an acronym the gazetteer knows is that entity: every
        mention of the discovered name is rebound to it."""
        known = next(
            (m for m in self.ms if (m.span.start, m.span.end) == (start, end) and m.origin == "curated"), None
        )
        org_types = ("organization", "government_body", "armed_group", "program")
        if (
            owner.origin != "discovered"
            or known is None
            or known.entity.entity_type not in org_types
            or owner.entity.entity_type not in org_types
        ):
            return owner
        old = owner.entity
        for i, m in enumerate(self.ms):
            if m.entity == old:
                self.ms[i] = MentionRec(m.span, m.surface, known.entity, "acronym", "curated", known.country_code)
        return known

    def _mention_ending_at(self, end: int) -> MentionRec | None:
        return next((m for m in self.ms if m.span.end == end), None)

    def _place(self, start: int, end: int, owner: MentionRec, method: str) -> None:
        """Tag [start, end) as ``owner``'s entity unless a longer or same-entity mention is there."""
        there = self._overlapping(start, end)
        if any(m.entity == owner.entity or (m.span.start, m.span.end) != (start, end) for m in there):
            return
        self.ms = [m for m in self.ms if m not in there]
        self._add(start, end, owner.entity, method, owner.origin, owner.country_code)

    # ---------------------------------------------------------------- surnames
    def _surnames(self) -> None:
        people, firsts = self._introduced()
        # one-word names found after titles ("Gen. Guo", "Mr. Mora") become the introduced person;
        # the first word also counts there, for family-name-first names the gazetteer does not know
        for m in list(self.ms):
            if m.entity.entity_type == "person" and m.origin == "discovered" and " " not in m.entity.name:
                key = name_key(m.entity.name)
                target = self._nearest(people.get(key, []), m.span.start)
                target = target or self._nearest(firsts.get(key, []), m.span.start)
                target = target or self._gazetteer_person(m.entity.name)
                if target is not None:
                    self.ms.remove(m)
                    self._add(
                        m.span.start, m.span.end, target.entity, "surname", target.origin, target.country_code
                    )
        if not people:
            return
        pattern = "|".join(re.escape(f) for f in sorted(people, key=len, reverse=True))
        folded = fold(self.body)  # accent-insensitive, same offsets
        for occ in re.finditer(rf"(?<![\w.-])(?:{pattern})(?![\w])", folded, flags=re.IGNORECASE):
            start, end = occ.start(), occ.end()
            if (
                not self.body[start].isupper()
                or self._overlapping(start, end)
                or self._inside_other_name(start, end)
            ):
                continue
            target = self._nearest(people[occ.group().lower()], start)
            if target is not None:
                self._add(start, end, target.entity, "surname", target.origin, target.country_code)

    def _introduced(self) -> tuple[dict[str, list[MentionRec]], dict[str, list[MentionRec]]]:
        """Family-name key -> multi-word person mentions; first-word key -> discovered ones."""
        out: dict[str, list[MentionRec]] = {}
        firsts: dict[str, list[MentionRec]] = {}
        for m in self.ms:
            if m.entity.entity_type != "person" or " " not in m.entity.name:
                continue
            entity = self._entity(m.entity)
            own = split_person(m.entity.name, country=m.country_code)  # "Liang Guanglie" (CN) -> "liang"
            families = set(entity.family_keys) if entity else set()
            if entity is None and m.country_code in FAMILY_NAME_FIRST:
                families.add(own[1])
            elif entity is None or entity.surname is None:
                families |= family_keys_of(m.surface, self.lex)
            for fam in families:
                if len(fam) > 1:
                    out.setdefault(fam, []).append(m)
            if entity is None:
                firsts.setdefault(name_key(m.entity.name).split()[0], []).append(m)
        return out, firsts

    @staticmethod
    def _nearest(candidates: Iterable[MentionRec], offset: int) -> MentionRec | None:
        cands = list(candidates)
        before = [m for m in cands if m.span.start < offset]
        if before:
            return max(before, key=lambda m: m.span.start)
        return min(cands, key=lambda m: m.span.start) if cands else None

    def _gazetteer_person(self, family: str) -> MentionRec | None:
        # only a whole family name: "Gen. Perez" is no Otto Perez Molina, "President Fernandez" no Kirchner
        persons = self.gaz.persons_with_family_name(family, parts=False)
        if len(persons) != 1:
            return None
        e = persons[0]
        return MentionRec(Span(0, 0), "", e.ref, "surname", "curated", e.country)

    def _inside_other_name(self, start: int, end: int) -> bool:
        """A family name glued to another name word ("Sylvia Panetta") belongs to someone else."""
        i = self.ix.at(start)
        toks = self.ix.toks
        prev_name = (
            i > 0
            and self.ix.glued(i - 1, i)
            and is_name_word(toks[i - 1], self.lex)
            # a capitalized sentence opener ("Later Fernandez left") is no name unless a given name
            and (not self._sentence_initial(i - 1) or self.lex.is_given_name(toks[i - 1].text))
        )
        j = self.ix.before(end)
        next_name = j + 1 < len(toks) and self.ix.glued(j, j + 1) and is_name_word(toks[j + 1], self.lex)
        return bool(prev_name or next_name)

    def _sentence_initial(self, i: int) -> bool:
        if i == 0:
            return True
        gap = self.body[self.ix.toks[i - 1].end : self.ix.toks[i].start]
        return bool(re.search(r"[.!?:;\n\"“”(]", gap)) or self.ix.toks[i - 1].text.endswith(".")

    def _one_class_one_entity(self) -> None:
        """ "Anzac-class frigates ... the Anzac-class vessels": one class, named as first."""
        first: dict[str, EntityRef] = {}
        for i, m in enumerate(self.ms):
            name = m.entity.name
            if m.origin != "discovered" or m.entity.entity_type != "weapon_system" or "-class" not in name:
                continue
            ref = first.setdefault(name.split("-class")[0], m.entity)
            if ref != m.entity:
                self.ms[i] = MentionRec(m.span, m.surface, ref, m.method, m.origin, m.country_code)

    # ---------------------------------------------------------------- repeats of discovered names
    def _propagate(self) -> None:
        seen: dict[str, MentionRec] = {}
        for m in self.ms:
            if m.origin == "discovered" and m.method == "discovered" and len(m.surface) > 2:
                seen.setdefault(m.surface, m)
        body = self.body
        for surface, owner in seen.items():
            start = body.find(surface)
            while start >= 0:  # str.find and a boundary check: cheaper than a regex per surface
                end = start + len(surface)
                before, after = body[start - 1 : start], body[end : end + 2]
                whole = not (before.isalnum() or before in ("_", ".", "-")) and not (
                    after[:1].isalnum() or after[:1] == "_" or (after[:1] == "-" and after[1:2].isdigit())
                )
                if (
                    whole
                    and not (owner.entity.entity_type == "person" and self._inside_other_name(start, end))
                    and not self._overlapping(start, end)
                ):
                    self._add(start, end, owner.entity, "discovered", "discovered", owner.country_code)
                start = body.find(surface, start + 1)
