"""Roles from a cue's frame: who is subject, who follows "to"/"from"/"with"/"by", the passive
agent, and the parties an elided or pronoun subject stands for."""

from __future__ import annotations

import re

from etl.records import Span
from etl.transform.deals.model import _Deal, _Hit
from etl.transform.deals.parties import Party
from etl.transform.deals.patterns import (
    _CONTENDERS,
    _ELIDED,
    _FRONTED_FROM,
    _GOV_SUBJECT,
    _HOME_FORCES,
    _ITS,
    _NOUN_TO,
    _PASSIVE,
    _PASSIVE_FORM,
    _PREP_STOP,
    _PRONOUN_SUBJECT,
    _REFERENT,
    _RELATIVE,
)
from etl.transform.regex_prefilter import compile_scanner
from etl.transform.textrel import country_ref


class FrameMixin:
    """Reads the parties of one cue hit."""

    def _frame(
        self, deal: _Deal, h: _Hit, sent: Span, live: Span, hits: list[_Hit], first: bool = False
    ) -> None:
        frame = h.cue.frame
        before = self.body[live.start : h.span.start]
        cue_text = self.body[h.span.start : h.span.end].lower()
        reduced = self._reduced(h, live)
        roles: list[tuple[Party, str]] = []
        weak: list[tuple[Party, str]] = []
        passive = reduced or (
            not h.cue.noun and bool(_PASSIVE_FORM.fullmatch(cue_text)) and bool(_PASSIVE.search(before))
        )
        subj = self._after("by", h.span.end, live.end) if passive else self._subject(live.start, h.span.start)
        if not subj and not passive and frame in {"win", "beat", "sell", "bid"} and _RELATIVE.search(
            self.body, max(sent.start, live.start - 12), live.start
        ):
            # "... from Boeing, which beat two rivals to land a contract": the antecedent is the subject
            subj = self.parties.parties(max(sent.start, live.start - 80), live.start)[-1:]
        if h.cue.noun and frame != "tender":
            # a deal noun is not a verb: its clause subject acts through another cue, so only a
            # state there is taken (as buyer), and only when the noun is not an anaphor
            subj = [] if h.definite else [p for p in subj if p.state]
            if frame == "sell":
                # "The U.S. Defense Security Cooperation Agency has notified Congress of a possible
                # sale": the agency acts for its state, which sells
                subj = [self._as_state(p) for p in subj]
                for rx, code in self.state_sellers:
                    if rx.search(self.body, max(live.start, h.span.start - 40), h.span.end):
                        roles.append((Party(country_ref(code, self.mentions), code, True, True, h.span), "supplier"))
        after = lambda prep: self._after(prep, h.span.start, live.end)  # noqa: E731
        actors: list[Party] = []
        if frame in {"buy", "tender", "cancel"}:
            fronted = _FRONTED_FROM.match(before)
            if fronted is not None:  # "From China, Caracas has ordered 18 K-8W trainer jets"
                source = self.parties.parties(live.start + fronted.start(1), live.start + fronted.end(1))
                roles += [(p, "supplier") for p in source]
                subj = [p for p in subj if p.span.start >= live.start + fronted.end()]
            buyers = self._nearest_states(subj)
            referent = _REFERENT.search(before) if frame == "buy" else None
            if referent is not None:
                # "X met Y, his counterpart from Z, for the latter's purchase of ...": Z buys
                states = [p for p in self.parties.parties(sent.start, live.start + referent.start()) if p.state]
                buyers = states[-1:] if referent.group(1).lower() == "latter" else states[:1]
            if not buyers and not subj and frame == "buy":
                lo = live.start + (fronted.end() if fronted else 0)
                relative = _RELATIVE.search(self.body, max(sent.start, live.start - 12), live.start)
                if relative and _ELIDED.fullmatch(before):
                    lo = sent.start  # "Chávez, who has bought ...": the antecedent is the subject
                buyers = self._nearest_states(self._subject(lo, h.span.start)) if lo < live.start else []
                buyers = buyers or self._capital(lo, h.span.start)
                leader = self._leader(lo, h.span.start) if not buyers else []
                weak += [(p, "buyer") for p in leader]  # "Chávez ... has bought": his state
            if not buyers and frame == "buy" and (
                _PRONOUN_SUBJECT.match(before) or _ELIDED.fullmatch(before) or h.gapped
            ):
                # "it"/"they", or the subject of a coordinated clause ("... and has received")
                buyers = self._sentence_buyers(deal, sent, story=bool(_PRONOUN_SUBJECT.match(before)))
            if not buyers and frame == "buy" and h.cue.noun and _ITS.search(before):
                # "Brazil's €6.7 billion submarine deal, and its €1.9 billion order for 50 EC725s"
                weak += [(p, "buyer") for p in self._sentence_buyers(deal, sent, story=True)]
            if not buyers and frame == "buy" and _GOV_SUBJECT.match(before):
                # "The government has also earmarked ... for the purchase of two C-27Js" in a story
                # datelined LIMA: the government told of
                found = self._sentence_buyers(deal, sent, story=True) or self._dateline_state()
                weak += [(p, "buyer") for p in found]
            if reduced and not buyers and frame == "buy":
                # "three Type 209 submarines ordered from DSME": ordered by the buyer told around
                weak += [(p, "buyer") for p in self._sentence_buyers(deal, sent, story=True)]
            roles += [(p, "buyer") for p in buyers]
            if frame == "buy":
                roles += [(p, "supplier") for p in after("from")]
            actors = [p for p, _ in roles if p.state]
        elif frame == "sell":
            if not subj and not passive:  # "Washington is also expected to sell Colombia 30 Black Hawks"
                subj = self._capital(live.start, h.span.start)
            roles += [(p, "supplier") for p in subj]
            iobj = self._iobj(h.span.end, live.end)
            buyers = after("to") + ([iobj] if iobj and iobj.state else [])
            if not buyers and _HOME_FORCES.search(self.body, h.span.end, live.end):
                # "would deliver CN-235 aircraft to the navy": the forces of the state the story is about
                weak += [(p, "buyer") for p in self._sentence_buyers(deal, sent, story=True)]
            roles += [(p, "buyer") for p in buyers]
            if reduced and not buyers:
                # "Mexico already operates 30 Black Hawks, including six UH-60M delivered under ...":
                # the holder of the items received them
                weak += [(p, "buyer") for p in self._nearest_states(self._subject(live.start, h.span.start))]
        elif frame == "award":
            roles += [(p, "buyer") for p in self._nearest_states(subj)]
            iobj = self._iobj(h.span.end, live.end)
            winners = after("to") or ([iobj] if iobj and not iobj.state else [])
            roles += [(p, "supplier") for p in winners]
            # "Brazil picks Saab's Gripen over Boeing, Dassault": the firms passed over bid
            roles += [(p, "bidder") for p in after("over") if not p.state and p not in winners]
            actors = winners
        elif frame == "win":
            actors = [p for p in subj if not p.state]
            roles += [(p, "supplier") for p in actors]
        elif frame == "beat":
            actors = [p for p in subj if not p.state]
            if actors:
                roles += [(p, "supplier") for p in actors]
                roles += [(p, "bidder") for p in self.parties.parties(h.span.end, live.end) if not p.state]
        elif frame in {"sign", "contract"} and _CONTENDERS.search(before):
            # "Other contenders for the fighter contract were France's Rafale and ...": bidders only
            roles += [(p, "bidder") for p in self.parties.parties(live.start, live.end) if not p.state]
        elif frame in {"sign", "contract"}:
            with_ = after("with")
            between = [p for p in after("between") if p.state] if h.cue.noun else []
            if len({p.country for p in between}) == 2 and not any(p.state for p in subj):
                # "the accord between the armed forces of Italy and Qatar for 28 helicopters": who
                # buys is settled at the end by the deal's other roles, as for two cosigners
                deal.cosigners += [p for p in between if p.country]
            elif any(p.state for p in subj) and with_ and all(p.state for p in with_):
                sells = any(
                    o.cue.frame == "sell"
                    and o.span.start > h.span.start
                    and (not o.nominal or self.body[o.span.start : o.span.end].lower().startswith("export"))
                    for o in hits
                )  # a verb of selling, or the subject's "exports" (not a neutral "the supply to his army")
                if sells:
                    # "Turkey signed an MoU with Bangladesh for exports of armored vehicles",
                    # "Russia signed a deal with Venezuela to sell 92 tanks": the subject sells
                    roles += [(p, "supplier") for p in subj if p.state]
                    roles += [(p, "buyer") for p in with_]
                else:
                    # "Venezuela signs arms deal with Russia": the subject buys from the other state
                    roles += [(p, "buyer") for p in subj if p.state]
                    weak += [(p, "supplier") for p in with_]
            elif not with_ and len({p.country for p in subj if p.state}) > 1:
                # "Brazil and France signed a deal": who buys is not said here; settled at the end
                # by the deal's other roles ("for Russian helicopters")
                roles += [(p, "supplier") for p in subj if not p.state]
                deal.cosigners += [p for p in subj if p.state and p.country]
            elif not subj and (_ELIDED.fullmatch(before) or h.clause.start in self.coordinated) and with_:
                # "... and is negotiating with the United States over the purchase of M109s": the
                # subject of the sentence buys from the other state; so does "..., and a £4 billion navy
                # deal with Italy" (a coordinated deal of the same subject)
                roles += [(p, "buyer") for p in self._sentence_buyers(deal, sent, story=True)]
                roles += [(p, "supplier") for p in with_]
            else:
                # "Peru is negotiating with Korea to acquire four KT-1s": the party "with" sells to the
                # subject of the purchase that follows
                buy_after = any(
                    o.cue.frame == "buy"
                    and o.span.start > h.span.start
                    and re.search(r"\bto\s+$", self.body[max(0, o.span.start - 4) : o.span.start])
                    for o in hits
                )
                by_referent = any(
                    o.cue.frame == "buy"
                    and o.span.start > h.span.start
                    and _REFERENT.search(self.body, max(sent.start, o.span.start - 40), o.span.start)
                    for o in hits
                )
                if by_referent:
                    # "X signed papers alongside Y, his counterpart in Z, for the latter's purchase":
                    # the signer faces the buyer named by reference, so sells
                    weak += [(p, "supplier") for p in subj if p.state]
                    subj = [p for p in subj if not p.state]
                roles += [(p, "buyer" if p.state else "supplier") for p in subj]
                roles += [(p, "supplier" if buy_after or not p.state else "buyer") for p in with_]
            if frame == "contract":
                roles += [(p, "supplier") for p in after("from")]
                to = _NOUN_TO.match(self.body, h.span.end, live.end)
                if to is not None and not any(r == "buyer" for _, r in roles):
                    # "the contract for the delivery of six submarines to Vietnam": the recipient buys
                    # (not "the deal was finalized during a visit to Denmark")
                    roles += [(p, "buyer") for p in self._object(to.end(), live.end) if p.state]
        elif frame == "bid":
            if h.cue.introduces:  # "Indonesia is considering offers from ...": the state buys
                roles += [(p, "buyer") for p in self._nearest_states(subj)]
                subj = [p for p in subj if not p.state]
            actors = subj + after("from") + after("against") + after("by")
            if cue_text.startswith("compet"):  # "competes with the Boeing F/A-18 and the Saab Gripen"
                actors += [p for p in after("with") if not p.state]
            roles += [(p, "bidder") for p in actors]
        elif frame == "protest" and subj:
            actors = subj[-1:]
            roles += [(p, "protester") for p in actors]
        head = self.parties.consortium_head([p for p, _ in roles])
        for p, role in roles:
            self._add_party(deal, p, "consortium_member" if p.member else role)
        for p, role in weak:
            self._add_party(deal, p, role, weak=True)
        if frame == "award" and head is not None:
            actors = [head]
        self._event(deal, h, sent, live, hits, first, actors)

    def _sentence_buyers(self, deal: _Deal, sent: Span, story: bool = False) -> list[Party]:
        """The buyer an "it"/"they" subject stands for: that of another deal of the same sentence,
        or with ``story`` ("The government will buy 36 jets") that of the deal told so far."""
        other = next((o for o in reversed(self.deals) if o is not deal and sent in o.spans), None)
        if other is None and story and self.story is not deal:
            other = self.story
        if other is None:
            return []
        return [Party(p.entity, p.country_code, p.named, True, Span(0, 0)) for p in other.parties if p.role == "buyer"]

    def _after(self, prep: str, start: int, end: int) -> list[Party]:
        # "along with"/"together with" lists, it does not name a counterpart
        lead = r"(?<!along\s)(?<!together\s)\b"
        m = compile_scanner(rf"{lead}{prep}\s+(?=(?:the|a|an|this|its|their|two|three|several|[A-Z]|\d))").search(
            self.body, start, end
        )
        if m is None:
            return []
        return self._object(m.end(), end)

    def _object(self, start: int, end: int) -> list[Party]:
        """Parties of the noun phrase starting at ``start``, up to the next preposition or clause."""
        stop = _PREP_STOP.search(self.body, start, end)
        return self.parties.parties(start, stop.start() if stop else end)

    def _iobj(self, start: int, end: int) -> Party | None:
        first = next(iter(self.parties.parties(start, min(end, start + 60))), None)
        if first is not None and re.fullmatch(
            r"\s*(?:the\s+|a\s+|an\s+|its\s+)?", self.body[start : first.span.start]
        ):
            return first
        return None
