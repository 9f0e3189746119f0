"""Decoder edge cases: BOMs, widened GB charsets, mis-declared charsets, cut downloads, undecodable counts."""
from __future__ import annotations

import codecs

import pytest

import zqparse
from zqparse.decode import MAX_UNDECODABLE_RATIO, canonical_charset, decode
from zqparse.errors import BinaryInputError, EmptyInputError

TEXT = "肇庆市民政局2018年政府信息公开工作年度报告。一、概述:本年度共主动公开政府信息1740条。"


def page(charset: str, body: str = TEXT) -> str:
    return f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}"></head>' \
           f"<body><p>{body}</p></body></html>"


@pytest.mark.parametrize("bom, encoding", [
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
])
def test_a_bom_wins_over_everything(bom, encoding):
    data = bom + page("gbk").encode(encoding)
    decoded = decode(data, "gb2312")
    assert decoded.evidence == "bom" and TEXT in decoded.text and not decoded.text.startswith("\ufeff")


def test_gb2312_page_with_gbk_and_gb18030_only_characters():
    body = TEXT + "朱镕基 王堃 𠀀"  # 镕/堃 are GBK, not GB2312; 𠀀 needs GB18030's four-byte form
    data = page("gb2312", body).encode("gb18030")
    decoded = decode(data)
    assert decoded.encoding == "gb18030" and decoded.undecodable == 0
    assert "朱镕基 王堃 𠀀" in decoded.text


@pytest.mark.parametrize("name, codec", [("gb2312", "gb18030"), ("GBK", "gb18030"), ("x-gbk", "gb18030"),
                                         ("utf8", "utf-8"), ("latin1", "cp1252"), ("nonsense", None), ("", None)])
def test_charset_names_are_widened(name, codec):
    assert canonical_charset(name) == codec


def test_gbk_bytes_declared_utf8_are_read_as_gbk():
    decoded = decode(page("utf-8").encode("gbk"))
    assert decoded.encoding == "gb18030" and TEXT in decoded.text


def test_utf8_bytes_declared_gbk_are_read_as_utf8():
    decoded = decode(page("gbk").encode("utf-8"))
    assert decoded.encoding == "utf-8" and TEXT in decoded.text


def test_a_wrong_http_charset_is_overruled_by_valid_utf8():
    decoded = decode(page("utf-8").encode("utf-8"), "gb2312")
    assert decoded.encoding == "utf-8" and TEXT in decoded.text


def test_the_http_charset_beats_the_meta_when_both_could_decode():
    data = page("utf-8", "abc").encode("ascii")
    assert decode(data, "gbk").evidence == "declared"


@pytest.mark.parametrize("charset", ["utf-16", "UTF-16LE", "utf-32"])
def test_a_meta_naming_utf16_on_ascii_bytes_means_utf8(charset):
    decoded = decode(page(charset).encode("utf-8"))
    assert decoded.encoding == "utf-8" and TEXT in decoded.text


def test_latin1_declared_on_chinese_bytes_is_not_believed():
    decoded = decode(page("iso-8859-1").encode("gbk"))
    assert decoded.encoding == "gb18030" and TEXT in decoded.text


def test_a_utf8_download_cut_mid_character_keeps_its_encoding():
    data = page("utf-8").encode("utf-8")
    cut = data[:data.index("公开".encode()) + 2]  # two of the three bytes of 公
    decoded = decode(cut)
    assert decoded.encoding == "utf-8" and decoded.undecodable == 1
    assert "政府信息" in decoded.text


def test_a_gbk_download_cut_mid_character_keeps_its_encoding():
    data = page("gbk").encode("gbk")
    cut = data[:data.index("公开".encode("gbk")) + 1]
    decoded = decode(cut)
    assert decoded.encoding == "gb18030" and decoded.undecodable == 1
    assert "政府信息" in decoded.text


def test_a_few_stray_bytes_are_counted_not_fatal():
    data = bytearray(page("utf-8", TEXT * 20).encode("utf-8"))
    data[200] = 0xFF
    data[900] = 0xFE
    decoded = decode(bytes(data))
    # a broken multi-byte sequence leaves its other bytes undecodable too
    assert decoded.encoding == "utf-8" and 2 <= decoded.undecodable <= 6
    report = zqparse.parse(bytes(data))
    assert report.source.undecodable == decoded.undecodable
    assert any("could not be decoded" in w for w in report.warnings)


def test_too_many_undecodable_bytes_are_not_forced_into_utf8():
    good = page("utf-8", TEXT * 5).encode("utf-8")
    bad = bytes(b if i % 20 else 0xFF for i, b in enumerate(good))  # 5% invalid
    decoded = decode(bad)
    assert decoded.undecodable > MAX_UNDECODABLE_RATIO * len(decoded.text) or decoded.encoding != "utf-8"


@pytest.mark.parametrize("data", [b"%PDF-1.7\n...", b"PK\x03\x04rest", b"\x89PNG\r\n\x1a\n", b"\x1f\x8b\x08",
                                  b"\x00\x01\x02\x03" * 100, bytes(range(256)) * 40])
def test_binary_data_is_refused(data):
    with pytest.raises(BinaryInputError):
        decode(data)


@pytest.mark.parametrize("data", [b"", b" \r\n\t", codecs.BOM_UTF8, codecs.BOM_UTF8 + b"  "])
def test_empty_data_is_refused(data):
    with pytest.raises(EmptyInputError):
        decode(data)


def test_an_unknown_declared_charset_is_ignored():
    decoded = decode(page("x-no-such-charset").encode("utf-8"), "also-unknown")
    assert decoded.encoding == "utf-8" and TEXT in decoded.text


def test_utf7_declared_cannot_smuggle_markup():
    data = page("utf-7", "+ADw-script+AD4-alert(1)+ADw-/script+AD4-" + TEXT).encode("ascii", "xmlcharrefreplace")
    report = zqparse.parse(data)
    assert "alert" in report.text or TEXT[:6] in report.text  # read as text either way, never run
