"""Counters and units of figures, and what is not a figure, as data.

Patterns run on normalised text (NFKC: half-width brackets, colons, commas and
digits; 〔〕 and 【】 are kept as printed) and are compiled with the ``regex``
module (Chinese characters are :data:`zqparse.normalize.HAN`). :mod:`zqparse.figures`
and :mod:`zqparse.subjects` read them; no logic lives here. Every pattern is bounded
(no nested unbounded repeats). Each rule is named and carries its examples (what it
must match) and non-examples (what it must not); tests/test_units.py is made from them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Tuple

from .normalize import HAN

# --------------------------------------------------------------------------- units

#: counters and units as printed after a number, longest first where one is a prefix of another.
#: 万元/亿元/万人次/万次 absorb the multiplier (1万元 is 1 of 万元, not 10000 of 元; 120万人次 is
#: 120 of 万人次, as printed).
UNITS = (
    "个百分点", "个工作日", "个小时", "百分点", "万人次", "人次", "万元", "亿元", "千元", "万次", "场次", "批次",
    "部分",
    "工作日", "个月", "小时", "分钟", "周岁",
    "条", "件", "份", "项", "个", "次", "起", "宗", "期", "家", "人", "名", "元", "篇", "场",
    "户", "册", "本", "张", "台", "所", "通", "位", "批", "天", "年", "%",
)

#: durations and deadlines (24小时值班, 15个工作日内, 3个月): read as units so that 3个月 is not
#: taken for 3个, but never figures
NOT_FIGURE_UNITS = ("个工作日", "工作日", "个月", "小时", "天", "分钟", "周岁", "个小时")

#: units that are durations: a figure only in the contexts of DURATION_BEFORE / DURATION_AFTER
#: (连续三年 is three years; 2018年 is a date)
DURATION_UNITS = ("年",)
#: a duration figure needs one of these right before the number …
DURATION_BEFORE = ("连续", "近", "历时", "满", "长达")
#: … or one of these right after its unit
DURATION_AFTER = ("来", "以来", "间", "多来")


# --------------------------------------------------------------------------- not figures

@dataclass(frozen=True, slots=True)
class NotFigureRule:
    """Text that holds numbers but no figures: a number overlapping a match of ``pattern`` is skipped.

    ``examples`` are phrases the pattern must match (their numbers are no figures);
    ``non_examples`` are phrases it must not match.
    """

    name: str
    pattern: str
    examples: Tuple[str, ...]
    non_examples: Tuple[str, ...]


#: words that end a street or place name before its house number (城中路49号, 㮾梨街道3号)
PLACE_WORDS = ("路", "街", "大道", "大街", "巷", "弄", "道", "里", "村", "社区")
#: the longest place name before a place word (characters)
PLACE_NAME_MAX = 10

#: the rules, in the order they are tried at a position (the first that matches there wins)
NOT_FIGURE_RULES: Tuple[NotFigureRule, ...] = (
    # dates and years
    NotFigureRule("date", r"(?:19|20)\d{2}\s?年(?:度)?(?:\s?\d{1,2}\s?月(?:\s?\d{1,2}\s?[日号])?)?",
                  ("2018年1月1日", "2018年度", "2019 年 3 月 22 号"), ("18年", "1740条")),
    NotFigureRule("chinese_date",
                  r"[〇○零一二三四五六七八九]{4}年(?:度)?(?:[一二三四五六七八九十]{1,2}月(?:[一二三四五六七八九十]{1,3}[日号])?)?",
                  ("二〇一〇年一月十九日", "二○一八年度"), ("三年", "十二年")),
    NotFigureRule("month_day", r"\d{1,2}\s?月(?:份)?(?:\s?\d{1,2}\s?[日号])?",
                  ("12月31日", "3月份", "6 月"), ("3个月", "12个")),
    NotFigureRule("chinese_month_day", r"[一二三四五六七八九十]{1,2}月(?:份)?(?:[一二三四五六七八九十]{1,3}[日号])?",
                  ("十二月三十一日", "三月份"), ("三个月", "一年")),
    NotFigureRule("day_in_a_range", r"\d{1,2}\s?[日号](?=\s?(?:至|到|起|止|前|后|-|—|,|;|。|以来))",
                  ("15日至", "31日前", "5号以来"), ("15日举办", "5号楼")),
    NotFigureRule("iso_date", r"(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}",
                  ("2019-03-22", "2020/1/5", "2018.12.31"), ("3-5个", "2019-03")),
    NotFigureRule("year_range", r"(?:19|20)\d{2}\s?[-—~至到]\s?(?:19|20)\d{2}",
                  ("2018-2020", "2019至2021"), ("18-20", "2019至今")),
    NotFigureRule("clock_time", r"\d{1,2}:\d{2}", ("8:30", "17:30"), ("3:1", "比例1:2")),
    # document numbers
    NotFigureRule("document_number", r"[〔\[【(]\s?(?:19|20)\d{2}\s?[〕\]】)]\s?第?\s?\d{1,5}\s?号",
                  ("粤办函〔2019〕21号", "[2019]21号", "(2019)第3号"), ("〔2019〕", "(2019年)3号")),
    NotFigureRule("bracketed_year", r"[〔\[【(]\s?(?:19|20)\d{2}\s?[〕\]】)]",
                  ("〔2019〕", "【2020】", "(2018)"), ("(20)", "(2018年)")),
    NotFigureRule("number_sign", r"第\s?\d{1,5}\s?号", ("第492号", "第 3 号"), ("第三号", "第3次")),
    NotFigureRule("numbered_order", r"\d{1,5}号(?:令|文|文件)", ("492号令", "3号文件"), ("3号楼", "3条")),
    # phone, fax, postcode: labelled numbers, and the shapes of phone numbers
    NotFigureRule("labelled_number",
                  r"(?:电话|传真|邮编|邮政编码|手机|热线|联系方式|咨询电话|服务热线)[^,。;\n]{0,12}?[\d\-—()/、 ]{5,40}",
                  ("联系电话:0758-2200086", "传真:0758-2200087", "邮政编码:526040", "手机:13812345678",
                   "热线电话12345", "联系方式:0758-2200086", "咨询电话:12345", "服务热线12345"),
                  ("电话咨询3次", "热线,12345")),
    NotFigureRule("phone_number", r"\(?0\d{2,3}\)?\s?[-—]\s?\d{7,8}(?:[-—]\d{1,5})?",
                  ("0758-2200086", "(010)-12345678"), ("2018-2019", "0758")),
    NotFigureRule("mobile_number", r"(?<!\d)1[3-9]\d{9}(?!\d)", ("13812345678",), ("12812345678", "138123456789")),
    NotFigureRule("long_number", r"(?<![\d.,])\d{7,}(?![\d.,%])(?![万亿])",
                  ("12345678", "编号0012345"), ("1234567万", "123456", "1,234,567")),
    # e-mail, URL, domain names, index numbers
    NotFigureRule("email", r"[A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9.\-]{1,255}",
                  ("zqmzj@163.com", "xxgk@zhaoqing.gov.cn"), ("@", "3@")),
    NotFigureRule("url", r"(?:https?://|www\.)[A-Za-z0-9./_?=&%#:~+\-]{1,300}",
                  ("http://www.zhaoqing.gov.cn", "www.gov.cn/zhengce"), ("http:", "wwwgov")),
    NotFigureRule("domain_name",
                  r"[A-Za-z0-9\-]{1,63}(?:\.[A-Za-z0-9\-]{1,63}){1,6}\.(?:cn|com|net|org|gov)(?:/[A-Za-z0-9./_?=&%#~+\-]{0,200})?",
                  ("zhaoqing.gov.cn", "mzj.zhaoqing.gov.cn/xxgk"), ("3.5%", "gov.cn")),
    NotFigureRule("index_number", r"(?<!\d)\d{6,}/\d{4}-\d{3,}",  # (?<!\d): see below
                  ("006939748/2019-00012",), ("2019-00012", "12345/2019-001")),
    # addresses: 城中路49号, 29幢, B615室, 7号楼14层
    NotFigureRule("street_address",
                  rf"{HAN}{{1,{PLACE_NAME_MAX}}}(?:{'|'.join(PLACE_WORDS)})\s?\d{{1,5}}(?:-\d{{1,5}})?\s?号(?:楼|院)?",
                  ("城中路49号", "长沙县㮾梨街道3号", "新华大街 12-3 号院"), ("城中路", "办理3件")),
    NotFigureRule("building", r"\d{1,5}\s?(?:幢|栋|号楼|单元|层|楼|室)", ("29幢", "14层", "7号楼"), ("29个", "7号")),
    NotFigureRule("letter_code", r"[A-Za-z]\d{1,6}", ("B615", "H5", "v2"), ("5B", "B")),
    # ordinals: 第一, 第十一届, 第二批, 第七次, 排名第四; 一是/二是; 五届四次全会
    NotFigureRule("ordinal", r"第\s?[0-9零〇○一二两三四五六七八九十百千]{1,8}",
                  ("第十一届", "第二批", "排名第四", "第 3 次"), ("第", "次第")),
    NotFigureRule("enumeration_shi", r"[一二三四五六七八九十]{1,3}是", ("一是加强领导", "十二是"), ("是一项", "3是")),
    NotFigureRule("plenary_session", r"[一二三四五六七八九十]{1,3}届[一二三四五六七八九十]{1,3}[次中]",
                  ("五届四次全会", "十九届四中全会"), ("五届", "第五届")),
    NotFigureRule("top_ranks", r"前[一二三四五六七八九十]{1,3}(?:名|位|强)?", ("排名前十", "前三名"), ("前3名", "目前")),
    # numbers inside a title in 《》 (《2018年政务公开工作要点》, 《…30条》)
    NotFigureRule("book_title", r"《[^《》\n]{0,80}》",
                  ("《肇庆市2018年政务公开工作要点》", "《创业富民30条》"), ("《未闭合", "》《")),
    # a number in a short quoted name: “三个一”, "创业富民30条", “六稳”
    NotFigureRule("quoted_name", r"“[^“”\n]{0,12}”", ("“三个一”", "“创业富民30条”"), ("“这一段引文超过了十二个字的长度共计30条”",)),
    NotFigureRule("ascii_quoted_name", r"\"[^\"\n]{0,12}\"", ('"三个一"', '"六稳"'), ('"这一段引文超过了十二个字的长度共计30条"',)),
    # versions, models and file names
    NotFigureRule("version_number", r"(?<!\d)\d+(?:\.\d+)+\.\d+",  # (?<!\d): start at a digit run only, or it backtracks quadratically
                  ("1.2.3", "V2.0.1"), ("3.5", "71.3%")),
    # a counter said twice (一次次, 一件件) counts nothing: each of the one-character units
    NotFigureRule("repeated_counter", "一(?:" + "|".join(u + u for u in UNITS if len(u) == 1 and u != "%") + ")",
                  ("一次次走访", "一件件落实", "一项项整改"), ("一次", "一件事项")),
)

#: the characters a match of every rule but ``street_address`` starts with: the search for
#: not-figures tries only these positions, and the PLACE_NAME_MAX before a place word followed
#: by a number (where a street address may start). A rule that starts with another character
#: adds it here; tests/test_units.py checks every rule's examples and real pages against it.
NOT_FIGURE_LEADS = "0-9A-Za-z._%+\\-\"(〇○零一二两三四五六七八九十〔\\[【第前《“电传邮手热联咨服"

#: words that end in a Chinese numeral and count nothing, each with a phrase it stands in: a Chinese
#: numeral whose first character ends one of them is part of that word, not a number
#: (统一项目 is no 1 项, 唯一一个窗口 no 11 个). A check by vocabulary, with no dictionary.
NUMERAL_WORDS = {
    "统一": "按照统一项目管理",
    "唯一": "全省唯一一个试点",
    "逐一": "逐一条款对照检查",
    "单一": "改变单一项目审批",
    "万一": "万一个人信息泄露",
}

#: set phrases: words that contain a numeral and a counter but state no quantity
SET_PHRASES = (
    "一种", "进一步", "一步", "两微一端", "两微", "三安全一稳定", "一把手", "三公", "一条龙", "一次性",
    "一个窗口", "一站式", "一网通办", "一窗通办", "一窗受理", "一件事", "一次办", "最多跑一次", "一张网",
    "一张图", "一盘棋", "一起", "一体化", "一系列", "一批批", "一级抓一级", "一级", "一线", "一方面",
    "一些", "一定", "一直", "一切", "一致", "一般", "一贯", "一律", "一并", "一道", "一同", "一旦",
    "一流", "一览", "一键", "一门", "一号", "三个一", "三会一课", "两学一做", "三严三实",
    "四个意识", "四个自信", "两个维护", "两个确立", "四个全面", "三个代表", "五位一体", "两不愁三保障",
    "五个一", "六稳", "六保", "三审三校", "一企一证", "一网", "两手抓", "一岗双责", "双随机、一公开", "一公开",
    "一人一档", "一事一议", "一户一档", "一年来", "一年以来", "多年", "百姓", "千方百计", "万众",
    "十九大", "二十大", "十四五", "十三五", "十二五", "十一五", "一项重要", "一项政治性",
    "一次会议", "一次全会", "两会", "三农", "零投诉", "零距离", "零跑腿", "一二三",
    "一本正经", "一条心", "一场空", "四人帮", "二人转", "一家之言", "一张一弛",
)

#: a lone Chinese 一 right after one of these is an article (是一项工作, 的一项重要工作), not a count
ARTICLE_BEFORE = ("是", "为", "的", "这", "那", "每", "同", "任何", "另", "哪", "成为", "作为", "之")

#: a number right after one of these counts nothing by itself (每半个月, 每3年)
NOT_BEFORE = ("每", "第", "前", "近期", "编号", "代码", "序号", "文号")

# --------------------------------------------------------------------------- subjects

#: where a clause ends, looking back from a figure or on from its unit
CLAUSE_END = ",。;:!?、"
#: counters of events: the verb phrase after them says what happened (两次举办…培训)
EVENT_UNITS = ("次", "场", "场次", "期", "批次")
#: words after a counter that end the noun it counts (事项可在线办理, 负责人参加…)
AFTER_STOP = ("可", "在", "已", "均", "都", "进行", "组成", "通过", "向", "给", "并", "共", "等", "是",
              "为", "被", "由", "从", "中", "里", "以", "将", "要", "能", "得到", "涉及", "加强",
              "之", "其中", "分别", "左右", "以上", "次", "占", "达", "以内", "位居", "排名", "排在")

#: words that open a clause but are not what a figure counts (time, agent, adverbs, verbs of doing)
SUBJECT_FILLER = (
    "其中", "共", "共计", "合计", "总计", "累计", "全年", "今年", "本年", "本年度", "年度", "当年", "目前",
    "已", "已经", "均", "都", "先后", "分别", "主要", "另外", "此外", "同时", "还", "并", "又", "也",
    "有", "达", "达到", "为", "计", "约", "近", "超过", "以上", "了", "在", "通过", "对", "向", "将",
    "全区", "全县", "全市", "全镇", "全乡", "我局", "本局", "我区", "我县", "我市", "我镇", "我乡",
    "我办", "本办", "我委", "本委", "我厅", "我院", "本机关", "本单位", "我单位", "我们", "各级",
    "新增", "新", "年", "度", "以来", "至今", "截至", "截止", "有关", "等", "和", "及", "与", "以及", "或",
    "的", "另有", "一共", "总共", "合共", "涉及",
)
#: verbs that may open a clause before the thing counted (梳理行政许可21项 counts 行政许可)
SUBJECT_VERBS = (
    "梳理", "罗列", "梳理罗列", "回复", "办理", "发布", "编发", "解答", "受理", "收到", "接到", "制定", "出台",
    "制定出台", "完成", "组织", "举办", "开展", "公布", "印发", "提出", "处理", "答复", "办结", "召开",
    "推出", "发放", "关停", "进驻", "实现", "设立", "开设", "配备", "聘请", "培训", "接待", "查阅",
    "落实", "整合", "入驻", "清理", "审查", "提供", "上报", "报送", "录入", "撰写", "刊发", "刊登",
    "发出", "下发", "转发", "转办", "督办", "承办", "回应", "解读", "开通", "新建", "建成", "建立",
    "设置", "张贴", "播放", "播出", "编制", "更新", "维护", "收集", "征集", "采纳", "参加", "参与",
    "加强", "举行", "明确", "安排", "指定", "确定", "形成", "建设", "发展", "新增加", "增加", "减少",
)
#: words that end the words before a figure's number without being part of what it counts
SUBJECT_TAIL = ("共计", "合计", "总计", "累计", "共有", "共", "达到", "达", "为", "有", "计", "约", "近",
                "了", "是", "总数为", "数为", "分别为", "分别", "占", "等", "的")
#: domain terms kept whole when the clause is split into words
SUBJECT_TERMS = (
    "主动公开", "依申请公开", "政府信息", "政务信息", "行政许可", "行政处罚", "行政强制", "行政检查",
    "行政确认", "行政复议", "行政诉讼", "行政权力", "公共服务", "网民留言", "网友提问", "人大代表建议",
    "政协提案", "政策解读", "规范性文件", "信息公开申请", "政府网站", "政务微博", "微信公众号",
)
#: the longest subject kept (characters)
SUBJECT_MAX = 24
