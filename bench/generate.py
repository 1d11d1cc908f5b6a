"""Synthetic OGP-scale sources for benchmarks: a commitments export and commitment pages.

``python bench/generate.py --commitments N --seed S --out DIR [--pages K]`` writes

* ``DIR/commitments.csv``: the official 171-column header, read from the real export
  (``../shared/ogp/commitments.csv``) at generation time, and N rows whose values follow the
  real file: members keep their Code/Region/National Or Local; each member has several action
  plans with increasing years; identifiers are ``{member prefix}{nnnn}``; institutions come
  from a per-member pool with Zipf-like reuse; policy-area flags are drawn with each column's
  real frequency; the IRM block of a row is copied as a unit from a real row of the same
  submission year (so text values, numeric twins and report years stay consistent); titles
  and texts recombine the real texts' words of the same language (English, Spanish);
* ``DIR/pages/{ID}.txt``: K commitment pages in the newer English layout (see
  ``tests/fixtures/pages/UK0063_v2.txt`` and ``data/PE0055.txt``), for commitments that are
  also in the CSV, with a ``# source:`` line and a commitment list of the same action plan;
* ``DIR/.generator.json``: the parameters (hidden: the build skips dot files).

Everything is drawn from ``random.Random`` instances seeded from ``--seed`` and iterated in
sorted order, so the same seed and sizes give byte-identical files.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import hashlib
import json
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from pathlib import Path
from random import Random

from slugify import slugify

REAL_DIR = Path(__file__).resolve().parents[2] / "shared" / "ogp"
REAL_CSV = REAL_DIR / "commitments.csv"
GENERATOR_VERSION = 1
MAX_MEMBERS = 200
COMMITMENTS_PER_MEMBER = 80
MAX_PAGES = 2000
LIST_ENTRIES = 20  # commitment-list entries per page (the same action plan's commitments)
LAST_PLAN_YEAR = 2024

# Columns the generator fills itself (everything else is sampled from the real column).
ID, MEMBER, CODE, REGION, NOL = (
    "Commitment Unique Identifier", "Country/Locality", "Code", "Region", "National Or Local")
AP_ID, AP_NUMBER, AP_YEAR, AP_END, AP_DURATION = (
    "Action Plan ID", "Action Plan Number", "Year Of Submission", "Action Plan End Year",
    "Action Plan Duration (Years)")
NUMBER, TITLE, SHORT, FULL_TEXT = (
    "Commitment Number", "Commitment Title", "Short Title", "Full Text")
START, END, LEAD, SUPPORT, URL, ACTIVE, ROW_ID, DUMMY = (
    "Start Date", "End Date", "Lead Institution", "Supporting Institution(s)", "URL",
    "Active Commitment", "id", "Commitment Dummy")
POLICY_FIRST, POLICY_LAST = "Anti-Corruption and Integrity", "Money in Politics"
IRM_FIRST, IRM_LAST = "Report Publication Year (Progress Report)", "Binding constraint"
IRM_OWN = {"Updated? (Website)", ACTIVE}
FIXED_COLUMNS = {ID, MEMBER, CODE, REGION, NOL, AP_ID, AP_NUMBER, AP_YEAR, AP_END, AP_DURATION,
                 NUMBER, TITLE, SHORT, FULL_TEXT, START, END, LEAD, SUPPORT, URL, ACTIVE, ROW_ID,
                 DUMMY}  # inside the IRM range but not IRM values
MID_YEAR, END_YEAR = IRM_FIRST, "Report Publication Year (End Of Term)"
CLUSTER_IDS = "Cluster Commitment ID(s)"

NOT_ASSESSED = {"", "nd", "nr", "na", "n/a"}
STOPWORDS = {
    "en": {"the", "and", "of", "to", "in", "for", "on", "with", "by", "is", "be", "will"},
    "es": {"de", "la", "el", "los", "las", "y", "para", "en", "por", "con", "del", "que"},
    "fr": {"le", "la", "les", "des", "et", "pour", "du", "dans", "une", "est", "sur", "aux"},
}
WORD = re.compile(r"[^\W\d_][\w'’-]*")
CONJUNCTION = re.compile(r"(?<![\w-])(?:and|y|e|et|und)(?![\w-])|&", re.IGNORECASE)
ID_LIST = re.compile(r"^[A-Z]{2,5}\d{4}(?:\s*,\s*[A-Z]{2,5}\d{4})*$")
GOVERNMENT_HEADS = {
    "en": ["Ministry of", "Department of", "Office of the", "National Agency for",
           "Commission on", "Directorate of"],
    "es": ["Ministerio de", "Secretaría de", "Dirección General de", "Consejo Nacional de",
           "Oficina de"],
}
CSO_HEADS = {
    "en": ["Foundation for", "Centre for", "Institute of", "Network for", "Coalition for"],
    "es": ["Fundación", "Asociación Civil", "Centro de Estudios de", "Red de", "Observatorio de"],
}
ORDINALS = ["First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth",
            "Ninth", "Tenth", "Eleventh", "Twelfth"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
SYLLABLES = ["ka", "lo", "ra", "ven", "dor", "mi", "sa", "tel", "bru", "no", "qua", "zen",
             "ri", "ta", "mon", "gal", "vi", "sor", "pe", "lan", "cor", "du", "ne", "sta"]
ENDINGS = ["ia", "land", "stan", "ora", "any", "ovia", "era", "ica"]


def missing(value: str) -> bool:
    return value.strip().lower() in NOT_ASSESSED


def language_of(text: str) -> str:
    """en/es/fr by stop-word counts: enough to pool words by language, and fast."""
    words = [w.lower() for w in WORD.findall(text[:2000])]
    scores = {lang: sum(w in stops for w in words) for lang, stops in STOPWORDS.items()}
    return max(sorted(scores), key=lambda lang: scores[lang])


class WordPool:
    """Words of a corpus with their frequencies, drawn with those frequencies."""

    def __init__(self, texts: Sequence[str]) -> None:
        counts = Counter(w.strip("'’-") for text in texts for w in WORD.findall(text))
        counts.pop("", None)
        ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        self.words = [w for w, _ in ordered]
        self.cumulative: list[int] = []
        total = 0
        for _, n in ordered:
            total += n
            self.cumulative.append(total)

    def draw(self, rng: Random, k: int) -> list[str]:
        return rng.choices(self.words, cum_weights=self.cumulative, k=k)

    def capitalised(self, rng: Random, k: int) -> list[str]:
        """Name-like words: alphabetic, 4+ letters, no conjunction, capitalised."""
        found: list[str] = []
        while len(found) < k:
            word = self.draw(rng, 1)[0]
            if len(word) >= 4 and word.isalpha() and not CONJUNCTION.fullmatch(word):
                found.append(word[:1].upper() + word[1:].lower())
        return found


@dataclass
class Empirical:
    """A column's values, drawn with their real frequencies."""

    values: list[str]

    def draw(self, rng: Random) -> str:
        return self.values[int(rng.random() * len(self.values))]


@dataclass
class RealMember:
    name: str
    code: str
    region: str
    national_or_local: str
    prefix: str
    rows: int
    first_year: int
    languages: list[str]


@dataclass
class RealData:
    """What the generator learns from the real export."""

    header: list[str]
    columns: dict[str, Empirical]
    members: list[RealMember]
    durations: Empirical
    irm_columns: list[str]
    irm_by_year: dict[int, list[dict[str, str]]]
    title_words: dict[str, WordPool]
    text_words: dict[str, WordPool]
    short_words: WordPool
    title_lengths: dict[str, list[int]]
    text_lengths: list[int]
    government_names: dict[str, list[str]]  # language -> names seen as government
    cso_names: dict[str, list[str]]
    member_names: dict[str, tuple[list[str], list[str]]]  # member -> (government, cso)
    start_missing: float
    end_missing: float
    support_missing: float
    dotted_numbers: float

    page_areas: set[str] = field(default_factory=set)  # policy-area columns pages may name

    @property
    def policy_columns(self) -> list[str]:
        first, last = self.header.index(POLICY_FIRST), self.header.index(POLICY_LAST)
        return self.header[first:last + 1]

    def nearest_year(self, year: int) -> int:
        return min(sorted(self.irm_by_year), key=lambda y: (abs(y - year), y))

    @cached_property
    def sampled(self) -> list[str]:
        """Columns drawn on their own from the real column (the rest are set per row)."""
        fixed = set(self.irm_columns) | FIXED_COLUMNS
        return [name for name in self.header if name not in fixed]


def read_real(path: Path = REAL_CSV) -> RealData:
    if not path.is_file():
        raise SystemExit(f"error: the real OGP export {path} is missing; the generator samples "
                         "its header and value distributions (expected ../shared/ogp beside "
                         "the repository)")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = [name.strip() for name in next(reader)]
        rows = [dict(zip(header, row, strict=True)) for row in reader if any(row)]
    for needed in (ID, MEMBER, POLICY_FIRST, POLICY_LAST, IRM_FIRST, IRM_LAST, AP_ID):
        if needed not in header:
            raise SystemExit(f"error: {path} has no column {needed!r}; not the OGP export")
    languages = [language_of(f"{r[TITLE]} {r[FULL_TEXT]}") for r in rows]
    by_member: dict[str, list[int]] = defaultdict(list)
    for index, row in enumerate(rows):
        by_member[row[MEMBER]].append(index)
    members = []
    for name in sorted(by_member):
        indices = by_member[name]
        first = rows[indices[0]]
        prefix = re.match(r"[A-Z]+", first[ID].upper())
        members.append(RealMember(
            name=name, code=first[CODE], region=first[REGION],
            national_or_local=first[NOL], prefix=prefix.group() if prefix else "XX",
            rows=len(indices), first_year=min(int(rows[i][AP_YEAR]) for i in indices),
            languages=sorted(languages[i] for i in indices)))
    plans = {(r[MEMBER], r[AP_YEAR]): r[AP_END] for r in rows}
    durations = sorted(max(1, int(end) - int(year)) for (_, year), end in plans.items()
                       if end.isdigit() and year.isdigit())
    header_index = {name: i for i, name in enumerate(header)}
    irm_columns = [c for c in header[header_index[IRM_FIRST]:header_index[IRM_LAST] + 1]
                   if c not in IRM_OWN]
    irm_by_year: dict[int, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        block = {c: row[c] for c in irm_columns}
        if ID_LIST.match(block.get(CLUSTER_IDS, "").strip()):
            block[CLUSTER_IDS] = "NA"  # ids of real commitments mean nothing here
        irm_by_year[int(row[AP_YEAR])].append(block)
    by_language: dict[str, list[int]] = defaultdict(list)
    for index, lang in enumerate(languages):
        by_language[lang].append(index)
    title_words = {lang: WordPool([rows[i][TITLE] for i in idx])
                   for lang, idx in sorted(by_language.items())}
    text_words = {lang: WordPool([rows[i][FULL_TEXT] for i in idx])
                  for lang, idx in sorted(by_language.items())}
    title_lengths = {lang: sorted(min(30, max(2, len(WORD.findall(rows[i][TITLE]))))
                                  for i in idx) for lang, idx in sorted(by_language.items())}
    government, cso, member_names = _institution_names(rows, languages)
    columns = {name: Empirical(sorted(r[name] for r in rows)) for name in header}
    numbers = [r[NUMBER] for r in rows]
    return RealData(
        header=header, columns=columns, members=members, durations=Empirical(durations),
        irm_columns=irm_columns, irm_by_year=dict(irm_by_year), title_words=title_words,
        text_words=text_words, short_words=WordPool([r[SHORT] for r in rows]),
        title_lengths=title_lengths,
        # half the real length, within 50-400 words: most real texts are longer than 400
        text_lengths=sorted(min(400, max(50, len(r[FULL_TEXT].split()) // 2)) for r in rows),
        government_names=government, cso_names=cso, member_names=member_names,
        start_missing=sum(missing(r[START]) for r in rows) / len(rows),
        end_missing=sum(missing(r[END]) for r in rows) / len(rows),
        support_missing=sum(missing(r[SUPPORT]) for r in rows) / len(rows),
        dotted_numbers=sum(not n.isdigit() for n in numbers) / len(numbers),
    )


def usable_name(name: str) -> bool:
    """A name both readers cut out whole: one name, no separator or conjunction in it."""
    return (3 <= len(name) <= 90 and name[:1].isupper() and not missing(name)
            and not any(ch in name for ch in ",;:()•\n\"")
            and not CONJUNCTION.search(name) and name.lower() not in {"unclear", "none"})


def _cell_names(cell: str) -> list[str]:
    return [" ".join(p.split()).strip(" .-") for p in re.split(r"[,;\n•]", cell)]


def _institution_names(rows: list[dict[str, str]], languages: list[str]):
    government: dict[str, list[str]] = defaultdict(list)
    cso: dict[str, list[str]] = defaultdict(list)
    per_member: dict[str, tuple[list[str], list[str]]] = {}
    for row, lang in zip(rows, languages, strict=True):
        own = per_member.setdefault(row[MEMBER], ([], []))
        support = row[SUPPORT]
        before, _, after = support.partition(";") if support.count(";") == 1 else (support, "", "")
        for names, target, mine in ((row[LEAD] + "," + before, government, own[0]),
                                    (after, cso, own[1])):
            for name in _cell_names(names):
                if usable_name(name):
                    if name not in target[lang]:
                        target[lang].append(name)
                    if name not in mine:
                        mine.append(name)
    return ({k: sorted(v) for k, v in government.items()}, {k: sorted(v) for k, v in cso.items()},
            per_member)


# --- the synthetic population ----------------------------------------------------------------


@dataclass
class Plan:
    number: int
    year: int
    end_year: int
    identifier: str
    mid_report: str = ""  # publication years of its IRM reports: one per report, so per plan
    end_report: str = ""


@dataclass
class Member:
    name: str
    code: str
    region: str
    national_or_local: str
    prefix: str
    languages: list[str]
    plans: list[Plan] = field(default_factory=list)
    count: int = 0
    government: list[str] = field(default_factory=list)
    cso: list[str] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return slugify(self.name, max_length=80, word_boundary=True)

    @property
    def local(self) -> bool:
        return "local" in self.national_or_local.lower()


def member_count(commitments: int) -> int:
    return min(MAX_MEMBERS, max(min(commitments, 5), round(commitments / COMMITMENTS_PER_MEMBER)))


def make_members(real: RealData, commitments: int, rng: Random) -> list[Member]:
    wanted = member_count(commitments)
    chosen = sorted(rng.sample(real.members, min(wanted, len(real.members))),
                    key=lambda m: m.name)
    members = [Member(m.name, m.code, m.region, m.national_or_local, m.prefix, m.languages)
               for m in chosen]
    weights = [float(m.rows) for m in chosen]
    used_names = {m.name for m in real.members}
    used_codes = {m.code for m in real.members}
    used_prefixes = {m.prefix for m in real.members}
    while len(members) < wanted:
        donor = real.members[int(rng.random() * len(real.members))]
        local = rng.random() < 0.1
        name = _invented_name(rng, used_names, local)
        code = _invented_code(rng, used_codes, 4 if local else 3)
        prefix = _invented_code(rng, used_prefixes, 3 if local else 2)
        members.append(Member(name, code, donor.region,
                              "Legacy Local" if local else "National", prefix, donor.languages))
        weights.append(float(real.members[int(rng.random() * len(real.members))].rows))
    counts = Counter(rng.choices(range(len(members)), weights=weights,
                                 k=commitments - len(members)))
    for index, member in enumerate(members):
        member.count = 1 + counts[index]
        if member.count > 9999:
            raise SystemExit(f"error: {member.count} commitments for one member; ids have "
                             "four digits (use fewer commitments)")
    for member in members:
        _make_plans(member, real, rng)
    return members


def _invented_name(rng: Random, used: set[str], local: bool) -> str:
    while True:
        stem = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 2)))
        name = (stem + rng.choice(ENDINGS)).capitalize()
        if local:
            city = "".join(rng.choice(SYLLABLES) for _ in range(2)).capitalize()
            name = f"{city}, {name}"
        if name not in used:
            used.add(name)
            return name


def _invented_code(rng: Random, used: set[str], length: int) -> str:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    while True:
        code = "".join(rng.choice(letters) for _ in range(length))
        if code not in used:
            used.add(code)
            return code


def _make_plans(member: Member, real: RealData, rng: Random) -> None:
    first_years = sorted(m.first_year for m in real.members if m.first_year <= 2018)
    year = first_years[int(rng.random() * len(first_years))]
    number = 1
    while year <= LAST_PLAN_YEAR:
        duration = int(real.durations.draw(rng))
        plan = Plan(number, year, year + duration, f"AP_{member.code}{number:02d}")
        plan.mid_report, plan.end_report = report_years(real, year, rng)
        member.plans.append(plan)
        year, number = year + duration, number + 1


def report_years(real: RealData, year: int, rng: Random) -> tuple[str, str]:
    """A real (mid-term, end-of-term) publication-year pair of plans submitted that year."""
    blocks = real.irm_by_year[real.nearest_year(year)]
    shift = year - real.nearest_year(year)
    mids = sorted(int(b[MID_YEAR]) for b in blocks if b[MID_YEAR].isdigit())
    mid = mids[int(rng.random() * len(mids))] + shift if mids else None
    ends = sorted(int(b[END_YEAR]) for b in blocks if b[END_YEAR].isdigit()
                  and (mid is None or int(b[END_YEAR]) + shift >= mid))
    end = ends[int(rng.random() * len(ends))] + shift if ends else None
    return (str(mid) if mid else "", str(end) if end else "")


def institution_pools(member: Member, real: RealData, rng: Random) -> None:
    """Per-member pools, the member's real names first; the rest drawn or invented."""
    size = max(3, min(300, int(member.count ** 0.7)))
    lang = member.languages[0] if member.languages else "en"
    own_gov, own_cso = real.member_names.get(member.name, ([], []))
    own_cso = [name for name in own_cso if name not in own_gov]  # one kind per institution
    for own, shared, heads, target in (
            (own_gov, real.government_names, GOVERNMENT_HEADS, member.government),
            (own_cso, real.cso_names, CSO_HEADS, member.cso)):
        target.extend(own[:size])
        taken = set(member.government) | set(target)
        others = [n for n in shared.get(lang, []) if n not in taken]
        take = min(len(others), max(0, size - len(target)))
        target.extend(rng.sample(others, take))
        words = real.title_words.get(lang) or real.title_words["en"]
        lang_heads = heads.get(lang, heads["en"])
        while len(target) < size:
            name = f"{rng.choice(lang_heads)} {' '.join(words.capitalised(rng, 2))}"
            if name not in target:
                target.append(name)


def zipf_pick(pool: list[str], rng: Random, k: int) -> list[str]:
    """k distinct names, the first of the pool most often (weight 1/rank)."""
    k = min(k, len(pool))
    cumulative = _zipf_cumulative(len(pool))
    chosen: list[str] = []
    while len(chosen) < k:
        name = pool[bisect.bisect(cumulative, rng.random() * cumulative[-1])]
        if name not in chosen:
            chosen.append(name)
    return chosen


_ZIPF: dict[int, list[float]] = {}


def _zipf_cumulative(n: int) -> list[float]:
    if n not in _ZIPF:
        total, cumulative = 0.0, []
        for rank in range(1, n + 1):
            total += 1.0 / rank
            cumulative.append(total)
        _ZIPF[n] = cumulative
    return _ZIPF[n]


# --- rows ------------------------------------------------------------------------------------


@dataclass
class Row:
    values: dict[str, str]
    member: Member
    plan: Plan
    lang: str

    @property
    def identifier(self) -> str:
        return self.values[ID]


def sentence(words: list[str]) -> str:
    text = " ".join(words)
    return text[:1].upper() + text[1:] + "."


def prose(pool: WordPool, rng: Random, total: int) -> str:
    """``total`` words as sentences of 8-22 words, in paragraphs of about four sentences."""
    words = pool.draw(rng, total)
    sentences, start = [], 0
    while start < len(words):
        size = rng.randint(8, 22)
        sentences.append(sentence(words[start:start + size]))
        start += size
    paragraphs = [" ".join(sentences[i:i + 4]) for i in range(0, len(sentences), 4)]
    return "\n".join(paragraphs)


def us_date(day: date) -> str:
    return f"{day.month}/{day.day}/{day.year}"


def dates(plan: Plan, real: RealData, rng: Random) -> tuple[date | None, date | None]:
    start = end = None
    if rng.random() >= real.start_missing:
        month = rng.randint(1, 12)
        start = date(plan.year, month, 1 if rng.random() < 0.7 else rng.randint(1, 28))
    if rng.random() >= real.end_missing:
        lowest = start or date(plan.year, 1, 1)
        year = rng.randint(lowest.year, max(lowest.year, plan.end_year))
        month = rng.randint(lowest.month if year == lowest.year else 1, 12)
        following = date(year + (month == 12), month % 12 + 1, 1)
        end = following - timedelta(days=1)  # OGP plans end on a month's last day
    return start, end


def make_row(member: Member, plan: Plan, sequence: int, number: int, row_id: int,
             real: RealData, rng: Random) -> Row:
    lang = member.languages[int(rng.random() * len(member.languages))]
    identifier = f"{member.prefix}{sequence:04d}"
    values = {name: real.columns[name].draw(rng) for name in real.sampled}
    donors = real.irm_by_year[real.nearest_year(plan.year)]
    values.update(donors[int(rng.random() * len(donors))])
    for column, year in ((MID_YEAR, plan.mid_report), (END_YEAR, plan.end_report)):
        if values[column].isdigit():  # the plan's report, or not reviewed when it has none
            values[column] = year or "NR"
    title_pool = real.title_words.get(lang) or real.title_words["en"]
    text_pool = real.text_words.get(lang) or real.text_words["en"]
    lengths = real.title_lengths.get(lang) or real.title_lengths["en"]
    title = " ".join(title_pool.draw(rng, lengths[int(rng.random() * len(lengths))]))
    start, end = dates(plan, real, rng)
    values.update({
        ID: identifier, MEMBER: member.name, CODE: member.code, REGION: member.region,
        NOL: member.national_or_local, DUMMY: "1", AP_ID: plan.identifier,
        AP_NUMBER: str(plan.number), AP_YEAR: str(plan.year), AP_END: str(plan.end_year),
        AP_DURATION: str(plan.end_year - plan.year),
        NUMBER: (f"{number}.{rng.randint(1, 5)}" if rng.random() < real.dotted_numbers
                 else str(number)),
        TITLE: title[:1].upper() + title[1:],
        SHORT: " ".join(w[:1].upper() + w[1:] for w in real.short_words.draw(
            rng, rng.randint(2, 7))),
        FULL_TEXT: prose(text_pool, rng, real.text_lengths[int(rng.random()
                                                               * len(real.text_lengths))]),
        START: us_date(start) if start else "NA",
        END: us_date(end) if end else "NA",
        LEAD: ", ".join(zipf_pick(member.government, rng, 1 + (rng.random() < 0.1))),
        SUPPORT: support_cell(member, real, rng),
        URL: f"https://opengovpartnership.org/members/{member.slug}/commitments/"
             f"{identifier.lower()}",
        ACTIVE: "1" if plan.end_year >= LAST_PLAN_YEAR else "0",
        ROW_ID: str(row_id),
    })
    return Row(values, member, plan, lang)


def support_cell(member: Member, real: RealData, rng: Random) -> str:
    if rng.random() < real.support_missing:
        return "NA"
    government = zipf_pick(member.government, rng, rng.randint(0, 3))
    cso = zipf_pick(member.cso, rng, rng.randint(0 if government else 1, 4))
    if government and cso:  # OGP's convention: government; civil society
        return f"{', '.join(government)}; {', '.join(cso)}"
    return ", ".join(government or cso)


def member_rows(member: Member, real: RealData, rng: Random, first_row_id: int) -> Iterator[Row]:
    weights = [0.5 + rng.random() for _ in member.plans]
    per_plan = Counter(rng.choices(range(len(member.plans)), weights=weights, k=member.count))
    sequence, row_id = 0, first_row_id
    for index, plan in enumerate(member.plans):
        for number in range(1, per_plan[index] + 1):
            sequence += 1
            yield make_row(member, plan, sequence, number, row_id, real, rng)
            row_id += 1


# --- pages -----------------------------------------------------------------------------------


@dataclass
class ListEntry:
    identifier: str
    year: int
    title: str
    area: str


def policy_labels(row: Row, real: RealData) -> list[str]:
    return [name for name in real.policy_columns
            if row.values[name] == "1" and name in real.page_areas]


def plan_name(member: Member, plan: Plan) -> str:
    years = f"{plan.year}-{plan.end_year}"
    if member.local:
        return f"{member.name} Action Plan {years}"
    ordinal = ORDINALS[min(plan.number, len(ORDINALS)) - 1]
    return f"{member.name} – {ordinal} National Action Plan {years}"


def _value(row: Row, column: str) -> str:
    raw = row.values.get(column, "")
    return "" if missing(raw) else raw


def irm_lines(row: Row) -> list[str]:
    """The IRM Review block, with the row's values on the latest listed report (as pages do)."""
    member, plan = row.member, row.plan
    years = f"{plan.year}-{plan.end_year}"
    name = member.name.split(",")[0]  # "Scotland, United Kingdom": report lists split on commas
    reports = []
    has_end = _value(row, END_YEAR).isdigit()
    has_mid = _value(row, MID_YEAR).isdigit()
    if has_end:
        reports.append(f"{name} End-of-Term Report {years}")
    if has_mid:
        reports.append(f"{name} Mid-Term Report {years}")
    lines = ["IRM Review", f"IRM Report: {', '.join(reports) or 'Pending IRM Review'}"]
    if not reports:
        return lines + ["Early Results:", "Design i", "Verifiable:",
                        "Relevant to OGP Values:", "Ambition (see definition):",
                        "Implementation i", "Completion:"]
    diog = _value(row, "Did It Open Government (Overall)") if has_end else ""
    if diog.lower().startswith("no early results") or diog.lower() == "not applicable":
        diog = ""
    completion = _value(row, "Completion (End Of Term)" if has_end
                        else "Completion (Progress Report)")
    if completion.lower() in {"unclear", "withdrawn"}:
        completion = ""
    verifiable = {"yes": "Yes", "1": "Yes", "no": "No"}.get(_value(row, "Verifiable").lower(),
                                                            "")
    relevant = {"1": "Yes", "0": "No"}.get(_value(row, "_Relevant"), "")
    if has_end:  # page values go to the latest report; mid-term ones would be misfiled
        verifiable = relevant = ""
    return lines + [f"Early Results: {diog}", "Design i", f"Verifiable: {verifiable}",
                    f"Relevant to OGP Values: {relevant}", "Ambition (see definition):",
                    "Implementation i", f"Completion: {completion}"]


def month_year(us: str) -> str | None:
    if missing(us):
        return None
    month, _, year = us.split("/")
    return f"{MONTHS[int(month) - 1]} {year}"


def page_text(row: Row, entries: list[ListEntry], real: RealData, rng: Random) -> str:
    member, plan, v = row.member, row.plan, row.values
    url = (f"https://www.opengovpartnership.org/members/{member.slug}/commitments/"
           f"{row.identifier}/")
    status = "Active" if v[ACTIVE] == "1" else "Inactive"
    blocks = [
        f"# source: {url}\nSkip Navigation\n{member.name}",
        f"{v[TITLE]} ({row.identifier})", "Overview", "At-a-Glance",
        f"Action Plan: {plan_name(member, plan)}", f"Action Plan Cycle: {plan.year}",
        f"Status: {status}", "Institutions", f"Lead Institution: {v[LEAD]}",
        f"Support Institution(s): {v[SUPPORT]}", "Policy Areas",
    ]
    areas = policy_labels(row, real)
    if areas:
        blocks.append(", ".join(areas))
    blocks += irm_lines(row)
    blocks += ["Description", *v[FULL_TEXT].split("\n"), "IRM End of Term Status Summary",
               f"{v[NUMBER].split('.')[0]}. {v[SHORT]}"]
    first_sentence = v[FULL_TEXT].split(". ")[0].rstrip(".") + "."
    text_pool = real.text_words.get(row.lang) or real.text_words["en"]
    milestones = "\n".join(f"  • {sentence(text_pool.draw(rng, rng.randint(6, 14)))}"
                           for _ in range(rng.randint(2, 5)))
    blocks += [f"Commitment Text:{first_sentence}", milestones]
    start, end = month_year(v[START]), month_year(v[END])
    if start and end:
        blocks.append(f"Start Date: {start} End Date: {end}")
    if entries:
        items = [f"  {i}. {e.title}\n\n    {e.identifier}, {e.year}, {e.area}".rstrip(", ")
                 for i, e in enumerate(entries, 1)]
        blocks += [f"{member.name}'s Commitments", *items]
    text = "\n\n".join(blocks)
    return "\n".join(line.rstrip() for line in text.split("\n")) + "\n"


# --- writing ---------------------------------------------------------------------------------


def default_pages(commitments: int) -> int:
    return min(commitments // 10, MAX_PAGES)


def generate(commitments: int, seed: int, out: Path, pages: int | None = None,
             real_csv: Path = REAL_CSV) -> dict:
    """Write the synthetic sources into ``out``; returns the parameters written beside them."""
    if commitments < 1:
        raise SystemExit("error: --commitments must be at least 1")
    pages = default_pages(commitments) if pages is None else min(pages, commitments)
    real = read_real(real_csv)
    real.page_areas = policy_area_labels(real)
    rng = Random(seed)
    members = make_members(real, commitments, rng)
    for member in members:
        institution_pools(member, real, Random(f"{seed}:institutions:{member.name}"))
    ids = [f"{m.prefix}{i:04d}" for m in members for i in range(1, m.count + 1)]
    page_ids = set(rng.sample(ids, pages))
    out.mkdir(parents=True, exist_ok=True)
    page_dir = out / "pages"
    if page_dir.exists():
        for old in sorted(page_dir.glob("*.txt")):
            old.unlink()
    page_dir.mkdir(exist_ok=True)
    page_rows: list[Row] = []
    plan_entries: dict[tuple[str, int], list[ListEntry]] = defaultdict(list)
    row_id = 1
    plans_used: set[str] = set()
    with (out / "commitments.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(real.header)
        for member in members:
            member_rng = Random(f"{seed}:rows:{member.name}")
            for row in member_rows(member, real, member_rng, row_id):
                writer.writerow([row.values[name] for name in real.header])
                row_id += 1
                plans_used.add(row.plan.identifier)
                key = (member.name, row.plan.year)
                if pages and len(plan_entries[key]) < LIST_ENTRIES:
                    areas = policy_labels(row, real)
                    plan_entries[key].append(ListEntry(row.identifier, row.plan.year,
                                                       row.values[TITLE],
                                                       areas[0] if areas else ""))
                if row.identifier in page_ids:
                    page_rows.append(row)
    for row in page_rows:
        page_rng = Random(f"{seed}:page:{row.identifier}")
        entries = plan_entries[(row.member.name, row.plan.year)]
        text = page_text(row, entries, real, page_rng)
        (page_dir / f"{row.identifier}.txt").write_text(text, encoding="utf-8")
    params = {"generator_version": GENERATOR_VERSION, "generator_sha256": source_digest(),
              "commitments": commitments, "seed": seed, "pages": pages,
              "members": len(members), "action_plans": len(plans_used)}
    (out / ".generator.json").write_text(json.dumps(params, indent=2) + "\n", encoding="utf-8")
    return params


def policy_area_labels(real: RealData) -> set[str]:
    """Policy-area columns whose name is a label our vocabulary knows (others would make the
    page reader invent a concept, which the CSV reader does not)."""
    try:
        from ogpgraph.records.vocabulary import lookup
    except ImportError:  # the generator also runs without ogpgraph installed
        return set(real.policy_columns)
    return {name for name in real.policy_columns if lookup("policy-area", name)}


def source_digest() -> str:
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commitments", "-n", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--pages", type=int, default=None,
                        help=f"commitment pages (default: min(N//10, {MAX_PAGES}))")
    parser.add_argument("--real-csv", type=Path, default=REAL_CSV,
                        help="the real OGP export to sample from")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    params = generate(args.commitments, args.seed, args.out, args.pages, args.real_csv)
    print(json.dumps(params), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
