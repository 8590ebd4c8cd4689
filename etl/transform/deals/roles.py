"""Party roles: subjects, states standing for a capital, a leader or a government body, adding a
role to a deal (weak roles give way), and settling who of two cosigning states buys."""

from __future__ import annotations

import re

from etl.records import EntityRef, PartyRec, Span
from etl.transform.deals.model import _Deal
from etl.transform.deals.parties import Party
from etl.transform.deals.patterns import _COORD, _PREP_OBJ
from etl.transform.textrel import country_code, country_ref


class RoleMixin:
    """Finds subjects and records roles."""

    def _dateline_state(self) -> list[Party]:
        """The state whose capital datelines the article ("LIMA, April 11 (Reuters) -")."""
        for d in self.datelines[:1]:
            head = re.match(r"[^,(—–-]+", self.body[d.start : d.end])
            code = self.capital_codes.get(head.group(0).strip().lower()) if head else None
            if code:
                return [Party(country_ref(code, self.mentions), code, True, True, d)]
        return []

    def _leader(self, start: int, end: int) -> list[Party]:
        """The state of a person who is the subject of a purchase ("Chávez, who has bought ...")."""
        for m in self.mentions:
            if not (start <= m.span.start < end) or m.entity.entity_type != "person" or not m.country_code:
                continue
            if _PREP_OBJ.search(self.body, max(start, m.span.start - 30), m.span.start):
                continue
            code = m.country_code.upper()
            return [Party(country_ref(code, self.mentions), code, True, True, m.span)]
        return []

    def _capital(self, start: int, end: int) -> list[Party]:
        """A capital standing for its government as a clause subject ("Caracas has ordered ...")."""
        for m in self.capitals.finditer(self.body, start, end):
            if _PREP_OBJ.search(self.body, max(start, m.start() - 30), m.start()) or re.match(
                r"[-‐]", self.body[m.end() : m.end() + 1]
            ):  # "in Lima", "a Caracas-based group"
                continue
            code = self.capital_codes[m.group(0).lower()]
            return [Party(country_ref(code, self.mentions), code, True, True, Span(m.start(), m.end()))]
        return []

    def _as_state(self, p: Party) -> Party:
        """The state a government body acts for ("the U.S. Defense Security Cooperation Agency")."""
        if p.entity.entity_type != "government_body" or not p.country:
            return p
        return Party(country_ref(p.country, self.mentions), p.country, True, True, p.span)

    def _subject(self, start: int, end: int) -> list[Party]:
        """Parties before a cue that are not objects of a preposition ("with the GAO")."""
        out: dict[EntityRef, Party] = {}
        for p in self.parties.parties(start, end, every=True):
            before = _PREP_OBJ.search(self.body, max(start, p.span.start - 60), p.span.start)
            possessive = re.match(r"[’']s\b", self.body[p.span.end : p.span.end + 2]) or re.search(
                r"[’']s$", self.body[p.span.start : p.span.end]
            )
            # "the way for Argentina to acquire" (not "a contract with Peru to supply")
            infinitive = before is not None and before.group(0)[:3].lower() == "for" and re.fullmatch(
                r"\s+to\s+", self.body[p.span.end : end]
            )
            if before is not None and not possessive and not infinitive and self._np_words(before.group(1)):
                continue
            if p.entity in out:
                p.member = p.member or out.pop(p.entity).member
            out[p.entity] = p  # its last mention as a subject, nearest the cue
        return sorted(out.values(), key=lambda p: p.span.start)

    def _np_words(self, text: str) -> bool:
        """Words that may stand between a preposition and its object ("with Russian state arms exporter")."""
        ok = {"the", "a", "an", "its", "their", "his", "her", "former", "new"} | {
            w.lower() for w in self.lex.descriptor_words + self.lex.company_nouns
        }
        return all(w.lower() in ok or w[:1].isupper() for w in text.split())

    def _nearest_states(self, parties: list[Party]) -> list[Party]:
        """The state subject nearest the cue, with states coordinated with it ("Peru and Chile")."""
        states = [p for p in parties if p.state]
        if not states:
            return []
        group = [states[-1]]
        for p in reversed(states[:-1]):
            if not _COORD.fullmatch(self.body[p.span.end : group[0].span.start]):
                break
            group.insert(0, p)
        return group

    def _add_party(self, deal: _Deal, p: Party, role: str, weak: bool = False) -> None:
        rec = PartyRec(p.entity, role, p.country, p.named)
        if weak and not any(old.entity == rec.entity and old.role == role for old in deal.parties):
            deal.weak_roles.add((rec.entity, role))
        elif not weak:
            deal.weak_roles.discard((rec.entity, role))
        for i, old in enumerate(deal.parties):
            if old.role != role:
                continue
            if old.entity == rec.entity:
                old.country_code = old.country_code or rec.country_code
                return
            compatible = not old.country_code or not rec.country_code or old.country_code == rec.country_code
            if role == "buyer" and old.country_code and old.country_code == rec.country_code:
                if old.entity.entity_type == "country" and rec.entity.entity_type != "country":
                    deal.parties[i] = rec
                return
            if compatible and not old.named and rec.named and role != "buyer":
                deal.parties[i] = rec
                return
            if compatible and old.named and not rec.named and role != "buyer":
                return
        deal.parties.append(rec)

    # -- output ----------------------------------------------------------------------------------
    def _carry_buyer(self, new: list[_Deal], prev: Span | None) -> None:
        """A deal told with no buyer right after a sentence whose deals name one buying state takes
        that state ("Colombia is negotiating a deal for frigates. The contract was signed with X ...")."""
        if prev is None:
            return
        found = {
            p.country_code: p.entity
            for d in self.deals
            if prev in d.spans
            for p in d.parties
            if p.role == "buyer" and p.country_code
        }
        if len(found) != 1:
            return
        code, entity = next(iter(found.items()))
        for d in new:
            if any(p.role == "buyer" for p in d.parties) or any(
                p.role == "supplier" and p.country_code == code for p in d.parties
            ):
                continue
            self._add_party(d, Party(entity, code, True, True, Span(0, 0)), "buyer", weak=True)

    def _state_counts(self) -> dict[str, int]:
        """How often the article names each state (countries, demonyms and government bodies)."""
        if self._counts is None:
            counts: dict[str, int] = {}
            for m in self.mentions:
                code = country_code(m) if m.entity.entity_type in {"country", "government_body"} else None
                if code:
                    counts[code] = counts.get(code, 0) + 1
            self._counts = counts
        return self._counts

    def _default_buyer(self, deal: _Deal) -> None:
        """A deal told with no buyer ("The Federal Council will advise parliament to buy 36 jets from
        Lockheed Martin", "the contract ... signed between A and B") is the purchase of the state the
        article is about: of two cosigners the one named more often, else the state the article names
        most, unless that state is the only supplier named. A buyer body of no stated state ("the Air
        Force") is that state's."""
        bodies = [p for p in deal.parties if p.role == "buyer"]
        if any(p.country_code for p in bodies):
            return
        counts = self._state_counts()
        pool = {p.country for p in deal.cosigners if p.country} or set(counts)
        suppliers = {p.country_code for p in deal.parties if p.role in ("supplier", "bidder")}
        states = {p.country_code for p in deal.parties if p.role == "supplier" and p.entity.entity_type == "country"}
        ranked = sorted((c for c in pool if c not in states), key=lambda c: -counts.get(c, 0))
        if not ranked or counts.get(ranked[0], 0) < (1 if deal.cosigners else 2):
            return
        if len(ranked) > 1 and counts.get(ranked[0], 0) == counts.get(ranked[1], 0):
            return  # no state stands out
        code = ranked[0]
        if bodies:
            # the buying state, when the text names it, rather than its unnamed-state body
            deal.parties = [p for p in deal.parties if p not in bodies]
            self._add_party(deal, Party(country_ref(code, self.mentions), code, True, True, Span(0, 0)), "buyer")
        elif deal.cosigners or code not in suppliers or not states:
            self._add_party(deal, Party(country_ref(code, self.mentions), code, True, True, Span(0, 0)), "buyer")
            deal.topic_buyer = not deal.cosigners

    def _settle_cosigners(self, deal: _Deal) -> None:
        """"Peru and Russia signed a deal for Russian helicopters": the cosigner that supplies (by any
        other role, or as the weapon's origin) sells, the other buys; a known buyer makes the other sell."""
        if not deal.cosigners:
            return
        codes = {p.country for p in deal.cosigners}
        buyers = codes & {p.country_code for p in deal.parties if p.role == "buyer"}
        sellers = codes & ({p.country_code for p in deal.parties if p.role == "supplier"} | {deal.item_country})
        if len(codes) != 2 or len(buyers) > 1 or len(sellers) > 1 or (buyers and buyers == sellers):
            return
        if buyers or sellers:
            for p in deal.cosigners:
                role = "buyer" if (p.country in buyers or (sellers and p.country not in sellers)) else "supplier"
                self._add_party(deal, p, role, weak=True)


def _drop_weak(deal: _Deal) -> list[PartyRec]:
    """Roles read from weak cues give way: to a stronger role of the same party, and a demonym of the
    buyer's own country is no supplier ("Uruguayan patrol vessel tender")."""
    buyer_codes = {p.country_code for p in deal.parties if p.role == "buyer" and p.country_code}
    out = []
    for p in deal.parties:
        if (p.entity, p.role) in deal.weak_roles and (
            any(
                q.entity == p.entity and q.role != p.role and (q.entity, q.role) not in deal.weak_roles
                for q in deal.parties
            )
            or (p.role == "supplier" and p.country_code in buyer_codes)
        ):
            continue
        out.append(p)
    return out

