"""Regular expressions for deal sentence shapes: determiners, prepositions, passives, relatives."""

from __future__ import annotations

import re

from etl.transform.regex_prefilter import compile_scanner

_DEFINITE = compile_scanner(r"\b(?:the|this|that|its|their)\s+((?:[\w$.,’'-]+\s+){0,3}?)$", re.IGNORECASE)
# "the aircraft", "the 24 helicopters", "the seven Dhruv helicopters", "the first of two C-27J"
_DEF_ITEM = compile_scanner(
    r"\b(?:the|these|those|this|its|their)\s+(?:(?:first|second|last|remaining|new|other|same)\s+)?"
    r"(?:(?:\d[\d,]*|[a-z]+)\s+(?:of\s+(?:the\s+)?)?)?$",
    re.IGNORECASE,
)
_UNIT_PRICE = compile_scanner(
    r"\s*(?:each|apiece|a\s+piece|per\s+(?:unit|aircraft|ship|vessel|piece))\b", re.IGNORECASE
)
_PASSIVE = compile_scanner(r"\b(?:was|were|been|being|is|are|be)\s+(?:[a-z]+ly\s+)?$", re.IGNORECASE)
# a party that is the object of a preposition is not the subject of a later cue
_PREP_OBJ = compile_scanner(
    r"\b(?:from|to|with|by|for|at|in|on|over|into|against|between|among|than|via|through|under)\s+"
    r"((?:[\w’'.-]+\s+){0,4})$",
    re.IGNORECASE,
)
_COORD = compile_scanner(r"\s*(?:,|,?\s*and|&)\s*(?:the\s+)?")
_PRONOUN_SUBJECT = compile_scanner(r"^\s*(?:it|they|the\s+(?:country|government|nation))\s", re.IGNORECASE)
_FLEET = compile_scanner(r"(?:[’']s)?\s+(?:[\w-]+\s+){0,2}fleets?\b(?!\s+(?:of\s+)?(?:operators?|users?))")
_DETERMINERS = {"the", "these", "those", "its", "their", "his", "her", "our", "such", "recent", "two", "three", "both"}
_DEAL_VALUE_KINDS = {"contract_value", "sale_value", "deal_value", "purchase_value", "order_value"}
# "contenders for the fighter-jet contract": the parties of the clause compete for it
_CONTENDERS = compile_scanner(
    r"\b(?:contenders?|rivals?|competitors?|bidders?|candidates?)\s+(?:for|in)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)
# "..., and a £4 billion navy deal with Italy": a second deal of the same subject
_COORD_DEAL = compile_scanner(
    r",?\s+and\s+(?=(?:a|an|another)\s+(?:[\w$€£¥₹.,-]+\s+){0,5}?(?:deal|contract|order|agreement)s?\b)",
    re.IGNORECASE,
)
# a deal noun's own "of/for/on ... to X" phrase, with no verb in between
_NOUN_TO = compile_scanner(
    r"\s+(?:on|of|for)\s+(?:(?!(?:was|were|is|are|been|be|has|have|had|during|after|before)\b)[\w’'$€£.,-]+\s+){1,10}?to\s+",
    re.IGNORECASE,
)
_FRONTED_FROM = compile_scanner(r"\s*from\s+((?:[\w’'.-]+\s+){0,4}?[\w’'.-]+)\s*,\s*", re.IGNORECASE)
_ITS = compile_scanner(r"\b(?:its|their)\s+(?:[\w$€£.,-]+\s+){0,4}$", re.IGNORECASE)
_GOV_SUBJECT = compile_scanner(
    r"\s*the\s+(?:government|country|nation|army|navy|air\s+force|armed\s+forces|military)\b", re.IGNORECASE
)
_HOME_FORCES = compile_scanner(
    r"\bto\s+(?:the|its|their)\s+(?:navy|army|air\s+force|armed\s+forces|military|coast\s+guard|marines)\b",
    re.IGNORECASE,
)
_SEPARATE = compile_scanner(r"\b(?:also|separately|additionally|in\s+addition|another|meanwhile)\b", re.IGNORECASE)
_RELATIVE = compile_scanner(r",\s*(?:who|which|that)\s*$")
_NOUN_OF = compile_scanner(r"\s+of\s+(?:the\s+|its\s+|their\s+)?((?:[\w’'-]+\s+){0,3}[\w’'-]+)")
_GAPPED = compile_scanner(r"(?:from|to)\s+(?:the\s+)?[A-Z]")
_PASSIVE_FORM = compile_scanner(r"[a-z]+ed|bought|sold|won|chosen|handed\s+over|shipped|inked|sealed")
_PARTICIPLE = compile_scanner(r"[a-z]+ed|bought|sold|handed\s+over")
_BUILT_BY_LATER = compile_scanner(
    r"\s*,?\s*(?:(?:will|would|are|is|were|was|to)\s+(?:be\s+|been\s+)?)?"
    r"(?:built|made|manufactured|produced|developed)\s+by\s+",
    re.IGNORECASE,
)
_CONTRACTOR = compile_scanner(
    r"\b(?:principal|prime|main|lead)\s+contractors?\s+(?:will\s+be|would\s+be|is|are|was|were)\s+",
    re.IGNORECASE,
)
# "for the latter's potential purchase": the buyer is named by reference to an earlier party
_REFERENT = compile_scanner(r"\b(?:the\s+)?(latter|former)[’']s?\s+(?:[\w-]+\s+){0,3}$", re.IGNORECASE)
_ELIDED = compile_scanner(
    r"\s*(?:(?:has|have|had|will|would|is|are|was|were|also|since|then|later|now|already|separately)\s+)+"
)
_BUILT_BY = compile_scanner(r"\s*,?\s*(?:built|made|manufactured|produced|developed)\s+by\s+", re.IGNORECASE)

_NOT_MODIFIER = {
    "a",
    "an",
    "the",
    "to",
    "of",
    "with",
    "for",
    "and",
    "or",
    "in",
    "on",
    "by",
    "from",
    "at",
    "as",
    "is",
    "was",
    "were",
    "has",
    "had",
    "will",
    "would",
    "that",
    "this",
}
_THAT_YEAR = compile_scanner(r"\b(?:that|the\s+same)\s+year\b", re.IGNORECASE)
_NP_FOLLOW = compile_scanner(r"\s+(?:of|for)\b")
_PREP_STOP = compile_scanner(
    r"\s(?:to|for|in|at|on|from|with|by|worth|valued|over|under|after|before|during|because|since|as)\s"
    r"|\sof\s+(?=\d|(?:a|an|the)\s+\d)|,\s+(?:which|who|whose|according)\s|\s(?:said|says|told)\b"
    r"|,\s+(?:the\s+|a\s+|an\s+)?(?:[\w’'.-]+\s+){0,4}(?:said|says|told|added|announced)\b"  # ", the firm said"
)
_VERBS_S = {
    "was",
    "has",
    "does",
    "includes",
    "covers",
    "calls",
    "requires",
    "remains",
    "involves",
    "means",
    "provides",
    "gives",
    "goes",
    "makes",
    "comes",
    "seems",
    "shows",
}
_EVENT_PARTY_FRAMES = {"award", "win", "cancel", "protest", "bid"}
