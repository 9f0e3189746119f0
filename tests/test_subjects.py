"""Subjects: what a figure counts, from the words of its clause (jieba, loaded only when asked)."""
from __future__ import annotations

import json
import subprocess
import sys

from conftest import fixture_path, parsed
from zqparse import parse
from zqparse.subjects import clause_words

SEED = "zhaoqing-mzj-2018.txt"


def _subjects(paragraph: str):
    return [(f.raw, f.subject) for f in parse("一、概述\n" + paragraph + "\n").figures]


def test_figures_without_subjects_never_load_jieba():
    code = """
import json, sys
from zqparse.content import text_page
from zqparse.figures import find_figures
from zqparse.sections import find_sections
from zqparse.totals import figure_checks

page = text_page(open(sys.argv[1], encoding="utf-8").read())
figures = find_figures(page, find_sections(page.blocks, len(page.text)), subjects=False)
checks = figure_checks(page, figures)
print(json.dumps([len(figures), sorted({str(f.subject) for f in figures}), len(checks), "jieba" in sys.modules]))
"""
    out = subprocess.run([sys.executable, "-c", code, str(fixture_path(SEED))], capture_output=True, text=True,
                         check=True)
    count, subjects, checks, loaded = json.loads(out.stdout)
    assert count == len(parsed(SEED).figures) and subjects == ["None"] and checks == 2
    assert loaded is False


def test_a_subject_may_start_with_an_extension_a_character():
    # 㮾 (U+3BBE, CJK Extension A) opens the noun after the counter; [\u4e00-\u9fff] took 办理 instead
    assert _subjects("本年共办理3件㮾梨街道群众来信。") == [("3件", "㮾梨街道群众来信")]


def test_a_subject_before_the_number_keeps_an_extension_b_character():
    assert _subjects("受理𠀾家村村民申请5件。") == [("5件", "𠀾家村村民申请")]


def test_clause_words_keep_the_domain_terms_whole():
    assert clause_words("主动公开政府信息") == ("主动公开", "政府信息")
    assert clause_words("收到人大代表建议") == ("收到", "人大代表建议")
    assert clause_words("") == ()


def test_a_share_takes_the_subject_of_the_figure_before_it():
    assert _subjects("受理依申请公开12件,占35%。") == [("12件", "依申请公开"), ("35%", "依申请公开")]
