"""The national templates' vocabulary as data: captions, headers, row lists and metric keys.

Both versions are described: the 2019 trial format (国办公开办函〔2019〕60号, reports on
2019–2020) and the 2021 format (国办公开办函〔2021〕30号, reports on 2021 on). Labels are
written as they read after :func:`zqparse.normalize.normalize` (half-width brackets) and
are matched through :func:`label_key`, which also folds Traditional characters (:func:`zqparse.script.fold`), spaces,
quotes and the numbering styles 1./1、/1．. Keys are those of SCHEMA.md.
"""
from __future__ import annotations

from typing import NamedTuple, Optional, Tuple

__all__ = [
    "T2019", "T2021", "TEMPLATES",
    "RowSpec", "ProactiveRow", "ReviewCell",
    "REQUEST_COLUMNS", "REQUEST_ROWS", "REQUEST_GROUPS", "REQUEST_RESULTS_HEADING", "request_rows",
    "PROACTIVE_ROWS", "PROACTIVE_FIELDS", "PROACTIVE_BLOCKS",
    "REVIEW_GROUPS", "REVIEW_RESULTS", "REVIEW_CELLS",
    "PROACTIVE_CAPTION", "PROACTIVE_HEADER", "REQUESTS_HEADER_LABELS", "REVIEW_HEADER_LABELS",
    "TABLE_HEADINGS", "TABLE_TITLES", "BLANK_TOKENS", "UNITS", "WORD_VARIANTS",
    "QUOTES", "PUNCTUATION", "CHINESE_NUMERALS",
]

T2019 = "template2019"
T2021 = "template2021"
TEMPLATES = (T2019, T2021)

#: whole-word variants, applied after the character folding (mirror sites convert 信息→資訊, 文件→檔案)
WORD_VARIANTS = (("资讯", "信息"), ("档案", "文件"))
#: quotes dropped from labels (“三安全一稳定” / "三安全一稳定")
QUOTES = "“”‘’\"'「」『』"
#: punctuation dropped from a label's text after its numbering
PUNCTUATION = "、,，。:：;；·"
CHINESE_NUMERALS = "一二三四五六七八九十"

#: tokens that print no number: the cell is stated as blank (value None, no metric)
BLANK_TOKENS = frozenset({"", "-", "--", "—", "——", "–", "/", "\\", "无", "無", "不适用", "不適用"})
#: units a value cell may carry, with their factor to the base unit (件 for counts, 元 for money)
UNITS = (("万元", 10000), ("元", 1), ("件", 1), ("条", 1), ("个", 1), ("项", 1), ("次", 1))

# ----------------------------------------------------------------------------- 表二


class ProactiveRow(NamedTuple):
    """One row of 表二: its metric stem, the block (第二十条第(X)项), its label variants, and the
    template versions that print it."""

    stem: str  # proactive.<stem>.<field>
    block: str  # 一 五 六 八 九
    labels: Tuple[str, ...]
    templates: Tuple[str, ...] = TEMPLATES


class ProactiveField(NamedTuple):
    """One column header of 表二 and the metric field it fills."""

    field: str
    labels: Tuple[str, ...]  # header text variants, matched as prefixes
    template: str  # the template version whose header this is
    unit: Optional[str] = None  # the unit the metric is kept in


PROACTIVE_CAPTION = "第二十条"
PROACTIVE_HEADER = "信息内容"

PROACTIVE_ROWS = (
    ProactiveRow("rules", "一", ("规章",)),
    ProactiveRow("normative_docs", "一", ("行政规范性文件", "规范性文件")),
    ProactiveRow("licensing", "五", ("行政许可",)),
    ProactiveRow("other_services", "五", ("其他对外管理服务事项",), (T2019,)),
    ProactiveRow("penalty", "六", ("行政处罚",)),
    ProactiveRow("coercion", "六", ("行政强制",)),
    ProactiveRow("admin_fees", "八", ("行政事业性收费",)),
    ProactiveRow("procurement", "九", ("政府集中采购",), (T2019,)),
)

PROACTIVE_FIELDS = (
    # 2021
    ProactiveField("issued", ("本年制发件数", "本年制发"), T2021),
    ProactiveField("repealed", ("本年废止件数", "本年废止"), T2021),
    ProactiveField("in_force", ("现行有效件数", "现行有效"), T2021),
    ProactiveField("decisions", ("本年处理决定数量",), T2021),
    ProactiveField("amount_wan_yuan", ("本年收费金额",), T2021, "万元"),
    # 2019
    ProactiveField("made", ("本年新制作数量", "本年新制作"), T2019),
    ProactiveField("published", ("本年新公开数量", "本年新公开"), T2019),
    ProactiveField("total_published", ("对外公开总数量",), T2019),
    ProactiveField("previous_items", ("上一年项目数量",), T2019),
    ProactiveField("change", ("本年增/减", "本年增减"), T2019),
    ProactiveField("decisions", ("处理决定数量",), T2019),
    ProactiveField("items", ("采购项目数量",), T2019),
    ProactiveField("amount_yuan", ("采购总金额",), T2019, "元"),
)

#: the fields of each 表二 block, in column order, per template version
PROACTIVE_BLOCKS = {
    T2021: {
        "一": ("issued", "repealed", "in_force"),
        "五": ("decisions",),
        "六": ("decisions",),
        "八": ("amount_wan_yuan",),
    },
    T2019: {
        "一": ("made", "published", "total_published"),
        "五": ("previous_items", "change", "decisions"),
        "六": ("previous_items", "change", "decisions"),
        "八": ("previous_items", "change"),
        "九": ("items", "amount_yuan"),
    },
}

# ----------------------------------------------------------------------------- 表三


class RowSpec(NamedTuple):
    """One numeric row of 表三: its SCHEMA row key, numbering as printed, label variants."""

    key: str  # requests.<key>.<column>
    marker: str  # 一 / (一) / 1 : the row's own numbering
    labels: Tuple[str, ...]
    templates: Tuple[str, ...] = TEMPLATES  # the versions that print this row
    group: Optional[str] = None  # denied / unable / rejected / other


REQUEST_COLUMNS = (
    ("natural_person", ("自然人",)),
    ("business", ("商业企业",)),
    ("research", ("科研机构",)),
    ("public_interest", ("社会公益组织",)),
    ("legal_services", ("法律服务机构",)),
    ("other_org", ("其他",)),
    ("total", ("总计", "合计")),
)

#: every row of both versions in template order; (六) is one row in 2019 and three in 2021
REQUEST_ROWS = (
    RowSpec("new", "一", ("本年新收政府信息公开申请数量", "本年新收")),
    RowSpec("carried_over", "二", ("上年结转政府信息公开申请数量", "上年结转")),
    RowSpec("granted", "(一)", ("予以公开",)),
    RowSpec("partial", "(二)", ("部分公开",)),
    RowSpec("denied.state_secret", "1", ("属于国家秘密", "国家秘密"), group="denied"),
    RowSpec("denied.prohibited_by_law", "2", ("其他法律行政法规禁止公开", "其他法律行政"), group="denied"),  # 其他法律行政止公开 misprinted (洪泽区 2023, 2024)
    RowSpec("denied.three_safety_one_stability", "3", ("危及三安全一稳定",), group="denied"),
    RowSpec("denied.third_party", "4", ("保护第三方合法权益",), group="denied"),
    RowSpec("denied.internal_affairs", "5", ("属于三类内部事务信息", "三类内部事务信息"), group="denied"),
    RowSpec("denied.process_info", "6", ("属于四类过程性信息", "四类过程性信息"), group="denied"),
    RowSpec("denied.enforcement_file", "7", ("属于行政执法案卷", "行政执法案卷"), group="denied"),
    RowSpec("denied.query_matter", "8", ("属于行政查询事项", "行政查询事项"), group="denied"),
    RowSpec("unable.not_held", "1", ("本机关不掌握相关政府信息",), group="unable"),
    RowSpec("unable.needs_creation", "2", ("没有现成信息需要另行制作",), group="unable"),
    RowSpec("unable.unclear", "3", ("补正后申请内容仍不明确",), group="unable"),
    RowSpec("rejected.complaint", "1", ("信访举报投诉类申请",), group="rejected"),
    RowSpec("rejected.repeat", "2", ("重复申请",), group="rejected"),
    RowSpec("rejected.publication", "3", ("要求提供公开出版物",), group="rejected"),
    RowSpec("rejected.excessive", "4", ("无正当理由大量反复申请",), group="rejected"),
    RowSpec("rejected.confirmation", "5", ("要求行政机关确认或重新出具已获取信息",), group="rejected"),
    RowSpec("other", "(六)", ("其他处理",), (T2019,)),
    RowSpec("other.overdue_correction", "1", ("申请人无正当理由逾期不补正行政机关不再处理其政府信息公开申请",
                                             "申请人无正当理由逾期不补正"), (T2021,), "other"),
    RowSpec("other.unpaid_fee", "2", ("申请人逾期未按收费通知要求缴纳费用行政机关不再处理其政府信息公开申请",
                                      "申请人逾期未按收费通知要求缴纳费用"), (T2021,), "other"),
    RowSpec("other.other", "3", ("其他",), (T2021,), "other"),
    RowSpec("total", "(七)", ("总计",)),
    RowSpec("carried_forward", "四", ("结转下年度继续办理",)),
)

#: the label of 三、, the heading over the result rows (一 cell spanning them, no numbers of its own)
REQUEST_RESULTS_HEADING = "本年度办理结果"

#: the result groups whose sum is a metric of its own (requests.<group>.<column>)
REQUEST_GROUPS = {
    "denied": "(三)不予公开",
    "unable": "(四)无法提供",
    "rejected": "(五)不予处理",
    "other": "(六)其他处理",
}


def request_rows(template: str) -> Tuple[RowSpec, ...]:
    """The rows of 表三 that ``template`` prints, in order (23 for 2019, 25 for 2021)."""
    return tuple(row for row in REQUEST_ROWS if template in row.templates)


#: header labels that mark the head of 表三
REQUESTS_HEADER_LABELS = ("申请人情况", "本列数据的勾稽关系", "自然人", "法人或其他组织")

# ----------------------------------------------------------------------------- 表四

REVIEW_GROUPS = (
    ("review", ("行政复议",)),
    ("litigation.direct", ("未经复议直接起诉", "未经复议直接")),
    ("litigation.after_review", ("复议后起诉",)),
)
REVIEW_RESULTS = (
    ("upheld", ("结果维持", "维持")),
    ("corrected", ("结果纠正", "纠正")),
    ("other", ("其他结果",)),
    ("pending", ("尚未审结", "未审结")),
    ("total", ("总计", "合计")),
)


class ReviewCell(NamedTuple):
    """One of the 15 value cells of 表四, in printed order."""

    key: str  # review.upheld … litigation.after_review.total
    group: str
    result: str


REVIEW_CELLS = tuple(ReviewCell(f"{group}.{result}", group, result)
                     for group, _ in REVIEW_GROUPS for result, _ in REVIEW_RESULTS)
#: header labels that mark the head of 表四
REVIEW_HEADER_LABELS = ("复议后起诉", "未经复议直接起诉")

# ----------------------------------------------------------------------------- headings

#: the level-1 headings above each table, used to say a table is absent (image / attachment)
TABLE_HEADINGS = {
    "proactive": "主动公开政府信息情况",
    "requests": "收到和处理政府信息公开申请情况",
    "review_litigation": "政府信息公开行政复议",
}
#: the tables' printed names, for messages
TABLE_TITLES = {
    "proactive": "表二 主动公开政府信息情况",
    "requests": "表三 收到和处理政府信息公开申请情况",
    "review_litigation": "表四 政府信息公开行政复议、行政诉讼情况",
}
