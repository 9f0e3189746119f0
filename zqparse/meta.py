"""Metadata: title, issuing agency, year reported on, publication date, family, is_report.

Evidence, strongest first: the page's meta tags (ArticleTitle, PubDate); the report's
own heading in the body (also when printed over two lines); the ``<title>``; the
statistics-period sentence; the intro's "由…编制" sentence; the date signed at the end
(also written 二○一二年二月二十日). The family comes from the tables' labels
(``vocab.FAMILY_SIGNATURES``), not from the year.
"""
from __future__ import annotations

import re
from typing import List, Optional, Sequence, Tuple

from .model import Block, Meta, Page, Section
from .numerals import chinese_value
from .script import fold_page
from .vocab import (AGENCY_ENDS, AGENCY_GENERIC, AGENCY_NOT, AGENCY_PATTERNS, DATE_LABELS, FAMILY_SIGNATURES, META_DATE,
                    META_TITLE, NOTICE_TITLE, PERIOD_PATTERNS, REPORT_TITLE, REPORT_TITLE_CONTEXT,
                    TEMPLATE_HEADINGS, TITLE_LABEL, TITLE_SUFFIX)

__all__ = ["read_meta", "is_report_title", "parse_date", "detect_family"]

_REPORT = re.compile(REPORT_TITLE)
_CONTEXT = re.compile(REPORT_TITLE_CONTEXT)
_NOTICE = re.compile(NOTICE_TITLE)
_PERIOD = tuple(re.compile(p) for p in PERIOD_PATTERNS)
_AGENCY = tuple(re.compile(p, re.M) for p in AGENCY_PATTERNS)
_AGENCY_NOT = re.compile(AGENCY_NOT)
_AGENCY_ENDS = re.compile(AGENCY_ENDS)
_TITLE_LABEL = re.compile(TITLE_LABEL)
_TITLE_SUFFIX = re.compile(TITLE_SUFFIX)
_CLAUSE = re.compile(r"[,。;:《》()]")  # punctuation a title line's start never holds
_REPORT_END = re.compile(r"(?:政府信息公开|政务公开|信息公开)[^,。;:]{0,12}?(?:年度报告|年报|工作报告)")
_AFTER_YEAR = re.compile(r"度?(?P<a>[^,。;:()《》\d]{2,30}?)(?:政府信息公开|政务公开|信息公开)")
_TEMPLATE_HEADINGS = re.compile(TEMPLATE_HEADINGS)
#: a title longer than this is not a report's title (real ones are under 100 characters)
MAX_TITLE_CHARS = 300

_YEAR = r"((?:19|20)[0-9]{2}|[〇○零一二三四五六七八九O]{4})\s*年"
_YEAR_RE = re.compile(_YEAR)
_DATE_ARABIC = re.compile(r"((?:19|20)[0-9]{2})\s*[-/.年]\s*([0-9]{1,2})\s*[-/.月]\s*([0-9]{1,2})")
_DATE_CHINESE = re.compile(r"([〇○零一二三四五六七八九O]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日")
_DATE_LINE = re.compile(
    r"^\s*(?:(?:19|20)[0-9]{2}\s*年\s*[0-9]{1,2}\s*月\s*[0-9]{1,2}\s*日|"
    r"[〇○零一二三四五六七八九O]{4}\s*年\s*[一二三四五六七八九十]{1,3}\s*月\s*[一二三四五六七八九十]{1,3}\s*日|"
    r"(?:19|20)[0-9]{2}-[0-9]{1,2}-[0-9]{1,2})\s*$")
_LABELLED_DATE = re.compile(DATE_LABELS + r"\s*[:|]?\s*((?:19|20)[0-9]{2}\s*[-/.年]\s*[0-9]{1,2}\s*[-/.月]\s*[0-9]{1,2})")
#: a paragraph opening with the year (the overview's first sentence: 2022年,我局…)
_YEAR_LEAD = re.compile(r"(?:^|\n)((?:19|20)[0-9]{2})\s*年度?\s*(?:以来)?\s*[,,]")
_YEAR_SUBJECT = re.compile(r"((?:19|20)[0-9]{2})\s*年度?\s*(?:的)?(?:政府信息公开|政务公开|信息公开)")


def _cn_number(text: str) -> int:
    """二〇一二 → 2012, 二十 → 20 (an OCR'd letter O counts as 〇); 0 for no numeral."""
    try:
        return int(chinese_value(text.replace("O", "〇").replace("o", "〇")))
    except ValueError:
        return 0


def _year_value(token: str) -> Optional[int]:
    year = int(token) if token.isdigit() else _cn_number(token)
    return year if 1990 <= year <= 2100 else None


#: a page listing this many distinct report titles is a list page, not a report
LIST_PAGE_TITLES = 3
#: a text without a title that opens (within this many characters) at a level-1 section of one of
#: these kinds, about 政府信息公开, is a report cut before its title (一、概述 …)
REPORT_OPENING_CHARS = 80
REPORT_OPENING_KINDS = ("overview", "proactive", "requests")


def parse_date(text: str) -> Optional[str]:
    """The first date in ``text`` as YYYY-MM-DD (Arabic or 二○一二年二月二十日 style)."""
    for pattern in (_DATE_ARABIC, _DATE_CHINESE):
        match = pattern.search(text)
        if match:
            y, m, d = match.groups()
            year = _year_value(y)
            month = int(m) if m.isdigit() else _cn_number(m)
            day = int(d) if d.isdigit() else _cn_number(d)
            if year and 1 <= month <= 12 and 1 <= day <= 31:
                return f"{year:04d}-{month:02d}-{day:02d}"
    return None


def is_report_title(title: Optional[str]) -> bool:
    """True for the title of an annual disclosure report: it names a year (not a column name
    such as 政府信息公开年报) and is not a notice about a report."""
    if not title or len(title) > MAX_TITLE_CHARS or not _REPORT.search(title):
        return False
    if _NOTICE.search(title) or not _YEAR_RE.search(title):  # a report's title names its year
        return False
    return bool(_CONTEXT.search(title)) or "年度报告" in title


def _clean_title(line: str) -> str:
    """A title line without a label before it (标题:) or a site name after it (…年度报告-某某网)."""
    line = _TITLE_LABEL.sub("", line)
    match = _TITLE_SUFFIX.search(line)
    if match:
        line = line[:match.start()] + _REPORT.search(match.group()).group()  # type: ignore[union-attr]
    return line.strip()


def _body_title(blocks: Sequence[Block]) -> Optional[str]:
    """The report's own heading among the first paragraphs, joined when printed over two lines.

    Every report-title line is a candidate (a long first line, the flattened text of a whole
    report, offers its start up to the title's end); one that names the agency beats one
    that does not (a column banner 2012年政府信息公开工作年度报告 above the real title), the
    first wins a tie."""
    paras = [b.text for b in blocks[:40] if b.kind == "para"]
    candidates: List[Tuple[bool, int, str]] = []
    for i, raw in enumerate(paras):
        line = _clean_title(raw[:200])
        if len(line) > 80:
            end = _REPORT_END.search(line, 0, 80)
            if i or not end or _CLAUSE.search(line, 0, end.end()):
                continue
            line = line[:end.end()]
        if is_report_title(line) and _YEAR_RE.search(line):
            named = _agency_from_title(line) is not None
            candidates.append((named, -i, line))
            if not named and i and _is_agency(paras[i - 1]) and line[:1].isdigit():
                candidates.append((True, -i, paras[i - 1] + line))  # 高平市人民政府办公室 / 2023年…报告
            continue
        if i + 1 < len(paras) and len(paras[i + 1]) <= 60 and not _DATE_LINE.match(line):
            joined = line + paras[i + 1]
            if (not _REPORT.search(line) and not is_report_title(paras[i + 1])
                    and is_report_title(joined) and len(joined) <= 80):
                candidates.append((_agency_from_title(joined) is not None, -i, joined))
    if not candidates:
        return None
    return max(candidates)[2]


def _listed_reports(blocks: Sequence[Block]) -> int:
    """How many distinct report titles stand as short lines of their own: a list page has several."""
    titles = {b.text for b in blocks if b.kind == "para" and len(b.text) <= 80 and is_report_title(b.text)}
    return len(titles)


def _head_title(page: Page) -> Optional[str]:
    for name in META_TITLE:
        value = page.head.get(name)
        if value and len(value) <= MAX_TITLE_CHARS:
            return value
    title = page.head.get("<title>")
    if title:
        title = title[:MAX_TITLE_CHARS * 2]
        return re.split(r"\s*[_|—–]+\s*|\s+-\s+", title)[0].strip() or None
    return None


def _is_agency(name: str) -> bool:
    """True for a name that reads as an issuing body: a region or an organ (…局 …办 …镇 …政府),
    not the head of a clause (完成了…, 并向社会公布…局) or a pronoun (我局)."""
    return (2 <= len(name) <= 40 and name not in AGENCY_GENERIC and not _AGENCY_NOT.match(name) and bool(_AGENCY_ENDS.search(name))
            and "报告" not in name and not _YEAR_RE.search(name))


def _agency_from_title(title: Optional[str]) -> Optional[str]:
    """The agency a report title names: before its year, or after it (2022年上海市政府信息公开…)."""
    if not title:
        return None
    match = _YEAR_RE.search(title)
    if not match:
        return None
    before = title[:match.start()].strip(" 《“\"")
    if len(before) >= 2:
        return before if not _AGENCY_NOT.match(before) else None
    after = _AFTER_YEAR.match(title, match.end())
    if after:
        name = _whole_name(after.group("a"), title, after.end("a"))
        if _is_agency(name):
            return name
    return None


def _whole_name(name: str, text: str, end: int) -> str:
    """``name`` with the 政府 that 政府信息公开 took from it: 兴县人民|政府信息公开 → 兴县人民政府."""
    return name + "政府" if name.endswith("人民") and text.startswith("政府", end) else name


def _agency_from_text(text: str, chrome: str = "") -> Optional[str]:
    """The agency named in the intro (由…编制, 现公布…), the CMS's 发布机构 field, the body's
    first subject (2022年,某某街道办事处…) or the signature at the end, validated as a name."""
    for source in (text[:3000], chrome[:3000]):
        for pattern in _AGENCY:
            for match in pattern.finditer(source):
                agency = _whole_name(match.group("a"), source, match.end("a")).strip(" 《“\"")
                if _is_agency(agency):
                    return _fuller(agency, _signature(text))
    return _signature(text)


def _fuller(agency: str, signed: Optional[str]) -> str:
    """The signature's name when it is the full form of ``agency`` (石岛管理区 → 荣成市人民政府石岛管理区管委会)."""
    return signed if signed and agency in signed and signed != agency else agency


def _signature(text: str) -> Optional[str]:
    """The body signing the report: a name on one of the last lines, by the date line."""
    lines = [line.strip() for line in text[-600:].split("\n")[-6:]]
    for i, line in enumerate(lines):
        if _DATE_LINE.match(line):
            for name in (lines[i - 1] if i else "", lines[i + 1] if i + 1 < len(lines) else ""):
                if len(name) <= 40 and _is_agency(name):
                    return name
    return None


def _year(title: Optional[str], text: str) -> Optional[int]:
    if title:
        match = _YEAR_RE.search(title)
        if match:
            year = _year_value(match.group(1))
            if year:
                return year
    head = text[:5000]
    for pattern in _PERIOD:
        match = pattern.search(head)
        if match:
            return int(match.group(1))
    match = _YEAR_SUBJECT.search(head) or _YEAR_LEAD.search(head)
    if match:
        return int(match.group(1))
    return None


def _published(page: Page) -> Optional[str]:
    for name in META_DATE:
        value = page.head.get(name)
        if value:
            date = parse_date(value)
            if date:
                return date
    for source in (page.chrome, page.text[:600]):
        match = _LABELLED_DATE.search(source)
        if match:
            date = parse_date(match.group(1))
            if date:
                return date
    for block in reversed(page.blocks):
        if block.kind == "para" and len(block.text) <= 24 and _DATE_LINE.match(block.text):
            return parse_date(block.text)
    return None


def detect_family(text: str, sections: Sequence[Section], year: Optional[int], is_report: bool) -> str:
    """prose, template2019 or template2021 from the tables' labels; unknown when it cannot tell."""
    if not is_report:
        return "unknown"
    squeezed = text.replace(" ", "")
    scores = {family: sum(1 for label in labels if label in squeezed)
              for family, labels in FAMILY_SIGNATURES.items()}
    best = max(scores, key=lambda family: scores[family])
    if scores[best]:
        return best
    titles = " ".join(s.title for s in sections)
    if _TEMPLATE_HEADINGS.search(titles):
        if year is None:
            return "unknown"
        return "template2019" if year <= 2020 else "template2021"
    if year is not None and year >= 2019:
        return "unknown"
    return "prose"


def _as_printed(found: Optional[str], folded: Page, printed: Page) -> Optional[str]:
    """``found`` (read from the folded page) as the page prints it, at the same place."""
    if not found:
        return found
    pattern = re.compile("\n?".join(map(re.escape, found)))
    sources = [(folded.text, printed.text), (folded.chrome, printed.chrome)]
    sources += [(folded.head[name], printed.head[name]) for name in printed.head]
    for source, original in sources:
        match = pattern.search(source)
        if match:
            return original[match.start():match.end()].replace("\n", "")
    return found


def read_meta(page: Page, sections: Sequence[Section]) -> Tuple[Meta, List[str]]:
    """The report's metadata, and warnings about what could not be found.

    The rules read the page folded to Simplified script; title and agency are given as printed."""
    printed = page
    page = fold_page(page)
    warnings: List[str] = []
    head_title = _head_title(page)
    body_title = _body_title(page.blocks)
    title = None
    if is_report_title(head_title):
        title = head_title
    elif body_title:
        title = body_title
    else:
        title = head_title

    listed = _listed_reports(page.blocks)
    if listed >= LIST_PAGE_TITLES:
        title = head_title
        is_report = False
        warnings.append(f"not an annual report: a list of {listed} reports")
    elif is_report_title(title):
        is_report = True
    elif title:
        is_report = False
        warnings.append(f"not an annual report: the title {title!r} is not a report's")
    else:
        intro = page.text[:1500]
        mentions = bool(re.search(REPORT_TITLE_CONTEXT + r".{0,16}" + REPORT_TITLE, intro)) or "年度报告" in intro
        kinds = {s.kind for s in sections}
        mentions = mentions or bool(re.search(r"(本|此)(年度)?(报告|年报)", intro[:300]) and "政府信息公开" in intro)
        # a text that opens at the report's first section (一、概述, 一、…主要做法) about disclosure
        opens_at_section = bool(sections) and sections[0].span[0] <= REPORT_OPENING_CHARS \
            and sections[0].kind in REPORT_OPENING_KINDS and "政府信息公开" in intro
        is_report = mentions or opens_at_section or len(kinds & {"overview", "proactive", "requests",
                                                                 "review_litigation", "fees", "problems"}) >= 3
        if not is_report:
            warnings.append("not an annual report: no report title, and the text does not read as one")

    agency = _agency_from_title(title) if is_report_title(title) else None
    if agency is None and is_report:
        agency = _agency_from_text(page.text, page.chrome)
    year = _year(title if is_report_title(title) else None, page.text)
    published = _published(page)
    family = detect_family(page.text, sections, year, is_report)
    if is_report:
        for name, value in (("title", title), ("agency", agency), ("year", year), ("published", published)):
            if value is None:
                warnings.append(f"meta.{name} not found")
    if page is not printed:
        title, agency = _as_printed(title, page, printed), _as_printed(agency, page, printed)
    meta = Meta(title=title, agency=agency, year=year, published=published, family=family,
                is_report=is_report)
    return meta, warnings
