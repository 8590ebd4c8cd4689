"""Resolving name variants: discovered names to gazetteer entities (within an article) and variant
spellings across articles ("Leo Panetta" and "Leon Panetta" are one person).

Thresholds (rapidfuzz, 0-100):
* persons: same family name required; given names compared with ``fuzz.ratio`` >= 80 (``PERSON_MIN``),
  an initial ("L.") or a subset of given names ("Evan" in "R. Evan Ellis") scores 90/95. Across
  articles a weaker 70 suffices when the two names share context (a title or a co-mentioned entity).
* organizations and other types: equal "core" (accents, case, punctuation and corporate suffixes such as
  Corp./Group/Inc. removed: "Northrop Group" ~ "Northrop") or ``fuzz.token_sort_ratio`` >= 92
  (``NAME_MIN``); across articles >= 85 with shared context.
* weapon systems: equal designation key (letters and digits only: "T55" = "T-55" = "T 55"); a bare
  variant designation that ends exactly one curated alias ("C-10" of "Kfir C-10") is that system.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from etl.records import EntityRef, EntityType, MentionRec, PositionRec
from etl.reference.gazetteer import FAMILY_NAME_FIRST, Entity, Gazetteer, name_key
from etl.transform.name_tokens import word_set

PERSON_MIN = 80.0
PERSON_MIN_WITH_CONTEXT = 70.0
NAME_MIN = 92.0
NAME_MIN_WITH_CONTEXT = 85.0
_CORP = word_set(
    "corp corporation inc incorporated co company group ltd limited llc plc sa sac spa gmbh ag nv bv "
    "holdings the"
)
_ORG_TYPES = ("organization", "government_body", "armed_group")


# ---------------------------------------------------------------- name keys and similarity
def org_core(name: str) -> str:
    """ "Northrop Grumman Corp." -> "northrop grumman"; used to compare organization names."""
    words = re.sub(r"[^\w\s]", " ", name_key(name).replace("'s", "")).split()
    core = [w for w in words if w not in _CORP]
    return " ".join(core or words)


def designation_key(name: str) -> str:
    """ "MBT 2000" / "MBT-2000" / "mbt2000" -> "mbt2000"."""
    return re.sub(r"[\W_]", "", name_key(name))


def split_person(name: str, family: str | None = None, country: str | None = None) -> tuple[list[str], str]:
    """(given names, family name) as keys; Chinese/Korean names put the family name first."""
    words = name_key(name).replace(".", " ").split()
    if family:
        fam = name_key(family)
        fam_words = fam.split()
        for i in range(len(words) - len(fam_words) + 1):
            if words[i : i + len(fam_words)] == fam_words:
                return words[:i] + words[i + len(fam_words) :], fam
    if country in FAMILY_NAME_FIRST and len(words) > 1:
        return words[1:], words[0]
    return words[:-1], (words[-1] if words else "")


def person_score(a: tuple[list[str], str], b: tuple[list[str], str]) -> float:
    """Similarity of two split person names (0 when family names differ)."""
    (given_a, fam_a), (given_b, fam_b) = a, b
    if fam_a != fam_b or not fam_a:
        return 0.0
    if not given_a or not given_b:
        return 70.0
    full_a = [g for g in given_a if len(g) > 1]
    full_b = [g for g in given_b if len(g) > 1]
    if full_a and full_b and (set(full_a) <= set(full_b) or set(full_b) <= set(full_a)):
        return 95.0
    if not full_a or not full_b:  # initials only on one side
        short, long = (given_a, given_b) if not full_a else (given_b, given_a)
        return 90.0 if [g[0] for g in short] == [g[0] for g in long][: len(short)] else 0.0
    return float(fuzz.ratio(" ".join(given_a), " ".join(given_b)))


def entity_split(entity: Entity) -> tuple[list[str], str]:
    return split_person(entity.name, entity.family_name, entity.country)


def _split_on(entity: Entity, family: str) -> tuple[list[str], str]:
    """The entity's split, its family name read as ``family`` when that is part of a compound family
    name ("Cristina Kirchner" is Cristina Fernandez de Kirchner)."""
    given, own = entity_split(entity)
    return (given, family) if family in entity.family_keys else (given, own)


# ---------------------------------------------------------------- within an article
def resolve_person(
    name: str, gazetteer: Gazetteer, in_article: Sequence[tuple[EntityRef, tuple[list[str], str]]] = ()
) -> EntityRef | None:
    """The known person a discovered multi-word name is a variant of (same family name, close given name)."""
    split = split_person(name)
    best: tuple[float, EntityRef] | None = None
    choices = [(e.ref, _split_on(e, split[1])) for e in gazetteer.persons_with_family_name(split[1])]
    for ref, other in [*in_article, *choices]:
        score = person_score(split, other)
        if score >= PERSON_MIN and (best is None or score > best[0]):
            best = (score, ref)
    return best[1] if best else None


def resolve_name(name: str, entity_type: str, gazetteer: Gazetteer, variants: bool = True) -> Entity | None:
    """The curated entity a discovered organization, body, group or weapon name is a variant of; with
    ``variants`` false a weapon variant ("F-16C") is not its base system."""
    if entity_type == "weapon_system":
        key = designation_key(name)
        return _weapon(key, gazetteer) if variants else _weapon_index(gazetteer).get(key)
    types = [entity_type] + [t for t in _ORG_TYPES if t != entity_type and entity_type in _ORG_TYPES]
    core = org_core(name)
    for i, t in enumerate(types):
        cores, choices = _core_index(gazetteer, t)
        if core in cores and cores[core] is not None:
            return cores[core]
        if i == 0 and choices:
            # token_sort_ratio is the ratio of the names' sorted words: the choices' are sorted once
            # (sorting every choice on every call was most of this lookup's time)
            keys, sorted_keys = _sorted_choices(gazetteer, t, choices)
            hit = process.extractOne(_sorted_words(core), sorted_keys, scorer=fuzz.ratio, score_cutoff=NAME_MIN)
            if hit:
                return choices[keys[hit[2]]]
    return None


def _sorted_words(text: str) -> str:
    return " ".join(sorted(text.split()))


def _sorted_choices(gazetteer: Gazetteer, entity_type: str, choices: dict[str, Entity]) -> tuple[list[str], list[str]]:
    """The fuzzy choices of a type and each with its words sorted, built once per gazetteer."""
    return gazetteer.cached(f"sorted-cores:{entity_type}", lambda: (list(choices), [_sorted_words(c) for c in choices]))


def _core_index(gazetteer: Gazetteer, entity_type: str) -> tuple[dict[str, Entity | None], dict[str, Entity]]:
    def build() -> tuple[dict[str, Entity | None], dict[str, Entity]]:
        cores: dict[str, Entity | None] = {}
        for entity in gazetteer.of_type(entity_type):
            for name in [entity.name, *(a.name for a in entity.aliases if a.kind != "demonym")]:
                core = org_core(name)
                if len(core) < 3:
                    continue
                prev = cores.get(core, entity)
                cores[core] = entity if prev is entity else None  # ambiguous cores resolve to nothing
        return cores, {c: e for c, e in cores.items() if e is not None and " " in c}

    return gazetteer.cached(f"cores:{entity_type}", build)


def _weapon(key: str, gazetteer: Gazetteer) -> Entity | None:
    """The curated system of a designation key, or of its longest known base designation followed by a
    variant suffix: "f16cd" -> F-16, "mi17v5" -> Mi-17, "t72b1" -> T-72 (never "f161" -> F-16)."""
    index = _weapon_index(gazetteer)
    if key in index:
        return index[key]
    for cut in range(len(key) - 1, 1, -1):
        base, rest = key[:cut], key[cut:]
        if base[-1].isdigit() and rest[0].isalpha() and base in index:
            return index[base]
    return None


def _weapon_index(gazetteer: Gazetteer) -> dict[str, Entity]:
    def build() -> dict[str, Entity]:
        names = [(n, e) for e in gazetteer.of_type("weapon_system") for n in [e.name, *(a.name for a in e.aliases)]]
        tails: dict[str, set[str]] = defaultdict(set)
        owner: dict[str, Entity] = {}
        for n, e in names:
            last = n.split()[-1]
            if " " in n and any(c.isdigit() for c in last) and "-" in last:
                tails[designation_key(last)].add(e.name)
                owner[designation_key(last)] = e
        index = {k: owner[k] for k, found in tails.items() if len(found) == 1}
        index.update({designation_key(n): e for n, e in names})
        return index

    return gazetteer.cached("weapons", build)


# ---------------------------------------------------------------- across articles
@dataclass(frozen=True, slots=True)
class NameObservation:
    """A name seen in one article; ``context`` holds its titles and co-mentioned entity names."""

    name: str
    entity_type: EntityType
    article: str
    curated: bool = False
    context: frozenset[str] = frozenset()


@dataclass(slots=True)
class VariantAlias:
    """``variant`` is another spelling of ``canonical``, seen in ``articles``."""

    variant: EntityRef
    canonical: EntityRef
    score: float
    articles: list[str] = field(default_factory=list)


def observations_from(
    article: str, mentions: Iterable[MentionRec], positions: Iterable[PositionRec] = ()
) -> list[NameObservation]:
    """One observation per distinct entity of an article, with its titles and co-mentions as context."""
    mentions = list(mentions)
    names = {m.entity for m in mentions}
    titles: dict[EntityRef, set[str]] = defaultdict(set)
    for p in positions:
        titles[p.person].add("title:" + p.title.lower())
    out = []
    for ref in sorted(names, key=lambda r: (r.entity_type, r.name)):
        curated = any(m.entity == ref and m.origin == "curated" for m in mentions)
        others = {f"{o.entity_type}:{o.name}" for o in names if o != ref and o.entity_type != "country"}
        out.append(
            NameObservation(ref.name, ref.entity_type, article, curated, frozenset(others | titles[ref]))
        )
    return out


def resolve_variants(observations: Iterable[NameObservation]) -> dict[EntityRef, VariantAlias]:
    """Map each variant name to its canonical entity (curated first, then most articles, then longest).

    Only names of the same type are compared; weak similarities need shared context.
    """
    groups: dict[EntityRef, list[NameObservation]] = defaultdict(list)
    for obs in observations:
        groups[EntityRef(obs.name, obs.entity_type)].append(obs)
    refs = sorted(groups, key=lambda r: (r.entity_type, r.name))
    parent = {r: r for r in refs}

    def find(r: EntityRef) -> EntityRef:
        while parent[r] != r:
            parent[r] = parent[parent[r]]
            r = parent[r]
        return r

    scores: dict[tuple[EntityRef, EntityRef], float] = {}
    for a, b, score in _similar_pairs(refs, groups):
        scores[(a, b)] = scores[(b, a)] = score
        parent[find(a)] = find(b)
    clusters: dict[EntityRef, list[EntityRef]] = defaultdict(list)
    for r in refs:
        clusters[find(r)].append(r)
    out: dict[EntityRef, VariantAlias] = {}
    for members in clusters.values():
        curated = [r for r in members if any(o.curated for o in groups[r])]
        canonical = max(members, key=lambda r: _canonical_rank(r, groups[r]))
        for r in members:
            target = canonical
            if len(curated) > 1:  # never merge two curated entities: attach to the closest one
                if r in curated:
                    continue
                target = max(curated, key=lambda c: scores.get((r, c), 0.0))
                if (r, target) not in scores:
                    continue
            if r != target:
                arts = sorted({o.article for o in groups[r]})
                out[r] = VariantAlias(r, target, _pair_score(r.name, target.name, r.entity_type), arts)
    return out


def _canonical_rank(ref: EntityRef, obs: list[NameObservation]) -> tuple[bool, int, int]:
    return (any(o.curated for o in obs), len({o.article for o in obs}), len(ref.name))


def _similar_pairs(
    refs: list[EntityRef], groups: dict[EntityRef, list[NameObservation]]
) -> Iterable[tuple[EntityRef, EntityRef, float]]:
    by_block: dict[tuple[str, str], list[EntityRef]] = defaultdict(list)
    for r in refs:
        by_block[(r.entity_type, _block_key(r))].append(r)
    for (entity_type, _), block in by_block.items():
        for i, a in enumerate(block):
            for b in block[i + 1 :]:
                if all(o.curated for o in groups[a]) and all(o.curated for o in groups[b]):
                    continue  # two curated entities are distinct by definition
                shared = _context(groups[a]) & _context(groups[b])
                score = _pair_score(a.name, b.name, entity_type)
                strong, weak = (
                    (PERSON_MIN, PERSON_MIN_WITH_CONTEXT)
                    if entity_type == "person"
                    else (NAME_MIN, NAME_MIN_WITH_CONTEXT)
                )
                if score >= strong or (shared and score >= weak):
                    yield a, b, score


def _block_key(ref: EntityRef) -> str:
    if ref.entity_type == "person":
        return split_person(ref.name)[1]
    if ref.entity_type == "weapon_system":
        return designation_key(ref.name)
    return org_core(ref.name)[:2]


def _pair_score(a: str, b: str, entity_type: str) -> float:
    if entity_type == "person":
        return person_score(split_person(a), split_person(b))
    if entity_type == "weapon_system":
        return 100.0 if designation_key(a) == designation_key(b) else 0.0
    core_a, core_b = org_core(a), org_core(b)
    return 100.0 if core_a == core_b else float(fuzz.token_sort_ratio(core_a, core_b))


def _context(obs: list[NameObservation]) -> set[str]:
    return set().union(*(o.context for o in obs)) if obs else set()
