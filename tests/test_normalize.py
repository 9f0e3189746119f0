"""normalize: one clean line per paragraph or cell, the same as plain NFKC plus the cleaning rules."""
from __future__ import annotations

import re
import unicodedata

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from zqparse.normalize import normalize

from conftest import fixture_path

_KEEP = re.compile(r"[\u2460-\u2473]+")
_INVISIBLE = re.compile(r"[\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\ufeff\u00ad\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CJK = r"\u2460-\u2473\u3001-\u303f\p{Han}“”‘’《》〈〉【】"  # \p{Han}: the script, Extension A, B… included
_GAP = regex.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}0-9(),.:;%])|(?<=[0-9(),.:;%])\s+(?=[{_CJK}])")


def reference(text: str) -> str:
    """The rules of normalize done the plain way: NFKC of everything but ①…⑳, then cleaning."""
    pieces = _KEEP.split(text)
    kept = _KEEP.findall(text)
    out = unicodedata.normalize("NFKC", pieces[0])
    for circled, piece in zip(kept, pieces[1:]):
        out += circled + unicodedata.normalize("NFKC", piece)
    out = re.sub(r"\s+", " ", _INVISIBLE.sub("", out)).strip()
    return _GAP.sub("", out)


def test_full_width_punctuation_and_digits_become_half_width():
    assert normalize("（一）主动公开政府信息１７４０条；") == "(一)主动公开政府信息1740条;"


def test_circled_numbers_are_kept():
    assert normalize("①规章：０件") == "①规章:0件"


def test_spaces_inside_cjk_runs_go_and_others_collapse():
    assert normalize("\u3000\u3000本 年 新收 申请  7 件 ") == "本年新收申请7件"
    assert normalize("Word  export\u00a0 text") == "Word export text"


def test_spaces_inside_runs_of_rare_chinese_characters_go():
    """Extension A (㮾 U+3BBE) and Extension B (𠀾 U+2003E) are Chinese characters too."""
    assert normalize("长沙县 㮾 梨 街道") == "长沙县㮾梨街道"
    assert normalize("𠀾 家 村 3 户") == "𠀾家村3户"
    assert normalize("受理 𠀾 ,共 2 件") == "受理𠀾,共2件"


def test_invisible_characters_are_dropped():
    assert normalize("政府\u200b信息\ufeff公开\u00ad") == "政府信息公开"


def test_a_combining_mark_composes_with_its_letter():
    assert normalize("e\u0301") == "é"


def test_every_line_of_real_pages_matches_the_reference():
    for name in ("zhaoqing-mzj-2018.txt", "excerpts/pingwu-tjj-2021.txt",
                 "excerpts/taizhou-shi-2017.txt", "excerpts/xixian-dizhangjd-2023.txt"):
        for line in fixture_path(name).read_text(encoding="utf-8").splitlines():
            assert normalize(line) == reference(line), line


_ALPHABET = st.sampled_from(list(
    "ab1 ,。、中文（）：；，％\u3000\t\n\u200b\u00ad①⑳②ｅ\u0301\u0308é\uff21\uf900\u2f00\u3131\u1100"
    "\u1161\u11a8가\u00a0\u2028“”《》【】〈〉ﾞ\uff76\u309bカ\u3099かﬁ㈠⑴㎡Ⅷ\u0338=<㮾𠀾\u2e80\u2f00\U0002f800"))


@settings(max_examples=400, deadline=None)
@given(st.lists(_ALPHABET, max_size=16).map("".join))
def test_any_mix_of_tricky_characters_matches_the_reference(text):
    assert normalize(text) == reference(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_any_text_matches_the_reference(text):
    assert normalize(text) == reference(text)
