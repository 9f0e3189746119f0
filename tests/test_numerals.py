"""The numeral reader: every printed form with its exact value, and a round trip through Chinese."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zqparse.numerals import chinese_value, read, scan, to_chinese, to_number


@pytest.mark.parametrize("token, value", [
    # Arabic, thousands separators, decimals (full-width digits arrive as ASCII after NFKC)
    ("1740", 1740), ("1,740", 1740), ("75,394,432.52", Decimal("75394432.52")),
    ("4166.241619", Decimal("4166.241619")), ("0", 0),
    # Chinese numerals
    ("七", 7), ("十", 10), ("十一", 11), ("二十", 20), ("一百七十七", 177), ("两", 2), ("两千", 2000),
    ("一百零五", 105), ("一千零一十", 1010), ("零", 0), ("〇", 0), ("三万", 30000), ("一万零五", 10005),
    ("十一万", 110000), ("一亿二千万", 120000000),
    # digit strings, read digit by digit
    ("二〇一二", 2012), ("二○一二", 2012),
    # mixed forms and multipliers
    ("1.2万", 12000), ("3万余", 30000), ("1600多", 1600), ("3千", 3000), ("2.5亿", 250000000),
    # percentages
    ("71.3%", Decimal("71.3")), ("百分之七十一点三", Decimal("71.3")), ("百分之百", 100),
    # approximation markers
    ("约4900", 4900), ("近100", 100), ("200左右", 200), ("30以上", 30), ("7700余", 7700),
    # ranges: the lower bound
    ("3-5", 3), ("三至五", 3), ("三四", 3),
])
def test_read_exact_values(token, value):
    assert read(token) == Decimal(value)


@pytest.mark.parametrize("token, approx, percent, upper", [
    ("1740", False, False, None), ("7700余", True, False, None), ("200多", True, False, None),
    ("约4900", True, False, None), ("近100", True, False, None), ("200左右", True, False, None),
    ("30以上", True, False, None), ("71.3%", False, True, None), ("百分之百", False, True, None),
    ("3-5", True, False, 5), ("三至五", True, False, 5), ("三四", True, False, 4), ("3万余", True, False, None),
])
def test_markers(token, approx, percent, upper):
    (numeral,) = list(scan(token))
    assert (numeral.approx, numeral.percent) == (approx, percent)
    assert numeral.upper == (Decimal(upper) if upper is not None else None)
    assert (numeral.start, numeral.end) == (0, len(token))


def test_multiplier_kept_apart_for_units_that_absorb_it():
    (numeral,) = list(scan("1万"))
    assert (numeral.base, numeral.multiplier, numeral.value) == (Decimal(1), "万", Decimal(10000))
    (numeral,) = list(scan("三万"))
    assert (numeral.base, numeral.multiplier) == (Decimal(3), "万")


def test_exact_json_numbers():
    assert to_number(read("4166.241619")) == 4166.241619
    assert repr(to_number(read("4166.241619"))) == "4166.241619"
    assert isinstance(to_number(read("1.2万")), int) and to_number(read("1.2万")) == 12000
    assert to_number(read("219062.78")) == 219062.78
    assert isinstance(to_number(read("1740")), int)


def test_scan_positions_in_a_sentence():
    text = "共梳理行政许可21项、行政处罚40项等共177个事项"
    found = [(text[n.start:n.end], int(n.value)) for n in scan(text)]
    assert found == [("21", 21), ("40", 40), ("177", 177)]


def test_scan_does_not_start_numbers_on_hundreds_or_ten_thousands():
    assert [n.text for n in scan("千方百计服务百姓,万众")] == []


def test_digit_strings_are_marked():
    (numeral,) = list(scan("二〇一〇"))
    assert numeral.script == "digits"
    (numeral,) = list(scan("一百七十七"))
    assert numeral.script == "chinese"


@pytest.mark.parametrize("bad", ["十十", "一二三十", "万", "abc", ""])
def test_malformed_chinese_numerals_are_refused(bad):
    with pytest.raises(ValueError):
        chinese_value(bad)


@pytest.mark.parametrize("n, text", [
    (0, "零"), (7, "七"), (10, "十"), (11, "十一"), (105, "一百零五"), (177, "一百七十七"),
    (1010, "一千零一十"), (10005, "一万零五"), (110000, "十一万"), (100000001, "一亿零一"),
])
def test_to_chinese(n, text):
    assert to_chinese(n) == text


@given(st.integers(min_value=0, max_value=10 ** 12 - 1))
def test_chinese_round_trip(n):
    written = to_chinese(n)
    assert chinese_value(written) == n
    (numeral,) = list(scan(written))
    assert numeral.value == n and (numeral.start, numeral.end) == (0, len(written))


def test_linear_on_long_inputs():
    text = "一二三四五六七八九十" * 10000 + "1" * 50000
    assert sum(1 for _ in scan(text)) > 0


def _stepwise_tokens(text, start, end):
    """scan_tokens as a loop of searches: 百分之百 where it fits, else a token match, else one step on."""
    from zqparse import numerals

    pos = start
    while pos < end:
        hit = numerals._STARTS.search(text, pos, end)
        if hit is None:
            return
        pos = hit.start()
        if text.startswith("百分之百", pos) and pos + 4 <= end:
            yield (pos, pos + 4, "百分之百")
            pos += 4
            continue
        match = numerals._TOKEN.match(text, pos, end)
        if match is None:
            pos += 1
            continue
        yield (match.start(), match.end(), match.groupdict())
        pos = match.end()


@given(st.text(alphabet="百分之约近大将一二两十千万亿点0123456789.,%-~至到多余左右以上 ٣", max_size=24),
       st.integers(-1, 4), st.integers(0, 26))
def test_scan_tokens_steps_as_a_loop_of_searches(text, start, end):
    from zqparse.numerals import Numeral, scan_tokens

    got = [(t.start, t.end, t.text) if type(t) is Numeral
           else (t.start(), t.end(), {k: v for k, v in t.groupdict().items() if k != "hundred"})
           for t in scan_tokens(text, start, end)]
    assert got == list(_stepwise_tokens(text, start, end))
