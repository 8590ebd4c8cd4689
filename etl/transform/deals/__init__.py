"""Arms deals, tenders and sales from one article, as pure functions over pre-extracted records.

The package, one concern per module (lexicons and patterns as data in
``data/reference/deal_triggers.yaml``):

* ``cues``: the cue words of a clause and what the text before each says (definite, planned,
  possible, negated, past, nominal); ``coref``: which deal a clause is about (new, or told before);
* ``frames``: roles from a cue's frame (subject, "to/from/with/by/between", passive agent);
  ``roles``: subjects, state bodies, carried-over and topic buyers, cosigners; ``parties`` and
  ``item_phrases``: actors and item phrases in a span; ``items``: which item is the deal's;
* ``values``: totals are no value, a value in another clause, stated USD conversions, the deal key;
* ``events``: lifecycle events dated by their own phrase, statuses; ``merging``: one deal, one
  record, distinct deals apart; ``extractor``: the driver, sentence by sentence, clause by clause.

A deal is introduced by a cue from ``data/reference/deal_triggers.yaml`` (contract, deal, tender,
purchase, sale, sold, bought, ordered, took delivery ...) whose clause also holds an anchor: a
contract/sale value, a specific item (weapon-system mention or item noun), or a company and a
state. "the contract", "the deal", "the Triad contract", "this contract cancellation", "the sale"
refer back to the latest deal (or the one whose party/item the modifier names), so all its
sentences merge into one record. So do definite item phrases ("The aircraft, ordered in 2012 under a
contract valued at ...", "for the 24 helicopters"), and a new mention that restates a deal told just
before (same buyer, compatible items, no conflicting value, quantity or supplier: "awarded a $4.5
billion contract to Saab" + "will buy 36 Gripen NG fighters") is merged as soon as its sentence ends.
A deal told as background ("Chile previously bought ...") does not become the current deal. Party
roles come from the cue's frame (who is subject, who follows "to"/"from"/"with"/"by"; in the passive
the agent after "by"; a party after a preposition is no subject, "the U.S. Air Force's decision to
award" is), lifecycle events from event cues dated by the nearest date in the clause that belongs to
that cue; a dateline or attribution date ("X said Monday") dates only the sentence's first event and
gives way to a date stated for the event. Weak roles (a demonym or a maker's name before the item,
"Israeli Kfir fighters", "Embraer A-29 Super Tucano"; the other state of "X signs arms deal with Y")
give way to stronger ones.

Generalizations (each a rule, not a case):

* Values. An amount that is a total or a share is no deal's value nor an anchor: "part of a $1.2
  billion package"; an amount of generic goods over a period ("has bought more than $4 billion in
  Russian arms since 2005, including 24 Su-30MK2 fighters"). A stated deal value (money kind
  contract/sale/purchase value) is preferred to a budget in the same clause. A date after "since"
  starts a period and dates no event.
* Clauses. Never split inside parentheses; a second verb phrase ("is acquiring A-29s from Brazil and
  has received Mirage 50s from Venezuela") and a gapped one (", and from Spain's Navantia, eight
  patrol vessels", which reuses the verb before it) are clauses, so each has its own deal.
* Participles. A participle right after its item or deal noun ("six A-29s purchased from Embraer",
  "a contract signed in 2008") is passive and owns only the dates of its own phrase (to the next comma);
  a delivered/sold one with no recipient is the holder's ("Mexico operates ... six UH-60M delivered").
* Subjects. The last mention of a party before the cue is its subject ("France and Brazil sealed a
  pact under which Brazil will buy" makes Brazil, not France, the buyer); "for X to buy" is a subject;
  an elided subject ("... and has received"), "it"/"the government" take the buyer of the sentence or
  of the story (else the state of the dateline's capital); a capital ("Caracas has ordered"), a person
  with a country ("Chávez, who has bought") and a relative clause's antecedent stand for their state.
  A government body that notifies a sale acts for its state; a Foreign Military Sale is sold by the
  United States; "the principal contractor will be X" names a supplier of the current deal.
* Roles. "X and Y signed a deal" with no "with": the cosigner that supplies by any other role or as
  the weapon's origin sells, the other buys; "picks A over B" makes B a bidder; the owner of "Peru's
  fleet of frigates" buys; the maker of a contender in a hoped-for choice ("would choose the Rafale
  built by Dassault") bids. A sale to several states with no value or quantity is one deal per buyer.
* Coreference. "the deal" whose last use named no arms deal ("a pending deal giving U.S. troops
  access to bases") and a definite noun naming another item ("the sale of Swedish Gripens") join no
  deal; a deal told with "also"/"separately" is never merged into an earlier one; a tender with bidders
  is not a contract already signed with another seller.

OCDS mapping (Open Contracting Data Standard code lists), status <- set by:

* ``planning``     = tender.status ``planned``       <- plans, negotiations ("negotiated the purchase")
* ``tender``       = tender.status ``active``        <- tendered, bid
* ``awarded``      = award.status ``active``         <- awarded, won, selected
* ``active``       = contract.status ``active``      <- signed, ordered, bought, sold (concluded sale)
* ``complete``     = contract.status ``terminated``  <- delivered, took delivery, received
* ``cancelled``    = tender/award/contract ``cancelled`` <- cancelled, scrapped, annulled, called off
* ``unsuccessful`` = tender.status ``unsuccessful``  <- never materialized, fell through, collapsed
* ``unknown``      = no code                         <- nothing stated

A past-tense "sold"/"bought" is read as a concluded contract (event ``signed``, status ``active``),
not as proof of delivery; only delivery wording gives ``complete``. The highest status in the ranked
list of the lexicon wins, so a cancelled award stays ``cancelled``. "protested" has no OCDS status
(it is an award challenge) and leaves the status unchanged.

Party roles: ``buyer`` = OCDS ``buyer``/``procuringEntity``; ``supplier`` = ``supplier`` (the
winner or seller; a state named by "Chinese-made" or as seller is a supplier too);
``bidder`` = ``tenderer``; ``consortium_member`` = ``tenderer``/``supplier`` listed under the
consortium; ``protester`` = ``interestedParty`` (a challenger of the award). Descriptive parties
("a consortium of Chinese defense manufacturers") carry ``named=False``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from etl.records import DateRec, DealRec, MentionRec, MoneyRec
from etl.transform.deals.extractor import _Extractor, _title
from etl.transform.deals.model import _Deal
from etl.transform.deals.patterns import _DEAL_VALUE_KINDS
from etl.transform.deals.values import deal_key

__all__ = ["deal_key", "extract_deals"]


def extract_deals(
    body: str,
    published: dt.date | None,
    mentions: list[MentionRec],
    money: list[MoneyRec],
    dates: list[DateRec],
) -> list[DealRec]:
    """Arms deals, tenders and sales stated in ``body``, one record per deal (coreference merged)."""
    ex = _Extractor(body, mentions, money, dates)
    aid = re.search(ex.lex.aid_markers, body, re.IGNORECASE) is not None
    return [
        r for d in ex.run() if _substantive(d) and not (aid and _transfer_only(d)) for r in _per_buyer(ex.to_record(d))
    ]


def _transfer_only(d: _Deal) -> bool:
    """A delivery or transfer with no contract, purchase or commercial value: in an article about a
    donation, grant or assistance it is aid, not a deal."""
    if d.kind not in {"delivery", "sale"}:
        return False
    if d.value is not None and d.value.kind in _DEAL_VALUE_KINDS:
        return False
    return not any(e.event_type in {"signed", "awarded", "tendered"} for e in d.events)


def _per_buyer(rec: DealRec) -> list[DealRec]:
    """A sale to several states with no value or quantity ("The KT-1 has already been exported to
    Indonesia and Turkey") is one deal per buyer."""
    buyers = [p for p in rec.parties if p.role == "buyer" and p.country_code]
    if len({p.country_code for p in buyers}) < 2 or rec.value is not None or rec.quantity is not None:
        return [rec]
    out = []
    for b in buyers:
        parties = [p for p in rec.parties if p.role != "buyer" or p is b]
        one = dataclasses.replace(
            rec,
            parties=parties,
            buyer=b.entity,
            buyer_country=b.country_code,
            events=list(rec.events),
            spans=list(rec.spans),
        )
        one.title = _title(one)
        out.append(one)
    return out


def _substantive(d: _Deal) -> bool:
    """A deal names a party, a value, or a specific item ("previous attempts to buy jets" does not);
    a seller's approximate tally with no buyer ("has sold more than 80 C-27Js") is no deal."""
    if d.value is not None and d.value.kind in {"military_aid", "economic_aid"}:
        return False  # a grant, donation or government credit line for buying equipment is aid
    if d.approximate and d.value is None and len({p.country_code for p in d.parties if p.role == "buyer"}) != 1:
        return False  # a seller's tally: "has sold more than 130 C-295s worldwide, including to Brazil, Chile ..."
    if (d.item_text is None or d.item_generic) and not any(p.role != "buyer" for p in d.parties):
        if d.topic_buyer:
            return False  # only the article's state: "$121 million worth of equipment had been delivered"
        # no item and no seller: only a stated deal value makes it one ("a budget of S/. 6,952
        # millones", "$121 million worth of equipment and training had been delivered" are not)
        return d.value is not None and d.value.kind in _DEAL_VALUE_KINDS and bool(d.parties)
    return bool(d.parties or d.value is not None or d.item_rank >= 2 or d.quantity)

