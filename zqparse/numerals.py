"""Numerals as printed in the reports: Arabic, Chinese and mixed, with their exact values.

A pure reader with no knowledge of units or of what counts as a figure (that is
:mod:`zqparse.units` and :mod:`zqparse.figures`). It works on normalised text
(NFKC: full-width digits are ASCII digits already) and reads

* Arabic numbers with thousands separators and decimals: ``1740``, ``1,740``, ``4166.241619``;
* Chinese numerals: ``七``, ``十一``, ``一百七十七``, ``两``, ``一百零五``, ``三万``, ``七十一点三``,
  and digit strings such as ``二〇一二`` / ``二○一二`` (read digit by digit);
* mixed forms with the multipliers 万 / 亿 / 千: ``1.2万``, ``3万余``;
* percentages: ``71.3%``, ``百分之百``, ``百分之七十一点三``;
* ranges: ``3-5``, ``三至五``, ``三四`` (three or four);
* approximation markers: 约 / 大约 / 近 / 将近 before, 多 / 余 / 左右 / 以上 after.

Values are :class:`decimal.Decimal`; :func:`to_number` gives the JSON number
(``int`` when whole, else a ``float`` built from the decimal string, so
``4166.241619`` stays ``4166.241619``). Every pattern here is linear in the
length of its input.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Iterator, List, NamedTuple, Optional, Tuple, Union

__all__ = [
    "Numeral",
    "scan",
    "read",
    "parse_arabic",
    "chinese_value",
    "to_number",
    "to_chinese",
    "CN_DIGITS",
]

#: Chinese digits (〇 U+3007, ○ U+25CB and the letter-like 零 all mean zero)
CN_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}
_SMALL = {"十": 10, "百": 100, "千": 1000}
_BIG = {"万": 10 ** 4, "亿": 10 ** 8}
_MULTIPLIERS = {"万": Decimal(10 ** 4), "亿": Decimal(10 ** 8), "千": Decimal(1000)}

_CN_DIGIT_CLASS = "零〇○一二两三四五六七八九"
_CN_ALL_CLASS = _CN_DIGIT_CLASS + "十百千万亿"

_ARABIC = r"(?:\d{1,3}(?:,\d{3})+(?![\d])(?:\.\d+)?|\d+(?:\.\d+)?)"
# a Chinese numeral starts with a digit or 十 (never with 百/千/万/亿: 百姓, 千方百计, 万众)
_CHINESE = rf"(?:[{_CN_DIGIT_CLASS}十][{_CN_ALL_CLASS}]{{0,30}}(?:点[{_CN_DIGIT_CLASS}]{{1,8}})?)"
_PREFIX = r"(?P<pre>大约|将近|约|近)?"
_SUFFIX = r"(?P<suf>左右|以上|多|余)?"
_RANGE_SEP = r"\s?(?:-|~|—|至|到)\s?"

_TOKEN = re.compile(
    _PREFIX
    + r"(?P<pct>百分之)?"
    + rf"(?:(?P<ar>{_ARABIC})(?:{_RANGE_SEP}(?P<ar2>{_ARABIC}))?(?P<mult>[万亿千](?![{_CN_DIGIT_CLASS}十]))?"
    + rf"|(?P<cn>{_CHINESE})(?:{_RANGE_SEP}(?P<cn2>{_CHINESE}))?)"
    + _SUFFIX
    + r"(?P<pcts>%)?"
)


class Numeral(NamedTuple):
    """One numeral in a text: where it stands and the number it states.

    ``start``/``end`` cover the whole token, markers included (约4900, 7700余,
    71.3%); ``num_start``/``num_end`` the digits alone. ``value`` includes the
    multiplier (3万余 → 30000); ``base`` and ``multiplier`` keep them apart for
    units that absorb the multiplier (1万元 is 1 of 万元). A range gives its lower
    bound as ``value`` and its upper bound as ``upper``.

    An internal value of the figure reader (not part of the data model): a named
    tuple, immutable and built in a tenth of a frozen dataclass's time.
    """

    value: Decimal
    start: int
    end: int
    num_start: int
    num_end: int
    base: Decimal
    multiplier: str = ""
    approx: bool = False
    percent: bool = False
    upper: Optional[Decimal] = None
    script: str = "arabic"  # arabic | chinese | digits (二〇一二: read digit by digit)
    text: str = ""


_PLAIN_ARABIC = re.compile(r"\d+(?:\.\d+)?")


def parse_arabic(token: str) -> Decimal:
    """The exact value of an Arabic number as printed: ``1,740`` → 1740, ``4166.241619``."""
    cleaned = token.replace(",", "").strip()
    if not cleaned or not _PLAIN_ARABIC.fullmatch(cleaned):
        raise ValueError(f"not an Arabic number: {token!r}")
    return Decimal(cleaned)


def _digits_only(token: str) -> bool:
    return all(ch in CN_DIGITS for ch in token)


def chinese_value(token: str) -> Decimal:
    """The exact value of a Chinese numeral: 一百七十七 → 177, 两 → 2, 二〇一二 → 2012, 七十一点三 → 71.3.

    Raises ValueError for a string that is not a well-formed numeral.
    """
    if not token:
        raise ValueError("empty numeral")
    whole, _, fraction = token.partition("点")
    if fraction and not _digits_only(fraction):
        raise ValueError(f"bad decimal part in {token!r}")
    value = Decimal(_chinese_int(whole))
    if fraction:
        value += Decimal("0." + "".join(str(CN_DIGITS[ch]) for ch in fraction))
    return value


def _chinese_int(token: str) -> int:
    if not token:
        raise ValueError("empty numeral")
    if _digits_only(token):
        if len(token) == 1:
            return CN_DIGITS[token]
        return int("".join(str(CN_DIGITS[ch]) for ch in token))  # 二〇一二 → 2012
    total = 0  # completed 亿/万 groups
    section = 0  # the group being read (below 万)
    number = -1  # the pending digit; -1: none
    last_small = 10 ** 9
    last_big = 10 ** 9
    zero_seen = False
    for ch in token:
        if ch in CN_DIGITS:
            if number >= 0 and not zero_seen and CN_DIGITS[ch] != 0:
                raise ValueError(f"two digits in a row in {token!r}")
            digit = CN_DIGITS[ch]
            zero_seen = digit == 0
            number = digit
        elif ch in _SMALL:
            unit = _SMALL[ch]
            if unit >= last_small:
                raise ValueError(f"misplaced {ch} in {token!r}")
            section += (number if number > 0 else 1) * unit
            number = -1
            zero_seen = False
            last_small = unit
        elif ch in _BIG:
            unit = _BIG[ch]
            section += max(number, 0)
            if section == 0 and total == 0:
                raise ValueError(f"{ch} without a number in {token!r}")
            if unit > last_big:  # 一千万亿: the pending groups scale together
                total = (total + section) * unit
            else:
                total += section * unit
            section = 0
            number = -1
            zero_seen = False
            last_small = 10 ** 9
            last_big = unit
        else:
            raise ValueError(f"not a Chinese numeral: {token!r}")
    return total + section + max(number, 0)


def to_number(value: Decimal) -> Union[int, float]:
    """The JSON number for a decimal: an ``int`` when whole, else a float from its decimal string."""
    if value == value.to_integral_value():
        return int(value)
    return float(format(value.normalize(), "f"))


def read(token: str) -> Decimal:
    """The value of one complete numeral token (Arabic, Chinese or mixed with 万/亿/千)."""
    token = token.strip()
    found = list(scan(token))
    if len(found) != 1 or (found[0].start, found[0].end) != (0, len(token)):
        raise ValueError(f"not a numeral: {token!r}")
    return found[0].value


_new_numeral = tuple.__new__  # Numeral's fields in order, without the keyword handling of its __new__


def _from_match(match: "re.Match[str]") -> Optional[Numeral]:
    """The Numeral a token match of _SCAN reads as (None when it is no well-formed numeral)."""
    pre, pct, ar, ar2, mult, cn, cn2, suf, pcts = match.group(*_TOKEN_GROUPS)
    multiplier = mult or ""
    upper: Optional[Decimal] = None
    try:
        if ar is not None:
            # the group holds digits with optional thousands commas and decimals: what parse_arabic
            # accepts, so its check is not repeated here
            base = Decimal(ar.replace(",", ""))
            if ar2 is not None:
                upper = Decimal(ar2.replace(",", ""))
            script = "arabic"
            num_start, num_end = match.span(_AR)
            num_end = max(num_end, match.end(_AR2), match.end(_MULT))
        else:
            token = cn
            if (cn2 is None and len(token) > 1 and token[-1] in _BIG
                    and not any(ch in _BIG for ch in token[:-1])):
                multiplier = token[-1]  # 三万 → 3 × 万, so that 三万元 can read as 3 万元
                base = chinese_value(token[:-1])
            else:
                base = chinese_value(token)
            digits = _digits_only(token)
            script = "digits" if digits and len(token) > 2 else "chinese"
            if digits and len(token) == 2 and CN_DIGITS[token[1]] == CN_DIGITS[token[0]] + 1:
                upper = Decimal(CN_DIGITS[token[1]])  # 三四个: three or four
                base = Decimal(CN_DIGITS[token[0]])
            if cn2 is not None:
                upper = chinese_value(cn2)
                num_start, num_end = match.start(_CN), match.end(_CN2)
            else:
                num_start, num_end = match.span(_CN)
    except (ValueError, InvalidOperation):
        return None
    if upper is not None and upper <= base:
        upper = None
    if multiplier:
        scale = _MULTIPLIERS[multiplier]
        value = base * scale
        if upper is not None:
            upper = upper * scale
    else:
        value = base
        if upper is not None:
            upper = upper * 1
    start, end = match.span()
    return _new_numeral(Numeral, (value, start, end, num_start, num_end, base, multiplier,
                                  bool(pre or suf or upper is not None), bool(pct or pcts), upper, script,
                                  match.group()))


def _percent_hundred(text: str, pos: int) -> Optional[Numeral]:
    """百分之百 (100 %), which the token pattern cannot read since 百 never starts a numeral."""
    if text.startswith("百分之百", pos):
        end = pos + 4
        return Numeral(value=Decimal(100), start=pos, end=end, num_start=pos + 3, num_end=end,
                       base=Decimal(100), percent=True, script="chinese", text="百分之百")
    return None


_STARTS = re.compile(rf"[0-9{_CN_DIGIT_CLASS}十约近大将百]")
#: a token where one can start, or 百分之百 before it (which it cannot read)
_SCAN = re.compile(rf"(?={_STARTS.pattern})(?:(?P<hundred>百分之百)|{_TOKEN.pattern})")
_TOKEN_GROUPS = tuple(_SCAN.groupindex[name] for name in ("pre", "pct", "ar", "ar2", "mult", "cn", "cn2", "suf", "pcts"))
_AR, _AR2, _MULT, _CN, _CN2 = (_SCAN.groupindex[name] for name in ("ar", "ar2", "mult", "cn", "cn2"))


def scan(text: str, start: int = 0, end: Optional[int] = None) -> Iterator[Numeral]:
    """Every numeral in ``text[start:end]``, left to right, longest reading first, never overlapping."""
    for item in scan_tokens(text, start, end):
        if isinstance(item, Numeral):
            yield item
        else:
            numeral = _from_match(item)
            if numeral is not None:
                yield numeral


def scan_tokens(text: str, start: int = 0, end: Optional[int] = None) -> Iterator[Union[Numeral, "re.Match[str]"]]:
    """The steps of :func:`scan`: a Numeral (百分之百), or a token match that :func:`numeral_of`
    reads (None when it is no well-formed numeral; the scan goes on after it either way).

    For a caller that skips most tokens by their position (:func:`token_span`) before reading them.
    """
    end = len(text) if end is None else end
    for match in _SCAN.finditer(text, start, end):
        if match.group("hundred") is not None:
            yield _percent_hundred(text, match.start())  # type: ignore[misc]  # a Numeral: the text holds 百分之百
        else:
            yield match


def token_span(match: "re.Match[str]") -> Tuple[int, int]:
    """(num_start, num_end) of the Numeral a token match reads as (see _from_match)."""
    if match.group("ar") is not None:
        return match.start("ar"), max(match.end("ar"), match.end("ar2"), match.end("mult"))
    if match.group("cn2") is not None:
        return match.start("cn"), match.end("cn2")
    return match.start("cn"), match.end("cn")


def numeral_of(match: "re.Match[str]") -> Optional[Numeral]:
    """The Numeral a token match of :func:`scan_tokens` reads as, or None."""
    return _from_match(match)


# --------------------------------------------------------------------------- writing numerals

_WRITE_DIGITS = "零一二三四五六七八九"


def _four(n: int, leading: bool) -> str:
    """0 < n < 10000 in Chinese; ``leading`` when nothing precedes (so 10 → 十, not 一十)."""
    out: List[str] = []
    zero = False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // unit % 10
        if digit == 0:
            if out:
                zero = True
            continue
        if zero:
            out.append("零")
            zero = False
        if not (unit == 10 and digit == 1 and leading and not out):
            out.append(_WRITE_DIGITS[digit])
        out.append(name)
    return "".join(out)


def to_chinese(n: int) -> str:
    """``n`` (≥ 0) as a standard Chinese numeral: 177 → 一百七十七, 10 → 十, 10005 → 一万零五."""
    if n < 0:
        raise ValueError("negative numbers are not written here")
    if n == 0:
        return "零"
    groups = []
    while n:
        groups.append(n % 10000)
        n //= 10000
    names = ["", "万", "亿", "万亿"]
    if len(groups) > len(names):
        raise ValueError("number too large")
    out: List[str] = []
    need_zero = False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            need_zero = bool(out)
            continue
        if out and (need_zero or group < 1000):
            out.append("零")
        out.append(_four(group, leading=not out))
        out.append(names[index])
        need_zero = False
    return "".join(out)
