"""The national template tables 表二, 表三, 表四 as typed tables, and the metrics they state.

Tables are read from the page's table grids by matching row labels (in template order)
and column headers; where a page has no grid (text copied from a page or a PDF, markdown,
one cell per line), rows are recovered from the paragraph text by their labels, but only
when the numbers that follow are exactly as many as the row has cells. Every cell keeps
its printed token; a blank, '-', '—', '/' or '无' cell states no number. Nothing is
guessed: a row that cannot be read is left out and a warning says why.
"""
from __future__ import annotations

import dataclasses
import functools
import re
from typing import Dict, Iterable, Iterator, List, NamedTuple, Optional, Sequence, Set, Tuple

import regex

from .model import Block, Cell, Number, Page, Span, TableCell, TemplateTable
from .normalize import HAN
from .script import fold, fold_page
from .templates import (BLANK_TOKENS, CHINESE_NUMERALS, PROACTIVE_BLOCKS, PROACTIVE_CAPTION,
                        PROACTIVE_FIELDS, PROACTIVE_HEADER, PROACTIVE_ROWS, PUNCTUATION, QUOTES,
                        REQUEST_COLUMNS, REQUEST_ROWS, REQUESTS_HEADER_LABELS, REVIEW_CELLS,
                        REVIEW_GROUPS, REVIEW_HEADER_LABELS, REVIEW_RESULTS, T2019, T2021,
                        TABLE_HEADINGS, TABLE_TITLES, TEMPLATES, UNITS, WORD_VARIANTS,
                        ProactiveRow, RowSpec, request_rows)

__all__ = ["read_tables", "table_metrics", "label_key", "split_marker", "read_token"]

#: at most this many warnings per table; the rest are counted in one last warning
MAX_WARNINGS = 12
#: labels longer than this are compared on their first characters only
LABEL_CHARS = 80
#: at most this many lines of a wrapped label between a row label and its numbers (text input)
MAX_CONTINUATION = 4

_DROP_QUOTES = str.maketrans({q: None for q in QUOTES})
_DROP_PUNCT = str.maketrans({p: None for p in PUNCTUATION})
#: the characters _DROP_QUOTES and _DROP_PUNCT change (a text without them is left as it is)
_QUOTE = re.compile("[" + "".join(re.escape(c) for c in QUOTES) + "]")
_PUNCT = re.compile("[" + "".join(re.escape(c) for c in PUNCTUATION) + "]")
_SPACE = re.compile(r"\s+")
_NUMBER = re.compile(r"([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?")
_MARKER = re.compile(
    rf"\(([{CHINESE_NUMERALS}]{{1,2}})\)|([{CHINESE_NUMERALS}]{{1,2}})[、.]|(\d{{1,2}})(?:[.、)]|(?=[^\d.,]))")
_CJK = regex.compile(HAN)  # a Chinese character, CJK extensions included
_PAGE_MARK = re.compile(r"[-—–]\s*\d{1,4}\s*[-—–]|第\s*\d{1,4}\s*页(?:\s*[,/]?\s*共\s*\d{1,4}\s*页)?")
_EMBEDDED = re.compile(rf"\([{CHINESE_NUMERALS}]{{1,2}}\)|(?<![\d.])\d{{1,2}}[.、](?=\D)")
_TRAILING_NUMBER = re.compile(r"(?<=[^\d.,+\-])[+-]?\d[\d,]*(?:\.\d+)?(?:万元|元|件)?$")

# ----------------------------------------------------------------------------- tokens and labels


def label_key(text: str) -> str:
    """A label folded for matching: Simplified characters, no spaces or quotes, 1./1、/1． as 1."""
    key = fold(_SPACE.sub("", text[:LABEL_CHARS * 2]))
    if _QUOTE.search(key):
        key = key.translate(_DROP_QUOTES)
    for old, new in WORD_VARIANTS:
        if old in key:
            key = key.replace(old, new)
    return key.replace("．", ".")


def split_marker(key: str) -> Tuple[str, str]:
    """(numbering, text) of a folded label: '(三)不予公开' → ('(三)', '不予公开'), '1.重复申请' → ('1', …)."""
    match = _MARKER.match(key)
    if not match:
        return "", _drop_punct(key)
    paren, plain, digit = match.groups()
    marker = f"({paren})" if paren else (plain or digit)
    return marker, _drop_punct(key[match.end():])


def _drop_punct(text: str) -> str:
    return text.translate(_DROP_PUNCT) if _PUNCT.search(text) else text


class Token(NamedTuple):
    """What a printed cell says: kind is number, blank, label or garbled."""

    kind: str
    value: Optional[Number]
    unit: Optional[str]


_LABEL = Token("label", None, None)
_BLANK = Token("blank", None, None)


def read_token(raw: str) -> Token:
    """Classify one printed cell: a number (with its unit), a blank, a label, or garbled text."""
    if raw.isdecimal() and len(raw) <= 40:  # the common cell: digits alone (what \d+ reads)
        return Token("number", int(raw), None)
    # the common label: led by a Chinese character, not 无 alone nor 不适用
    if _CJK.match(raw) and len(raw.rstrip()) > 1 and raw not in BLANK_TOKENS:
        return _LABEL
    if raw in BLANK_TOKENS or _SPACE.sub("", raw) in BLANK_TOKENS:  # the first test saves a sub for '' and '-'
        return _BLANK
    text = raw.strip()
    unit = None
    for name, _ in UNITS:
        if text.endswith(name) and len(text) > len(name):
            unit, text = name, text[:-len(name)].rstrip()
            break
    match = _NUMBER.fullmatch(text)
    if match and len(match.group(2)) <= 40:  # longer is no count (and int() refuses 4300+ digits)
        sign, whole, frac = match.groups()
        digits = whole.replace(",", "")
        value: Number = float(sign + digits + frac) if frac else int(sign + digits)
        return Token("number", value, unit)
    if _CJK.search(raw):
        return Token("label", None, None)
    return Token("garbled", None, None)


def _is_label(raw: str) -> bool:
    """read_token(raw).kind == 'label', told without a Token for the common cells."""
    if raw.isdecimal() or raw in BLANK_TOKENS:
        return False
    if _CJK.match(raw) and len(raw.rstrip()) > 1:
        return True
    return read_token(raw).kind == "label"


def _core_match(core: str, marker: str, labels: Sequence[str], spec_marker: str) -> bool:
    """True when a label's text names this template row.

    The text must start with the row's label (annotations may follow) or be a start of
    it (a truncated label). A short match (under four characters, like 其他) also needs
    the same numbering when both carry one; a long match wins over a misprinted number.
    """
    if not core:
        return False
    core = core[:LABEL_CHARS]
    for label in labels:
        if core.startswith(label):
            strong = len(label) >= 4
        elif label.startswith(core) and len(core) >= 2:
            strong = len(core) >= 4
        else:
            continue
        if strong or not marker or not spec_marker or marker == spec_marker:
            return True
    return False


def _scaled(value: Number, factor: float) -> Number:
    scaled = round(value * factor, 6)
    return int(scaled) if float(scaled).is_integer() else scaled


# ----------------------------------------------------------------------------- rows of the page


class Row(NamedTuple):
    """One row of a table as printed: its label cells and the value cells after the last label."""

    labels: Tuple[Cell, ...]
    values: Tuple[Cell, ...]
    slots: Tuple[Cell, ...]  # the grid row, one entry per covered column
    own: Tuple[Cell, ...]  # label cells that start in this row
    keys: Tuple[str, ...]  # label_key of each label cell
    own_keys: Tuple[str, ...]  # label_key of each own cell


def _grid_rows(block: Block) -> Iterable[Row]:
    key_of: Dict[int, Optional[str]] = {}  # by id, None for a value: a spanning cell stands in several rows
    for r, slots in enumerate(block.grid):
        distinct = list({id(cell): cell for cell in slots}.values())  # each cell once, in order
        labels: List[Cell] = []
        keys: List[str] = []
        own: List[Cell] = []
        own_keys: List[str] = []
        values_from = 0  # the values are the cells after the last label
        for i, cell in enumerate(distinct):
            if id(cell) not in key_of:
                key_of[id(cell)] = label_key(cell.text) if _is_label(cell.text) else None
            key = key_of[id(cell)]
            if key is None:
                continue
            labels.append(cell)
            keys.append(key)
            if cell.row == r:
                own.append(cell)
                own_keys.append(key)
            values_from = i + 1
        yield Row(tuple(labels), tuple(distinct[values_from:]), tuple(slots), tuple(own), tuple(keys),
                  tuple(own_keys))


def _row_keys(row: Row) -> Iterator[str]:
    """The label keys to try for a row, most specific first (made as they are asked for)."""
    if row.labels:
        yield row.keys[-1]
    if len(row.own) > 1:
        yield label_key("".join(c.text for c in row.own))
    if len(row.labels) > 1:
        yield label_key("".join(c.text for c in row.labels))


def _cell(key: str, raw: str, span: Optional[Span], factor: float = 1.0) -> TableCell:
    # digits alone, the common cell, as read_token reads them (without building a Token)
    value = int(raw) if raw.isdecimal() and len(raw) <= 40 else read_token(raw).value
    if value is not None and factor != 1.0:
        value = _scaled(value, factor)
    return TableCell(key=key, raw=raw, value=value, span=span)


def _cell_at(slots: Sequence[Cell], col: int) -> Optional[Cell]:
    for cell in slots:
        if cell.col <= col < cell.col + cell.colspan:
            return cell
    return None


class _Log:
    """Warnings of one table, capped."""

    def __init__(self, name: str, out: List[str]):
        self.title = TABLE_TITLES[name]
        self.out = out
        self.count = 0

    def __call__(self, message: str) -> None:
        self.count += 1
        if self.count <= MAX_WARNINGS:
            self.out.append(f"{self.title}: {message}")

    def close(self) -> None:
        if self.count > MAX_WARNINGS:
            self.out.append(f"{self.title}: {self.count - MAX_WARNINGS} more warnings like these")


# ----------------------------------------------------------------------------- matching rows


def _match_proactive(key: str) -> Optional[ProactiveRow]:
    marker, core = split_marker(key)
    for row in PROACTIVE_ROWS:
        if _core_match(core, "", row.labels, "") or _core_match(key, "", row.labels, ""):
            return row
    return None


def _match_field(key: str) -> Optional[Tuple[str, str, str]]:
    """(field, template, header text) of a 表二 column header."""
    for spec in PROACTIVE_FIELDS:
        if any(key.startswith(label) for label in spec.labels):
            return spec.field, spec.template, key
    return None


class _RequestCursor:
    """Matches 表三 row labels in template order."""

    def __init__(self) -> None:
        self.next = 0

    def match(self, keys: Iterable[str]) -> Tuple[Optional[int], bool]:
        """(index into REQUEST_ROWS, repeated?) of the first row after the cursor that a key names."""
        tried = []  # (marker, core) of the keys: the first that names a row after the cursor ends the search
        for key in keys:
            marker, core = split_marker(key)
            tried.append((marker, core))
            for i in range(self.next, len(REQUEST_ROWS)):
                spec = REQUEST_ROWS[i]
                if _core_match(core, marker, spec.labels, spec.marker):
                    return i, False
        for marker, core in tried:
            for i in range(0, self.next):
                spec = REQUEST_ROWS[i]
                if _core_match(core, marker, spec.labels, spec.marker):
                    return i, True
        return None, False


def _request_version(found: Iterable[str], family: str) -> str:
    keys = set(found)
    if any(k.startswith("other.") for k in keys):
        return T2021
    if "other" in keys:
        return T2019
    return family if family in TEMPLATES else T2021


def _column_of(key: str) -> Optional[str]:
    for column, labels in REQUEST_COLUMNS:
        for label in labels:
            if key == label or (len(label) >= 4 and key.startswith(label)):
                return column
    return None


def _review_group_of(key: str) -> Optional[str]:
    for group, labels in REVIEW_GROUPS:
        if any(key.startswith(label) for label in labels):
            return group
    return None


def _review_result_of(key: str) -> Optional[str]:
    for result, labels in REVIEW_RESULTS:
        if any(key == label or key.startswith(label) for label in labels):
            return result
    return None


#: 表四's numbered heading (四、政府信息公开行政复议、行政诉讼情况) as a label key starts
_REVIEW_HEADINGS = tuple(f"四{mark}{TABLE_HEADINGS['review_litigation']}" for mark in "、.")


def _context_of(key: str, anywhere: bool = False) -> Optional[str]:
    """Which table a label opens: proactive, requests or review_litigation.

    ``anywhere`` also finds 表四's header inside a longer label (header cells run
    together in text whose spaces between Chinese characters were dropped).
    """
    if key.startswith((PROACTIVE_CAPTION, PROACTIVE_HEADER)):
        return "proactive"
    if key.startswith(REQUESTS_HEADER_LABELS + ("(本列数据",)):
        return "requests"
    if key.startswith(REVIEW_HEADER_LABELS) or (anywhere and any(label in key for label in REVIEW_HEADER_LABELS)):
        return "review_litigation"
    if key.startswith(_REVIEW_HEADINGS):
        return "review_litigation"  # 表四's heading, where its header rows were not printed (a bare run of 15)
    if key.startswith(("一、", "一.")):  # the only keys whose numbering split_marker reads as 一
        marker, core = split_marker(key)
        if marker == "一" and core.startswith(REQUEST_ROWS[0].labels[0]):
            return "requests"
    return None


# ----------------------------------------------------------------------------- grid tables


class _Draft:
    """Cells found for one table, in the order found."""

    def __init__(self, name: str):
        self.name = name
        self.cells: Dict[str, TableCell] = {}
        self.spans: List[Span] = []
        self.template: Optional[str] = None

    def put(self, cell: TableCell, log: _Log) -> None:
        if cell.key in self.cells:
            log(f"{cell.key} printed twice; the first ({self.cells[cell.key].raw!r}) is kept")
            return
        self.cells[cell.key] = cell
        if cell.span:
            self.spans.append(cell.span)


def _read_grids(blocks: Sequence[Block], family: str, warnings: List[str]) -> Dict[str, _Draft]:
    """Drafts of the tables found in the page's grids."""
    segments: Dict[str, List[Row]] = {"proactive": [], "requests": [], "review_litigation": []}
    context = None
    for block in blocks:
        if block.kind != "table" or not block.grid:
            continue
        previous: Optional[Row] = None
        for row in _grid_rows(block):
            for key in row.own_keys or row.keys[:1]:
                opened = _context_of(key)
                if opened:
                    if opened == "review_litigation" and context != opened and previous is not None \
                            and any(_review_group_of(k) for k in previous.keys):
                        segments[opened].append(previous)  # the 行政复议 | 行政诉讼 row above
                    context = opened
                    break
            if context:
                segments[context].append(row)
            previous = row
    drafts = {}
    readers = {"proactive": _grid_proactive, "requests": _grid_requests,
               "review_litigation": _grid_review}
    for name, rows in segments.items():
        if not rows:
            continue
        log = _Log(name, warnings)
        draft = readers[name](rows, family, log)
        log.close()
        if draft.cells:
            drafts[name] = draft
    return drafts


def _proactive_version(fields: Iterable[str], rows: Iterable[str], family: str) -> Optional[str]:
    votes = {T2019: 0, T2021: 0}
    for template in fields:
        votes[template] += 1
    if votes[T2019] != votes[T2021]:
        return max(votes, key=lambda template: votes[template])
    stems = set(rows)
    if stems & {"other_services", "procurement"}:
        return T2019
    return family if family in TEMPLATES else None


def _grid_proactive(rows: Sequence[Row], family: str, log: _Log) -> _Draft:
    draft = _Draft("proactive")
    header: Optional[List[Optional[Tuple[str, str, str]]]] = None
    items = []  # (ProactiveRow, header, Row)
    field_templates: List[str] = []
    for row in rows:
        if not row.labels:
            continue
        first = row.keys[0]
        if first.startswith(PROACTIVE_CAPTION):
            header = None
            continue
        if first.startswith(PROACTIVE_HEADER):
            header = [_match_field(key) for key in row.keys[1:]]
            field_templates.extend(h[1] for h in header if h)
            continue
        spec = None
        for key in _row_keys(row):
            spec = _match_proactive(key)
            if spec:
                break
        if spec is None:
            continue
        items.append((spec, header, row))
    version = _proactive_version(field_templates, (s.stem for s, _, _ in items), family)
    if version is None:
        if items:
            log("cannot tell the template version (no column headers); table left out")
        return draft
    draft.template = version
    blocks = PROACTIVE_BLOCKS[version]
    for spec, header, row in items:
        expected = blocks.get(spec.block)
        if expected is None:
            log(f"row {spec.labels[0]} is not part of the {version} table; left out")
            continue
        fields: Optional[List[str]] = None
        units: List[Optional[str]] = [None] * len(row.values)
        known = [h for h in header or () if h is not None]
        if header and len(known) == len(header) == len(row.values):
            fields = [h[0] for h in known]
            units = ["万元" if "万元" in h[2] else ("元" if h[2].endswith("元)") else None) for h in known]
        elif len(row.values) == len(expected):
            fields = list(expected)
        if fields is None:
            log(f"row {spec.labels[0]}: {len(row.values)} value cells where {len(expected)} are printed; left out")
            continue
        for field, unit, cell in zip(fields, units, row.values):
            if field not in expected:
                log(f"row {spec.labels[0]}: column {field} is not in the {version} template; left out")
                continue
            draft.put(_proactive_cell(spec, field, cell.text, cell.span, unit), log)
    return draft


def _proactive_cell(spec: ProactiveRow, field: str, raw: str, span: Optional[Span],
                    header_unit: Optional[str]) -> TableCell:
    """A 表二 cell; money is kept in the unit its metric names (元 or 万元)."""
    factor = 1.0
    if field in ("amount_yuan", "amount_wan_yuan"):
        target = 10000 if field == "amount_wan_yuan" else 1
        unit = read_token(raw).unit or header_unit or ("万元" if field == "amount_wan_yuan" else "元")
        printed = 10000 if unit == "万元" else 1
        factor = printed / target
    return _cell(f"proactive.{spec.stem}.{field}", raw, span, factor)


def _request_header(rows: Sequence[Row]) -> Dict[str, int]:
    """Column key → grid column, from the header rows of 表三 (the deepest header wins)."""
    columns: Dict[str, int] = {}
    for row in rows:
        for cell, key in zip(row.labels, row.keys):
            column = _column_of(key)
            if column:
                columns[column] = cell.col
    return columns


def _is_header_row(row: Row) -> bool:
    """A 表三 header row whose value cells are all blank (an empty cell under 总计): its labels are
    column headers (自然人, 其他, 总计), not rows."""
    return bool(row.labels) and all(read_token(cell.text).kind == "blank" for cell in row.values) \
        and all(_column_of(key) or key.startswith(REQUESTS_HEADER_LABELS) for key in row.keys)


def _grid_requests(rows: Sequence[Row], family: str, log: _Log) -> _Draft:
    draft = _Draft("requests")
    cursor = _RequestCursor()
    headers: List[Row] = []
    found: List[Tuple[RowSpec, List[Cell]]] = []
    columns: Optional[Dict[str, int]] = None
    for row in rows:
        if not row.values or _is_header_row(row):
            if row.labels and columns is None:
                headers.append(row)
            continue
        if not row.labels:
            continue
        index, repeated = cursor.match(_row_keys(row))
        if index is None:
            continue
        spec = REQUEST_ROWS[index]
        if repeated:
            log(f"row {spec.key} printed again; the first is kept")
            continue
        cursor.next = index + 1
        if columns is None:
            columns = _request_header(headers)
        cells = list(row.values) if len(row.values) == len(REQUEST_COLUMNS) else \
            _by_header(row, columns, [c for c, _ in REQUEST_COLUMNS])
        if cells is None:
            log(f"row {spec.key}: {len(row.values)} value cells and no column headers to place "
                f"them by; left out")
            continue
        found.append((spec, cells))
    draft.template = _request_version((s.key for s, _ in found), family)
    for spec, cells in found:
        if draft.template not in spec.templates:
            log(f"row {spec.key} is not part of the {draft.template} table; left out")
            continue
        for (column, _), cell in zip(REQUEST_COLUMNS, cells):
            draft.put(_cell(f"requests.{spec.key}.{column}", cell.text, cell.span), log)
    return draft


def _by_header(row: Row, columns: Dict[str, int], order: Sequence[str]) -> Optional[List[Cell]]:
    """The row's value cells under each header column, or None when that is not one cell each."""
    if any(key not in columns for key in order):
        return None
    cells = []
    used = set()
    for key in order:
        cell = _cell_at(row.slots, columns[key])
        if cell is None or id(cell) in used or read_token(cell.text).kind == "label":
            return None
        used.add(id(cell))
        cells.append(cell)
    return cells


def _review_header(rows: Sequence[Row]) -> Dict[str, int]:
    """Cell key → grid column, from the header rows of 表四."""
    groups: List[Tuple[str, int, int]] = []
    results: List[Tuple[str, int]] = []
    for row in rows:
        for cell, key in zip(row.labels, row.keys):
            group = _review_group_of(key)
            if group:
                groups.append((group, cell.col, cell.col + cell.colspan))
                continue
            result = _review_result_of(key)
            if result:
                results.append((result, cell.col))
    columns: Dict[str, int] = {}
    for result, col in results:
        inside = [(end - start, group) for group, start, end in groups if start <= col < end]
        if inside:
            columns[f"{min(inside)[1]}.{result}"] = col
    return columns


def _grid_review(rows: Sequence[Row], family: str, log: _Log) -> _Draft:
    draft = _Draft("review_litigation")
    draft.template = family if family in TEMPLATES else T2021
    headers: List[Row] = []
    columns: Dict[str, int] = {}
    seen = -1
    order = [c.key for c in REVIEW_CELLS]
    for row in rows:
        if not row.values:
            if row.labels:
                headers.append(row)
            continue
        if len(row.values) < 2:
            continue
        if len(row.values) == len(order):
            cells: Optional[List[Cell]] = list(row.values)
        else:
            if seen != len(headers):
                columns, seen = _review_header(headers[-8:]), len(headers)
            cells = _by_header(row, columns, order)
        if cells is None:
            log(f"a row of {len(row.values)} value cells that the column headers do not place; left out")
            continue
        for key, cell in zip(order, cells):
            draft.put(_cell(key, cell.text, cell.span), log)
        break
    return draft


# ----------------------------------------------------------------------------- text tables


class _Tok(NamedTuple):
    text: str
    kind: str
    span: Span
    closed: bool  # more text follows: the token was not cut off by the end of the input


def _text_tokens(page: Page) -> List[_Tok]:
    """The printed cells of the paragraph text: pieces between '|', numbers split on spaces."""
    tokens: List[_Tok] = []
    end_of_text = len(page.text.rstrip())
    for block in page.blocks:
        if block.kind != "para":
            continue
        line = block.text
        stripped = line.strip()
        if _PAGE_MARK.fullmatch(stripped) or _is_rule(stripped):
            continue
        base = block.span[0]
        start = 0
        for piece in line.split("|"):
            offset = start
            start += len(piece) + 1
            if not piece.strip():
                continue
            for match in re.finditer(r"\S+", piece):
                text = match.group()
                kind = read_token(text).kind
                start_at = base + offset + match.start()
                split = _split_number(text) if kind == "label" else None
                if split:
                    label, number = split
                    tokens.append(_Tok(label, "label", (start_at, start_at + len(label)), True))
                    start_at += len(label)
                    text, kind = number, read_token(number).kind
                span = (start_at, start_at + len(text))
                tokens.append(_Tok(text, kind, span, span[1] < end_of_text))
    return tokens


def _is_rule(line: str) -> bool:
    """A markdown table rule (|---|:---:|)."""
    return "---" in line and not line.strip("|-: ")


def _candidates(key: str) -> List[str]:
    """A label and its tails from each numbering inside it, innermost first.

    Text that lost its cell borders runs a group label into its first row
    ('(三)不予公开1.属于国家秘密'); the tail names the row.
    """
    tails = [key[m.start():] for m in _EMBEDDED.finditer(key, 1)]
    return tails[::-1] + [key]


def _known(key: str) -> bool:
    """True for a label that belongs to the templates (row, header or caption)."""
    if _context_of(key, True) or _match_proactive(key) or _match_field(key) or _column_of(key):
        return True
    if _review_group_of(key) or _review_result_of(key):
        return True
    for candidate in _candidates(key):
        marker, core = split_marker(candidate)
        if any(_core_match(core, marker, spec.labels, spec.marker) for spec in REQUEST_ROWS):
            return True
    return False


def _split_number(text: str) -> Optional[Tuple[str, str]]:
    """(label, number) of a label run into its first number ('规章0', '数量23'), when the label is the templates'."""
    if len(text) > 200:
        return None
    match = _TRAILING_NUMBER.search(text)
    if not match or not _known(label_key(text[:match.start()])):
        return None
    return text[:match.start()], match.group()


def _values_after(tokens: Sequence[_Tok], i: int) -> Tuple[List[_Tok], bool, int]:
    """(value tokens after label i, cut off by the end of the text?, index after them)."""
    values: List[_Tok] = []
    skipped = 0
    j = i + 1
    while j < len(tokens):
        tok = tokens[j]
        if tok.kind == "label":
            if values or skipped >= MAX_CONTINUATION or len(tok.text) > 30 or "。" in tok.text \
                    or _known(label_key(tok.text)):
                break
            skipped += 1  # a label's continuation line ('正、行政机关不再处理其政府信')
            j += 1
            continue
        if not tok.closed:
            return values, True, j + 1
        values.append(tok)
        j += 1
    return values, False, j


#: what a label key starts with when it opens a table (see _context_of) …
_OPENING_WORDS = (PROACTIVE_CAPTION, PROACTIVE_HEADER) + REQUESTS_HEADER_LABELS + ("(本列数据",) + _REVIEW_HEADINGS
#: … or holds anywhere (表四's header run together) …
_OPENING_INSIDE = REVIEW_HEADER_LABELS
#: … or this, once punctuation is dropped (一、本年新收…)
_OPENING_ROW = REQUEST_ROWS[0].labels[0]
#: an opening word after a space or '|' (where a token starts; the text's start is tested apart), or an
#: inner one anywhere (a lookbehind would be simpler but makes the search test every position)
_OPENING = re.compile("[\\s|](?:" + "|".join(map(re.escape, _OPENING_WORDS)) + ")|"
                      + "|".join(map(re.escape, _OPENING_INSIDE)))
#: the opening row with any punctuation between its characters (as it reads once punctuation is dropped)
_OPENING_ROW_PUNCT = re.compile(f"[{re.escape(PUNCTUATION)}]*".join(map(re.escape, _OPENING_ROW)))


def _opens_no_table(page: Page) -> bool:
    """True when no label of the paragraph text can open a table, so that _read_text finds nothing.

    Every label token is a piece of the paragraph text without spaces or '|' (a label run
    into its number keeps the token's start), and label_key folds it character by character
    (the word variants never span the spaces, '|' or digits that end a token): its key is a
    piece of the paragraph text folded the same way, starting where the token starts.
    """
    page = fold_page(page)  # the page itself when read_tables folded it already
    folded = "\n".join(block.text for block in page.blocks if block.kind == "para")
    if _QUOTE.search(folded):
        folded = folded.translate(_DROP_QUOTES)
    for old, new in WORD_VARIANTS:
        if old in folded:
            folded = folded.replace(old, new)
    folded = folded.replace("．", ".")
    if folded.startswith(_OPENING_WORDS) or _OPENING.search(folded):
        return False
    return not _OPENING_ROW_PUNCT.search(folded)


def _read_text(page: Page, family: str, wanted: Sequence[str], warnings: List[str]) -> Dict[str, _Draft]:
    """Drafts of the tables recovered from paragraph text, for the tables in ``wanted``."""
    if _opens_no_table(page):
        return {}  # no context opens: no row is read and nothing is logged
    tokens = _text_tokens(page)
    drafts = {name: _Draft(name) for name in wanted}
    logs = {name: _Log(name, warnings) for name in wanted}
    # the 表二 version from its column headers (or the family)
    keys = [label_key(t.text) for t in tokens if t.kind == "label"]
    field_templates = [f[1] for f in map(_match_field, keys) if f]
    stems = [r.stem for r in map(_match_proactive, keys) if r]
    proactive_version = _proactive_version(field_templates, stems, family)
    cursor = _RequestCursor()
    found_requests: List[Tuple[RowSpec, List[_Tok]]] = []
    context = None
    review_done = False
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.kind != "label":
            if context == "review_litigation" and "review_litigation" in drafts and not review_done:
                values, cut, after = _values_after(tokens, i - 1)
                if len(values) == len(REVIEW_CELLS) and not cut:
                    for review_cell, value in zip(REVIEW_CELLS, values):
                        drafts["review_litigation"].put(_cell(review_cell.key, value.text, value.span),
                                                        logs["review_litigation"])
                else:
                    logs["review_litigation"](
                        f"{len(values)} numbers in a run where {len(REVIEW_CELLS)} are printed"
                        f"{' (the text ends inside it)' if cut else ''}; left out")
                review_done = True
                i = after
                continue
            i += 1
            continue
        key = label_key(tok.text)
        opened = _context_of(key, True)
        if opened:
            context = opened
        if context == "proactive" and "proactive" in drafts:
            proactive_row = _match_proactive(key)
            if proactive_row and not proactive_version:
                logs["proactive"](f"row {tok.text}: the template version cannot be told (no column headers); "
                                  f"left out")
            if proactive_row and proactive_version:
                expected = PROACTIVE_BLOCKS[proactive_version].get(proactive_row.block)
                values, cut, after = _values_after(tokens, i)
                if expected and len(values) == len(expected) and not cut:
                    for field, value in zip(expected, values):
                        drafts["proactive"].put(_proactive_cell(proactive_row, field, value.text, value.span, None),
                                                logs["proactive"])
                    i = after
                    continue
                if values or cut:
                    logs["proactive"](f"row {tok.text}: {len(values)} numbers where "
                                      f"{len(expected or ())} are printed"
                                      f"{' (the text ends inside the row)' if cut else ''}; left out")
        elif context == "requests" and "requests" in drafts:
            marker, core = split_marker(key)
            index, repeated = cursor.match(_candidates(key))
            if index is not None and not repeated:
                values, cut, after = _values_after(tokens, i)
                spec = REQUEST_ROWS[index]
                if len(values) == len(REQUEST_COLUMNS) and not cut:
                    cursor.next = index + 1
                    found_requests.append((spec, values))
                    i = after
                    continue
                if (cut or after >= len(tokens)) and 0 < len(values) <= len(REQUEST_COLUMNS):
                    # an excerpt that ends inside the row (or right after its last number): the
                    # numbers printed are its first columns
                    cursor.next = index + 1
                    found_requests.append((spec, values))
                    logs["requests"](f"row {spec.key}: the text ends inside the row; its first {len(values)} "
                                     f"of {len(REQUEST_COLUMNS)} numbers read")
                    i = after
                    continue
                if values or cut:
                    cursor.next = index + 1
                    logs["requests"](f"row {spec.key}: {len(values)} numbers after its label where "
                                     f"{len(REQUEST_COLUMNS)} are printed"
                                     f"{' (the text ends inside the row)' if cut else ''}; left out")
        i += 1
    if "proactive" in drafts:
        drafts["proactive"].template = proactive_version
    if "requests" in drafts:
        draft = drafts["requests"]
        draft.template = _request_version((s.key for s, _ in found_requests), family)
        for spec, values in found_requests:
            if draft.template in spec.templates:
                for (column, _), value in zip(REQUEST_COLUMNS, values):
                    draft.put(_cell(f"requests.{spec.key}.{column}", value.text, value.span), logs["requests"])
    if "review_litigation" in drafts:
        drafts["review_litigation"].template = family if family in TEMPLATES else T2021
    for log in logs.values():
        log.close()
    return {name: d for name, d in drafts.items() if d.cells}


# ----------------------------------------------------------------------------- assembly


@functools.lru_cache(maxsize=None)  # a few tables × two versions
def _expected_keys(name: str, template: str) -> Dict[str, int]:
    """The keys of a complete table, each with its place in the table (shared: read only)."""
    if name == "requests":
        keys = [f"requests.{row.key}.{column}" for row in request_rows(template) for column, _ in REQUEST_COLUMNS]
    elif name == "review_litigation":
        keys = [c.key for c in REVIEW_CELLS]
    else:
        stems: Dict[str, List[str]] = {row.block: [] for row in PROACTIVE_ROWS}
        for row in PROACTIVE_ROWS:
            if template in row.templates:
                stems[row.block].append(row.stem)
        keys = [f"proactive.{stem}.{field}" for block, fields in PROACTIVE_BLOCKS[template].items()
                for stem in stems[block] for field in fields]
    return {key: i for i, key in enumerate(keys)}


def _finish(draft: _Draft, printed: str) -> TemplateTable:
    """The table of a draft; each cell's token as ``printed`` (the page text before folding)."""
    template = draft.template or T2021
    order = _expected_keys(draft.name, template)
    cells = sorted(draft.cells.values(), key=lambda c: order.get(c.key, len(order)))
    cells = [_as_printed(c, printed) for c in cells]
    span = (min(s[0] for s in draft.spans), max(s[1] for s in draft.spans)) if draft.spans else None
    complete = all(key in draft.cells for key in order)
    return TemplateTable(name=draft.name, template=template, cells={cell.key: cell for cell in cells}, span=span,
                         complete=complete)


def _as_printed(cell: TableCell, printed: str) -> TableCell:
    """``cell`` with the token as printed where the folded page read it (無 for 无)."""
    if cell.span is None:
        return cell
    token = printed[cell.span[0]:cell.span[1]]
    return cell if token == cell.raw or fold(token) != cell.raw else dataclasses.replace(cell, raw=token)


def read_tables(page: Page, family: str) -> Tuple[Dict[str, TemplateTable], List[str]]:
    """The template tables found on the page, by name, and warnings.

    A table whose heading is there but whose cells are not (an image, an attachment)
    is absent, with a warning; it is never a table of zeros.
    """
    warnings: List[str] = []
    printed = page
    page = fold_page(page)
    drafts = _read_grids(page.blocks, family, warnings)
    missing = [name for name in TABLE_HEADINGS if name not in drafts]
    if missing:
        drafts.update(_read_text(page, family, missing, warnings))
    if "review_litigation" in drafts and family not in TEMPLATES:
        # 表四 is the same in both versions: it takes the version the other tables show
        for other in ("requests", "proactive"):
            if other in drafts and drafts[other].template:
                drafts["review_litigation"].template = drafts[other].template
                break
    tables = {name: _finish(drafts[name], printed.text) for name in TABLE_HEADINGS if name in drafts}
    if page.media == "pdf":
        tables = _printed_at(tables, page.blocks)
    headings = _headings(page)
    for name in TABLE_HEADINGS:
        if name in tables:
            if not tables[name].complete:
                warnings.append(f"{TABLE_TITLES[name]}: only part of the table could be read "
                                f"({len(tables[name].cells)} cells)")
            continue
        if family in TEMPLATES or "requests" in headings:
            where = "under its heading (an image or an attachment?)" if name in headings else "on the page"
            warnings.append(f"{TABLE_TITLES[name]} not found: no table text {where}; no metrics from it")
    return tables, warnings


def _printed_at(tables: Dict[str, TemplateTable], blocks: Sequence[Block]) -> Dict[str, TemplateTable]:
    """The tables with each cell's page and box, from the grid cell it was read from."""
    printed = {cell.span: cell for block in blocks for row in block.grid for cell in row if cell.page is not None}
    placed: Dict[str, TemplateTable] = {}
    for name, table in tables.items():
        cells = {key: _placed_cell(cell, printed) for key, cell in table.cells.items()}
        placed[name] = dataclasses.replace(table, cells=cells)
    return placed


def _placed_cell(cell: TableCell, printed: Dict[Span, Cell]) -> TableCell:
    source = printed.get(cell.span) if cell.span is not None else None
    return cell if source is None else dataclasses.replace(cell, page=source.page, bbox=source.bbox)


def _headings(page: Page) -> Set[str]:
    """The tables whose section heading stands as a line of its own on the page."""
    found: Set[str] = set()
    for block in page.blocks:
        if block.kind != "para" or len(block.text) > 40:
            continue
        squeezed = block.text.replace(" ", "")
        for name, heading in TABLE_HEADINGS.items():
            if heading in squeezed and len(squeezed) <= len(heading) + 8:
                found.add(name)
    return found


# ----------------------------------------------------------------------------- metrics


def _sum(values: Sequence[Optional[Number]]) -> Optional[Number]:
    if any(v is None for v in values):
        return None
    total = sum(values)  # type: ignore[arg-type]
    return round(total, 6) if isinstance(total, float) else total


def table_metrics(tables: Dict[str, TemplateTable]) -> Dict[str, Number]:
    """Canonical metrics stated by the tables' cells (and group sums when all rows are stated)."""
    metrics: Dict[str, Number] = {}
    for table in tables.values():
        for cell in table.cells.values():
            if cell.value is not None:
                metrics[cell.key] = cell.value
    requests = tables.get("requests")
    if requests is not None:
        rows = request_rows(requests.template)
        groups: Dict[str, List[RowSpec]] = {}
        for row in rows:
            if row.group:
                groups.setdefault(row.group, []).append(row)
        by_key = requests.cells
        for group, members in groups.items():
            for column, _ in REQUEST_COLUMNS:
                cells = [by_key.get(f"requests.{row.key}.{column}") for row in members]
                total = _sum([c.value if c else None for c in cells])
                if total is not None:
                    metrics[f"requests.{group}.{column}"] = total
    review = tables.get("review_litigation")
    if review is not None:
        parts = [review.get("litigation.direct.total"), review.get("litigation.after_review.total")]
        total = _sum([c.value if c else None for c in parts])
        if total is not None:
            metrics["litigation.total"] = total
    return metrics
