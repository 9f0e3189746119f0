"""Canonical metrics: the figures that matter across reports, under SCHEMA.md keys.

Three sources, strongest first:

1. ``from_tables``: the national template tables (表二/表三/表四), read by :mod:`zqparse.tables`;
2. the statistics table appended to many pre-2019 reports (政府信息公开情况统计表: rows such as
   主动公开信息数 / 受理依申请公开信息总数 / 同意公开答复数, the year's column, never 历年累计),
   as a table block or as pipe-rendered lines of text input;
3. the prose: a figure whose clause names the metric (共主动公开政府信息1740条), or a statement
   of none (未收到行政复议申请 → review.total 0; 没有收取任何费用 → fees.collected_yuan 0).

A stronger source wins for the same key; a weaker one only adds keys the stronger
ones lack. Each prose rule is bound to the sections where it may be read
(request counts only under a requests heading, and so on), so that 共受理申请121510件
about administrative approvals in an overview is not taken for disclosure requests.
On a template page the prose adds only keys no template table can hold
(proactive.total, fees.collected_yuan): the tables are the record there.
The rules are data below; the first statement in document order wins.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import InvalidOperation
from typing import Callable, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Tuple

from .figures import is_running_text
from .model import Block, Figure, Number, Page, Section
from .numerals import parse_arabic, to_number
from .script import fold, fold_page
from .sections import SectionIndex
from .vocab import FAMILY_SIGNATURES, TEMPLATE_HEADINGS

__all__ = ["canonical_metrics", "prose_metrics", "statistics_table_metrics", "states_none", "PROSE_KEYS",
           "NONE_RULES", "NoneRule"]

# --------------------------------------------------------------------------- vocabulary

#: the keys prose may give (SCHEMA.md, "Prose reports")
PROSE_KEYS = (
    "proactive.total", "requests.new.total", "requests.carried_over.total", "requests.granted.total",
    "requests.partial.total", "requests.denied.total", "requests.unable.total", "requests.rejected.total",
    "requests.other.total", "requests.total.total", "requests.carried_forward.total", "review.total",
    "litigation.total", "fees.collected_yuan",
)
#: on a template page, the prose keys no template table holds
TEMPLATE_PROSE_KEYS = ("proactive.total", "fees.collected_yuan")

#: where each group of metrics may be read: level-1 section kinds, or a section title on the path
#: (pages without numbered sections are read everywhere)
PLACES = {
    "proactive": (("proactive", "overview"), r"主动公开"),
    "proactive_weak": (("proactive",), r"主动公开"),
    "requests": (("requests",), r"依申请|申请公开|申请情况"),
    # a clause that names disclosure requests itself (政府信息公开申请, 依申请公开) is read in an overview too
    "disclosure_requests": (("requests", "overview"), r"依申请|申请公开|申请情况"),
    "review": (("review_litigation", "requests"), r"复议|诉讼|依申请|申请公开|申请情况"),
    # a statement of none (未发生行政复议, 未收取费用) is read in an overview too
    "review_none": (("review_litigation", "requests", "overview"), r"复议|诉讼|依申请|申请公开|申请情况"),
    "fees": (("fees", "other", "requests"), r"收费|费用"),
    "fees_none": (("fees", "other", "requests", "overview"), r"收费|费用"),
}

#: units a count of items / requests / cases may carry
COUNT_UNITS = ("条", "件", "份", "项", "个", "宗", "起", "次", "篇")


@dataclass(frozen=True, slots=True)
class FigureRule:
    """A figure gives metric ``key`` under ``place`` when the words before its number (up to the
    clause start) match ``before`` (anchored at the end), or the words after its unit match
    ``after`` (anchored at the start), and the sentence up to the figure does not match
    ``unless``. ``examples`` are sentences that state the metric (the number they print),
    ``non_examples`` sentences that do not."""

    name: str
    key: str
    place: str
    examples: Tuple[str, ...]
    non_examples: Tuple[str, ...]
    before: Optional[str] = None
    after: Optional[str] = None
    units: Tuple[str, ...] = COUNT_UNITS
    unless: Optional[str] = None


_NOT_PROACTIVE_TOTAL = r"截至|截止|历年|其中|分别为|占"
#: a count of one social-media channel is not the year's total (微信公众号全年发布信息2920条)
_SOCIAL_CHANNEL = r"|微信|微博|公众号|客户端|抖音|头条号|视频号"
#: between a metric's noun and its number: 数/数量/总数, then 共计/合计/总计/共/有/达/为 (信息共计56条, 信息数21条)
_COUNT_LINK = r"(?:数量?|总数)?(?:共计|合计|总计|累计|共|有|达|为)?"
_NOT_REQUESTS_NEW = r"复议|诉讼|申诉|审批|其中"

FIGURE_RULES = (
    FigureRule("proactive", "proactive.total", "proactive",
               before=r"(?:主动(?:公开|发布)|公布)了?(?:[我本全][^,。;:、()]{0,8}?)?(?:各类|各项)?(?:政府|政务)?信息(?:\([^()]{0,30}\))?"
               + _COUNT_LINK + "$",
               unless=_NOT_PROACTIVE_TOTAL,
               examples=("2016年全区主动公开政府信息3460条", "2013年新增主动公开政府信息45条",
                         "2024年,洪泽区主动发布各类政府信息2428条", "2009年我局主动公开信息共42条",
                         "全年新增主动公开政府信息共计56条", "2012年我镇主动公开政府信息数21条"),
               non_examples=("截至2017年底,累计主动公开政府信息85376条",)),
    FigureRule("proactive_published", "proactive.total", "proactive_weak",
               before=r"(?:公开|发布)(?:[我本全][^,。;:、()]{0,8}?)?(?:各类|各项)?(?:政府|政务)?信息" + _COUNT_LINK + "$",
               unless=_NOT_PROACTIVE_TOTAL + _SOCIAL_CHANNEL,
               examples=("2010年,我镇通过门户网站公开各类信息46条", "2022年在网站发布政府信息479条",
                         "2023年度,市政府门户网站公开全市各类政府信息共计3437条"),
               non_examples=("截至目前,历年公开政府信息85376条", "“高平市人民政府”微信公众号全年发布信息2920条")),
    FigureRule("requests", "requests.new.total", "requests",
               before=r"(?:收到|受理|接到|接收|新收)[^,。;:]{0,24}?申请(?:信息)?(?:公开)?" + _COUNT_LINK + "$",
               unless=_NOT_REQUESTS_NEW,
               examples=("2014年全区收到有关政府信息公开的信函申请1条,已受理回复",
                         "2025年,全区共收到政府信息公开申请154件", "全年共收到和办理依申请公开9件",
                         "全年新收政府信息公开申请数量0件", "我局2025年共受理依申请信息公开10件"),
               non_examples=("今年我局共受理审批事项117件", "全年受理网络问政182件")),
    FigureRule("requests_disclosure", "requests.new.total", "disclosure_requests",
               before=r"(?:收到|受理|接到|接收|新收)[^,。;:]{0,24}?(?:信息公开申请|依申请公开)" + _COUNT_LINK + "$",
               unless=_NOT_REQUESTS_NEW,
               examples=("2019年,累计对外公开规章和规范性文件14件,收到并处理政府信息公开申请7项",),
               non_examples=("今年我局共受理审批申请117件",)),
    FigureRule("requests_counted_first", "requests.new.total", "requests",
               before=r"(?:收到|受理|接到|接收)$", after=r"(?:依|公开)?申请", unless=_NOT_REQUESTS_NEW,
               examples=("本年度全区共收到70件申请,及时依法依规办结69件", "2022年度我单位共收到4条依申请公开信息要求"),
               non_examples=("今年我局共受理审批事项117件",)),
    FigureRule("requests_answered", "requests.total.total", "requests",
               before=r"(?:答复总数|答复数|办结|答复)(?:申请)?$", unless=r"其中|审批|复议|诉讼",
               examples=("对依申请公开的答复总数3条,其中同意公开答复数2条,其它公开答复数1条",
                         "2025年,全区共收到政府信息公开申请154件,共办结148件", "2021年新接收依申请公开26件,办结申请25件"),
               non_examples=("今年我局共受理审批事项117件,办结171件",)),
    FigureRule("requests_granted", "requests.granted.total", "requests",
               before=r"(?:同意|予以)公开(?:答复数|的)?”?$",
               examples=("对依申请公开的答复总数3条,其中同意公开答复数2条,其它公开答复数1条",
                         "共收到信息公开申请7件,上年度结转1件;予以公开3件,无法提供4件"),
               non_examples=("其中同意部分公开3件",)),
    FigureRule("requests_partial", "requests.partial.total", "requests",
               before=r"(?:同意)?部分公开(?:答复数|的)?”?$",
               examples=("其中同意公开12件,部分公开3件",),
               non_examples=("其中同意公开12件",)),
    FigureRule("requests_denied", "requests.denied.total", "requests",
               before=r"(?:不予公开|否决公开|免于公开)(?:答复数|的)?”?$",
               examples=("对依申请公开的答复总数21条,其中同意公开答复数17条,其它公开答复数2条,免于公开答复数2条",),
               non_examples=("对依申请公开的答复总数3条,其中同意公开答复数2条,其它公开答复数1条",)),
    FigureRule("requests_unable", "requests.unable.total", "requests",
               before=r"无法提供(?:的)?”?$",
               examples=("共收到信息公开申请7件,上年度结转1件;予以公开3件,无法提供4件",),
               non_examples=("其中同意公开12件",)),
    FigureRule("requests_rejected", "requests.rejected.total", "requests",
               before=r"不予处理(?:的)?”?$",
               examples=("目前依法办结122件,其中予以公开的27件,部分公开的38件,无法提供的48件,不予处理的5件",),
               non_examples=("其中同意公开12件",)),
    FigureRule("requests_other", "requests.other.total", "requests",
               before=r"其他处理(?:的)?”?$",
               examples=("无法提供的48件,不予处理的5件,其他处理的4件",),
               non_examples=("其中同意公开12件",)),
    FigureRule("requests_carried_over", "requests.carried_over.total", "requests",
               before=r"(?:上年度?|上一年度?)结转[^,。;:]{0,14}$",
               examples=("全年共收到和办理依申请公开9件,上年度结转政府信息公开申请0件",
                         "2023年,共收到政府信息公开申请132件,上年结转2件,共计134件"),
               non_examples=("2025年,全区共收到政府信息公开申请154件,共办结148件,结转至2026年6件",)),
    FigureRule("requests_carried_forward", "requests.carried_forward.total", "requests",
               # 上年(度)结转 is the year before's (carried over), not carried forward
               before=r"(?<!上年)(?<!上年度)(?<!上一年度)结转[^,。;:]{0,10}$",
               examples=("2025年,全区共收到政府信息公开申请154件,共办结148件,结转至2026年6件",
                         "上年结转2件,共计134件。目前依法办结122件,结转下年度继续办理的12件"),
               non_examples=("2025年,全区共收到政府信息公开申请154件,共办结148件",
                             "全年共收到和办理依申请公开9件,上年度结转政府信息公开申请0件")),
    FigureRule("requests_carried_forward_after", "requests.carried_forward.total", "requests",
               after=r"结转|转(?:入|至)?(?:下一?年度?|\d{4}年)",
               examples=("本年度全区共收到70件申请,及时依法依规办结69件,1件结转下年度继续办理",
                         "2021年新接收依申请公开26件,办结申请25件,另有1件转2022年继续办理"),
               non_examples=("本年度全区共收到70件申请,及时依法依规办结69件",)),
    FigureRule("reviews", "review.total", "review", before=r"复议(?:案件?|申请)?(?:共|数)?$",
               examples=("2013年,我局收到以有关政府信息公开行政复议0件",
                         "2022年,全区政府信息公开工作方面共有行政诉讼案件1件、行政复议案件2件"),
               non_examples=("2022年,全区政府信息公开工作方面共有行政诉讼案件1件",)),
    FigureRule("litigation", "litigation.total", "review", before=r"(?:行政)?诉讼(?:案件?)?(?:共|数)?$",
               examples=("2022年,全区政府信息公开工作方面共有行政诉讼案件1件、行政复议案件2件",),
               non_examples=("2013年,我局收到以有关政府信息公开行政复议0件",)),
    FigureRule("fees_collected", "fees.collected_yuan", "fees", before=r"(?:收取|收费)[^,。;]{0,30}$", units=("元",),
               examples=("本年度共收取信息检索复制费用120元",),
               non_examples=("办理行政许可收费项目12项",)),
)

@dataclass(frozen=True, slots=True)
class NoneRule:
    """A statement that a metric is none (0), read sentence by sentence under ``place``.

    ``pattern`` finds the statement unless its match holds ``unless``; every match holds one
    of the words ``needs``, so a block without any of them is not searched for the rule (a
    search of 不…收费 stops at every 不 of a long page). ``examples`` are sentences that state
    the metric is 0, ``non_examples`` sentences that do not.
    """

    name: str
    key: str
    place: str
    pattern: str
    unless: Optional[str]
    needs: Tuple[str, ...]
    examples: Tuple[str, ...]
    non_examples: Tuple[str, ...]


NONE_RULES = (
    NoneRule(
        "no_requests", "requests.new.total", "disclosure_requests",
        # not a request that led to a review (未收到因依申请公开答复而引起的行政复议)
        r"(?:未|没有|无)(?:收到|接到|接收到?|受理|发生)[^,。;]{0,40}?(?:申请|要求|来信)(?![^,。;]*(?:复议|诉讼))",
        # a none of one kind of applicant (法人或者其他组织, unless 公民 too), a none of reviews
        unless=r"复议|诉讼|申诉|^(?!.*公民).*(?:法人|其他组织|自然人)", needs=("申请", "要求", "来信"),
        examples=("2013年1月1日至12月31日期间我局办公室未收到政府信息公开申请",
                  "2010年度我镇没有接到群众主动要求公开政府信息的申请", "2023年,全年未收到依申请公开来信",
                  "截至目前,我局尚未收到公民、法人和其他组织需要本机关主动公开以外的政府信息的申请",
                  "2022年经纬街道办事处未接收到依申请公开"),
        non_examples=("2021年度,未收到法人或者其他组织对依申请公开政府信息的申请", "未收到有关政府信息公开行政复议申请",
                      "全年未收到因依申请公开答复而引起的行政复议和诉讼"),
    ),
    NoneRule(
        "no_answers", "requests.total.total", "requests", r"不存在[^,。;]{0,12}答复",
        unless=None, needs=("不存在",),
        examples=("因未发生政府信息公开申请,故不存在政府信息答复处理情况",),
        non_examples=("本年度共答复政府信息公开申请7件",),
    ),
    NoneRule(
        "no_reviews", "review.total", "review_none", r"(?:未|没有|无)(?:收到|发生|接到|出现|受理)?[^,。;]{0,30}?复议",
        unless=None, needs=("复议",),
        examples=("2018年我局未收到行政复议事项", "本年度没有发生有关政府信息公开事务的行政复议、行政诉讼案件"),
        non_examples=("本年度发生政府信息公开行政复议案件1件",),
    ),
    NoneRule(
        "no_litigation", "litigation.total", "review_none", r"(?:未|没有|无)(?:收到|发生|接到|出现|受理)?[^,。;]{0,30}?诉讼",
        unless=None, needs=("诉讼",),
        examples=("本年度没有发生有关政府信息公开事务的行政复议、行政诉讼案件",
                  "2017年未收到有关政府信息公开行政复议、提起行政诉讼的申请"),
        non_examples=("未收到有关政府信息公开行政复议申请",),
    ),
    NoneRule(
        "no_fees", "fees.collected_yuan", "fees_none",
        # not a policy (实行不收费政策)
        r"(?:(?:没有|未|无|暂不|不)[^,。;]{0,24}?(?:收取|收费)|免费提供|(?:暂不|不|没有|未)收费)(?![^,。;]*政策)",
        unless=r"减免|标准", needs=("收取", "收费", "免费提供"),
        examples=("2010年度,我镇政府信息公开没有收费", "2014年我区各级工作部门依申请提供政府信息暂不收费",
                  "2021年,无收取信息处理费情况", "2018年我局对申请信息公开没有收取任何费用"),
        # a none of fee waivers, a policy
        non_examples=("本年度未发生减免收费情况", "政府信息公开的收费及减免情况", "依申请公开政府信息实行不收费政策"),
    ),
)

#: statistics-table rows (label without 其中:/1、 prefixes) → key
STAT_ROWS = (
    ("proactive.total", r"主动公开(?:政府)?(?:信息|文件)数"),
    ("requests.new.total", r"受理(?:政府信息)?依申请公开(?:信息)?总数|受理(?:政府)?信息公开申请(?:总)?数"),
    ("requests.total.total", r"对申请的答复(?:总)?数"),
    ("requests.granted.total", r"同意公开答复数"),
    ("requests.partial.total", r"同意部分公开答复数"),
    ("requests.denied.total", r"(?:否决公开|不予公开)答复数"),
    ("review.total", r"行政复议(?:案件)?数"),
    ("litigation.total", r"行政诉讼(?:案件)?数"),
)
#: the column of the year reported on, and columns never to read
STAT_YEAR_COLUMN = r"(?:19|20)\d{2}\s?年度?|本年|当年"
STAT_NOT_COLUMN = r"累计|上年|历年"
_ROW_PREFIX = re.compile(r"^(?:其中\s?[:]?\s?)?(?:[0-9]{1,2}\s?[、.]|[(][0-9一二三四五六七八九十]{1,2}[)])?\s?")

# --------------------------------------------------------------------------- compiled

_FIGURE_RULES = tuple(
    (rule, re.compile(rule.before) if rule.before else None, re.compile(rule.after) if rule.after else None,
     re.compile(rule.unless) if rule.unless else None)
    for rule in FIGURE_RULES
)
_NONE_RULES = tuple((rule, re.compile(rule.pattern), re.compile(rule.unless) if rule.unless else None)
                    for rule in NONE_RULES)
_NONE_PATTERNS = {rule.name: (pattern, unless) for rule, pattern, unless in _NONE_RULES}
#: any rule's ``before``: a clause where this finds nothing meets no rule's ``before``
_ANY_BEFORE = re.compile("|".join(f"(?:{rule.before})" for rule in FIGURE_RULES if rule.before))
#: the rules that read a figure by the words after it alone (all a clause without any ``before`` can meet)
_AFTER_ONLY_RULES = tuple(item for item in _FIGURE_RULES if item[1] is None)
#: every unit some figure rule takes
_RULE_UNITS = frozenset(unit for rule in FIGURE_RULES for unit in rule.units)
_PLACES = {name: (kinds, re.compile(title)) for name, (kinds, title) in PLACES.items()}
_STAT_ROWS = tuple((key, re.compile(f"^(?:{p})$")) for key, p in STAT_ROWS)
_STAT_YEAR = re.compile(STAT_YEAR_COLUMN)
_STAT_NOT = re.compile(STAT_NOT_COLUMN)
_TEMPLATE_HEADINGS = re.compile(TEMPLATE_HEADINGS)
_SENTENCE = re.compile(r"[^。;!?]+")
_SPACES = re.compile(r"\s+")
_CELL_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
_APPROX = re.compile(r"(?:约|大约|近|将近)$")
_CLAUSE_STOP = set(",。;:!?、")


# --------------------------------------------------------------------------- places

def _in_place(place: str, chain: Tuple[Section, ...], has_sections: bool) -> bool:
    if not has_sections:
        return True
    kinds, title = _PLACES[place]
    if not chain:
        return False
    if chain[0].kind in kinds:
        return True
    return any(title.search(fold(s.title)) for s in chain)


# --------------------------------------------------------------------------- prose

def _clause_before(text: str, start: int, floor: int) -> str:
    """The clause before ``start``: back to , 。 ; : 、 (not inside parentheses), at most 60 characters."""
    depth = 0
    lower = max(floor, start - 60)
    for i in range(start - 1, lower - 1, -1):
        ch = text[i]
        if ch == ")":
            depth += 1
        elif ch == "(":
            depth = max(0, depth - 1)
        elif depth == 0 and ch in _CLAUSE_STOP:
            return text[i + 1:start]
    return text[lower:start]


def _sentence_before(text: str, start: int, floor: int) -> str:
    lower = max(floor, start - 120)
    stop = max(text.rfind(mark, lower, start) for mark in "。;!?")
    return text[stop + 1:start] if stop >= 0 else text[lower:start]


def prose_metrics(page: Page, sections: Sequence[Section], figures: Sequence[Figure]) -> Dict[str, Number]:
    """Metrics the running text states, each from its first statement in document order (the rules
    match the text folded to Simplified script)."""
    page = fold_page(page)
    text = page.text
    index = SectionIndex(sections)
    has_sections = bool(sections)
    found: Dict[str, Tuple[int, Number]] = {}

    def offer(key: str, at: int, value: Number) -> None:
        if key not in found or at < found[key][0]:
            found[key] = (at, value)

    blocks = [b for b in page.blocks if is_running_text(b)]
    block_starts = [b.span[0] for b in blocks]
    for fig in figures:
        unit = fold(fig.unit)
        if unit not in _RULE_UNITS:
            continue  # no rule reads it (71.3%, 12人次)
        block = _block_of(blocks, block_starts, fig.span[0])
        if block is None:
            continue
        numeral_start = fig.span[0]
        clause = _APPROX.sub("", _clause_before(text, numeral_start, block.span[0]))
        rules = _FIGURE_RULES if _ANY_BEFORE.search(clause) else _AFTER_ONLY_RULES
        after = text[fig.span[1]:min(block.span[1], fig.span[1] + 8)]
        sentence: Optional[str] = None  # the sentence and the sections, when a rule comes that far
        chain: Optional[Tuple[Section, ...]] = None
        for rule, before, after_re, unless in rules:
            if rule.key in found and found[rule.key][0] <= fig.span[0]:
                continue
            if unit not in rule.units:
                continue
            if before is not None and not before.search(clause):
                continue
            if after_re is not None and not after_re.match(after):
                continue
            if unless is not None:
                if sentence is None:
                    sentence = _sentence_before(text, numeral_start, block.span[0])
                if unless.search(sentence):
                    continue
            if chain is None:
                _, chain = index.at(fig.span[0])
            if not _in_place(rule.place, chain, has_sections):
                continue
            offer(rule.key, fig.span[0], fig.value)
    for key, at in _none_statements(text, blocks, lambda at: index.at(at)[1], has_sections):
        offer(key, at, 0)
    return {key: value for key, (_, value) in sorted(found.items(), key=lambda item: item[1][0])}


def _none_statements(text: str, blocks: Sequence[Block], chain_at: Callable[[int], Tuple[Section, ...]],
                     has_sections: bool) -> Iterator[Tuple[str, int]]:
    """(key, offset) of every statement of none in the blocks, in order."""
    for block in blocks:
        # the rules whose words the block holds, and one of them finds a statement in it: the
        # patterns have no anchors, so what they find in a sentence they find in its block
        start, end = block.span
        rules = [item for item in _NONE_RULES if any(text.find(word, start, end) >= 0 for word in item[0].needs)]
        if not any(pattern.search(text, start, end) for _, pattern, _ in rules):
            continue
        for sentence in _SENTENCE.finditer(text, start, end):
            chain = chain_at(sentence.start())
            for rule, pattern, unless in rules:
                hit = _none_hit(pattern, unless, sentence.group())
                if hit is not None and _in_place(rule.place, chain, has_sections):
                    yield rule.key, sentence.start() + hit.start()


def _none_hit(pattern: re.Pattern[str], unless: Optional[re.Pattern[str]],
              sentence: str) -> Optional[re.Match[str]]:
    hit = pattern.search(sentence)
    if hit is None or (unless is not None and unless.search(hit.group())):
        return None
    return hit


def states_none(rule: NoneRule, sentence: str) -> Optional[re.Match[str]]:
    """Where ``sentence`` states ``rule``'s metric is none, or None when it does not."""
    return _none_hit(*_NONE_PATTERNS[rule.name], sentence)


def _block_of(blocks: Sequence[Block], starts: Sequence[int], offset: int) -> Optional[Block]:
    import bisect

    i = bisect.bisect_right(starts, offset) - 1
    if i >= 0 and blocks[i].span[0] <= offset < blocks[i].span[1]:
        return blocks[i]
    return None


# --------------------------------------------------------------------------- statistics tables

def _grids(page: Page) -> Iterable[List[List[str]]]:
    """Every table of the page as rows of cell texts: table blocks, and runs of pipe-rendered lines."""
    run: List[List[str]] = []
    for block in page.blocks:
        if block.kind == "table":
            if block.grid:
                yield [[cell.text for cell in row] for row in block.grid]
            else:
                yield [[c.strip() for c in line.split("|")] for line in block.text.splitlines()]
            continue
        if not is_running_text(block):
            for line in block.text.splitlines():
                run.append([c.strip() for c in line.strip().strip("|").split("|")])
            continue
        if run:
            yield run
            run = []
    if run:
        yield run


def _cell_number(token: str) -> Optional[Number]:
    token = token.strip()
    if not _CELL_NUMBER.fullmatch(token):
        return None  # blank, '-', '/', 无: no number stated
    try:
        return to_number(parse_arabic(token))
    except (ValueError, InvalidOperation):
        return None


def statistics_table_metrics(page: Page) -> Dict[str, Number]:
    """Metrics from appended statistics tables (rows by label, the year's column)."""
    out: Dict[str, Number] = {}
    for rows in _grids(page):
        if not _STAT_YEAR.search("\n".join("\n".join(row) for row in rows)):
            continue  # no cell names a year (one search instead of one a cell)
        column = None
        for row in rows:
            for i, cell in enumerate(row):
                if _STAT_YEAR.search(cell) and not _STAT_NOT.search(cell) and len(cell) <= 12:
                    column = i
                    break
            if column is not None:
                break
        if column is None:
            continue
        for row in rows:
            if not row or column >= len(row):
                continue
            label = _ROW_PREFIX.sub("", _SPACES.sub("", row[0]))
            for key, pattern in _STAT_ROWS:
                if pattern.match(label):
                    value = _cell_number(row[column])
                    if value is not None and key not in out:
                        out[key] = value
                    break
    return out


# --------------------------------------------------------------------------- all together

def _is_template_page(page: Page, sections: Sequence[Section], from_tables: Mapping[str, Number]) -> bool:
    squeezed = page.text.replace(" ", "")
    if any(label in squeezed for labels in FAMILY_SIGNATURES.values() for label in labels):
        return True
    return any(_TEMPLATE_HEADINGS.search(s.title) for s in sections)


def canonical_metrics(page: Page, sections: Sequence[Section], figures: Sequence[Figure],
                      from_tables: Mapping[str, Number]) -> Dict[str, Number]:
    """Metrics stated by the report: the template tables' cells win over the prose."""
    page = fold_page(page)
    metrics: Dict[str, Number] = dict(from_tables)
    for key, value in statistics_table_metrics(page).items():
        metrics.setdefault(key, value)
    prose = prose_metrics(page, sections, figures)
    if _is_template_page(page, sections, from_tables):
        allowed = set(TEMPLATE_PROSE_KEYS)
        # where the page's template tables were not read (an excerpt cut before them), the prose
        # of their groups may speak: a requests table absent lets the request keys through
        if not any(key.startswith("requests.") for key in from_tables):
            allowed.update(k for k in prose if k.startswith("requests."))
        if not any(key.startswith(("review.", "litigation.")) for key in from_tables):
            allowed.update(k for k in prose if k.startswith(("review.", "litigation.")))
        prose = {k: v for k, v in prose.items() if k in allowed}
    for key, value in prose.items():
        metrics.setdefault(key, value)
    return metrics
