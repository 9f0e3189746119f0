"""The domain vocabulary of the core stages, as data.

Patterns here run on normalised text (NFKC: half-width brackets, colons and digits).
The rules of the section tree are named records with examples of what they must and
must not match (tests/test_vocab.py runs every example). The template tables' own
vocabulary lives in :mod:`zqparse.templates`, the one source of their labels: what the
core stages use of it is derived from it here (TEMPLATE_HEADINGS) or tied to it by a
test (TABLE_ROW_LABELS, FAMILY_SIGNATURES); data flows templates → vocab, never back.
Figure units live in :mod:`zqparse.units`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .templates import TABLE_TITLES

# --------------------------------------------------------------------------- main content

#: ids and classes of the elements that hold the report body on common government CMSs
CONTENT_IDS = (
    "zoom", "content", "ucap-content", "article", "articlecontent", "art_content", "mainText",
    "fontzoom", "info_content", "detailcontent", "newscontent", "con", "textcontent", "vsb_content",
    "zoomcon", "artibody", "printcontent", "js_content",
)
CONTENT_CLASSES = (
    "trs_editor", "article_content", "article-content", "pages_content", "pages-content", "content",
    "con", "zoom", "main-txt", "main_txt", "article", "text", "txt", "view", "wzcon", "detail",
    "detail-content", "detail_content", "news_content", "news-content", "artcontent", "contentbox",
    "xxgk_content", "zw", "bt-article", "article_con", "info-cont", "nr", "content_text", "mainbody",
    "wp_articlecontent", "ewb-article-info", "conTxt", "con_txt",
)

#: elements whose content is never report text
DROP_TAGS = (
    "script", "style", "noscript", "iframe", "object", "embed", "svg", "select", "button",
    "input", "textarea", "canvas", "video", "audio", "map", "template", "head",
)

#: elements that end a paragraph (everything else is inline and joins without a space)
BLOCK_TAGS = frozenset((
    "p", "div", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd",
    "table", "tr", "td", "th", "thead", "tbody", "tfoot", "caption", "section", "article", "header",
    "footer", "aside", "nav", "blockquote", "pre", "center", "address", "form", "fieldset", "figure",
    "figcaption", "main", "body", "html",
))

#: a paragraph matching any of these (and shorter than CHROME_MAX_CHARS) is site chrome;
#: one starting with ^ is tried at the start of the line only (keep each a single alternative)
CHROME_PATTERNS = (
    r"^当前位置", r"^您的位置", r"^你的位置", r"^您现在的位置", r"^首页\s*[>>»]",
    r"扫一扫", r"打印本页", r"关闭窗口", r"\[打印\]", r"\[关闭\]", r"【打印】", r"【关闭】", r"^打印$", r"^关闭$",
    r"版权所有", r"版权归", r"ICP备", r"ICP证", r"公网安备", r"网站标识码", r"主办单位[:：]", r"承办单位[:：]",
    r"技术支持[:：]", r"Processed in [\d.]+ ?second", r"浏览次数", r"阅读次数", r"访问次数", r"点击数[:：]",
    r"字号[:：]?\s*[\[【]?\s*大\s*中\s*小", r"^分享到", r"^(上一篇|下一篇)", r"^(微信|微博|QQ空间|QQ|分享|朋友圈|\s)+$",
    r"^(全真版|文字版|文件下载|下载附件|原文下载|视频|音频)$", r"^(政务公开|政府信息公开年报|信息公开年报|政府信息公开年度报告|年度报告|公开年报)$",
    r"^来源[:：].{0,40}(时间|日期)[:：]", r"^(发布|发表|更新)(时间|日期)[:：]",
    r"^索\s*引\s*号", r"^(发布机构|发文机关|发文日期|成文日期|主题分类|文\s*号|有\s*效\s*性)\s*[|:：]",
    r"^附件下载$", r"^相关(链接|附件|文件)[:：]?$", r"^\S{1,80}\.(doc|docx|pdf|xls|xlsx|wps|et|zip|rar|ofd)$",
    r"^【?(字体|字号)[:：]", r"^(收藏|纠错|我要纠错)$", r"^(首页|返回顶部|返回首页)$",
    r"^政府信息公开$", r"^网站地图", r"^联系我们\s", r"^(无障碍|长者模式|繁体版?)\b",
)
CHROME_MAX_CHARS = 160

#: literal leftovers of Word markup printed as text, removed wherever they stand
TEXT_JUNK = (
    r"<!--\[if[^\]]{0,40}\]-->", r"<!--\[endif\]-->", r"<o:p>\s*</o:p>",
)

#: a Markdown heading's marks (## 一、总体情况): not part of the heading's text
MARKDOWN_HEADING = r"^\s{0,3}#{1,6}\s+"
#: a line this long holds a whole flattened report (line breaks turned into spaces) when it
#: also holds two or more heading numerals after a space (一、 (一)); it is cut before each
FLAT_LINE_CHARS = 300
#: a heading's title in such a line ends at the first space within this many characters
FLAT_TITLE_CHARS = 60
FLAT_HEADING = r"(?<!\s)\s+(?=[一二三四五六七八九十]{1,2}、|[(（][一二三四五六七八九十]{1,2}[)）])"

# --------------------------------------------------------------------------- sections


@dataclass(frozen=True, slots=True)
class HeadingRule:
    """The numeral of one heading level: ``pattern`` matched at a paragraph's start gives the
    numeral (``num``) and the text after it (``rest``); ``examples`` are headings of this level,
    ``non_examples`` paragraphs that are not."""

    name: str
    level: int
    pattern: str
    examples: tuple[str, ...]
    non_examples: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class NotHeadingRule:
    """A paragraph that opens with a heading's numeral but is no heading: ``pattern`` is searched
    in ``part`` ("line": the whole paragraph; "text": what follows the numeral; "title": the
    title read from it); ``examples`` are such paragraphs, ``non_examples`` headings it lets through."""

    name: str
    part: str
    pattern: str
    examples: tuple[str, ...]
    non_examples: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SectionKind:
    """A kind of level-1 section: its title holds ``pattern`` (``examples`` are titles of this
    kind, ``non_examples`` titles the pattern does not find)."""

    name: str
    pattern: str
    examples: tuple[str, ...]
    non_examples: tuple[str, ...]


#: the numerals of headings, by level (SCHEMA: 1 = 一、 2 = (一) 3 = 1. 4 = (1) 5 = ①), tried in order
HEADING_RULES = (
    HeadingRule(
        "chinese_numeral", 1, r"(?P<num>[一二三四五六七八九十]{1,3})\s*[、.,]\s*(?P<rest>.*)",
        examples=("一、概述", "二、主动公开政府信息情况", "七、其他需要报告的事项"),
        # an enumeration (一是…), a numeral inside a word: no punctuation after the numeral
        non_examples=("一是加强领导。二是完善制度。", "十九大以来,我局认真贯彻落实", "(一)强化组织领导"),
    ),
    HeadingRule(
        "chinese_numeral_in_brackets", 2, r"[(](?P<num>[一二三四五六七八九十]{1,3})[)]\s*[、.,]?\s*(?P<rest>.*)",
        examples=("(一)强化组织领导", "(二)公开形式", "(三)不予公开情况"),
        non_examples=("一、概述", "(1)推进财政资金信息公开"),
    ),
    HeadingRule(
        "arabic_numeral", 3, r"(?P<num>[0-9]{1,2})\s*(?:[、]|\.(?![0-9]))\s*(?P<rest>.*)",
        examples=("1、加强组织领导,层层狠抓落实", "2. 突出重点,全面推进政务信息公开载体建设"),
        # a decimal number, a year
        non_examples=("3.5万元用于网站建设", "2018年,我局认真贯彻落实《条例》", "(1)推进财政资金信息公开"),
    ),
    HeadingRule(
        "arabic_numeral_in_brackets", 4, r"[(](?P<num>[0-9]{1,2})[)]\s*[、.,]?\s*(?P<rest>.*)",
        examples=("(1)推进重大建设项目和政府与社会资本合作(PPP)项目信息公开", "(2)推进财政资金信息公开"),
        non_examples=("(一)强化组织领导", "(2018)年度报告"),
    ),
    HeadingRule(
        "circled_numeral", 5, r"(?P<num>[①-⑳])\s*[、.,]?\s*(?P<rest>.*)",
        examples=("①本级和部门预决算公开情况", "②“三公”经费信息公开情况"),
        non_examples=("1、加强组织领导,层层狠抓落实",),
    ),
)

#: 表三's row labels that print with a heading's numbering (一、 二、 三、 四、 (一) … (七)):
#: the text after such a numeral starting with one of these is a table row; the short group
#: labels only when they are all of it ((三)不予公开情况 in a prose report is a heading).
#: tests/test_vocab.py ties them to :data:`zqparse.templates.REQUEST_ROWS` and ``REQUEST_GROUPS``.
TABLE_ROW_LABELS = (
    r"本年新收", r"上年结转", r"本年度办理结果", r"结转下年度", r"予以公开$", r"部分公开", r"不予公开$",
    r"无法提供$", r"不予处理$", r"其他处理$", r"总计$",
)

#: the longest heading title (characters): a longer "title" is running text
MAX_TITLE = 200

#: paragraphs that open with a numeral but are no heading, tried in order after a HEADING_RULES
#: match (a heading must also continue its siblings' count: sections.find_sections)
NOT_HEADING_RULES = (
    NotHeadingRule(
        "table_row", "line", r" \| |\|\Z",
        examples=("一、本年新收政府信息公开申请数量 | 5 | 0", "1.规章 |", "(一)予以公开 | 3"),
        non_examples=("一、概述", "(二)公开形式"),
    ),
    NotHeadingRule(
        "numeral_alone", "text", r"\A\Z",
        examples=("一、", "(三)"),
        non_examples=("三、依申请公开情况",),
    ),
    NotHeadingRule(
        "table_row_label", "text", r"\A(?:" + "|".join(f"(?:{label})" for label in TABLE_ROW_LABELS) + ")",
        examples=("一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "三、本年度办理结果",
                  "(一)予以公开", "(二)部分公开", "(三)不予公开", "(七)总计", "四、结转下年度继续办理"),
        non_examples=("(三)不予公开情况", "二、主动公开政府信息情况", "(一)主动公开情况"),
    ),
    NotHeadingRule(
        "no_title", "title", r"\A\Z",
        examples=("一、。", "(二):;"),
        non_examples=("(一)强化组织领导。我局着眼于建立长效机制。",),
    ),
    NotHeadingRule(
        "title_too_long", "title", rf"\A.{{{MAX_TITLE + 1}}}",
        # running text without a full stop
        examples=("一、" + "我局认真贯彻落实《中华人民共和国政府信息公开条例》," * 10,),
        non_examples=("1、加强信息公开培训指导工作,确保政府信息公开准确、及时、规范,不断提升政府信息公开整体工作水平",),
    ),
    NotHeadingRule(
        "number_first", "title", r"\A(?!(?:19|20)[0-9]{2}\s*年度?[^0-9])[0-9%]",
        # a list of numbers, a percentage, a date (2014年1月); not a title that opens with the year it is about
        examples=("1、2、3项均已办结", "二、30%以上的申请通过网络提交", "一、2014年1月1日起施行"),
        non_examples=("三、存在的主要问题及改进情况", "2、突出重点,全面推进政务信息公开载体建设",
                      "一、2014年政府信息公开工作情况", "(一)2010年主动公开政府信息10余条"),
    ),
)

#: kinds of level-1 sections, first match wins; a level-1 heading matching none is DEFAULT_SECTION_KIND
SECTION_KINDS = (
    SectionKind("statistics", r"统计表|统计情况表|统计附表|附表$|统计数据表",
                examples=("政府信息公开情况统计表", "平潭综合实验区政府信息公开情况统计表"),
                non_examples=("政府信息公开情况",)),
    SectionKind("review_litigation", r"复议|诉讼|申诉",
                examples=("因政府信息公开申请行政复议、提起行政诉讼的情况", "行政复议、诉讼和申诉情况",
                          "政府信息公开行政复议、行政诉讼情况"),
                non_examples=("政府信息依申请公开情况",)),
    SectionKind("fees", r"收费|减免|收支",
                examples=("政府信息公开的收费及减免情况", "人员和收支情况", "依申请信息公开收费情况"),
                non_examples=("工作人员及信息公开事务支出情况",)),
    SectionKind("problems", r"问题|改进|不足|整改|下一步|下步|努力方向|工作打算|工作计划|展望",
                examples=("存在的主要问题及改进情况", "主要问题和改进措施", "存在问题及下一步工作"),
                non_examples=("主要工作概述",)),
    SectionKind("requests", r"依申请|收到和处理|申请公开|不予公开|申请情况",
                examples=("依申请公开政府信息和不予公开政府信息情况", "收到和处理政府信息公开申请情况",
                          "政府信息依申请公开办理情况"),
                non_examples=("主动公开政府信息情况",)),
    SectionKind("proactive", r"主动[^,。、]{0,4}公开|^(政府)?信息公开(工作)?情况$|^公开政府信息的?情况$",
                examples=("主动公开政府信息情况", "政府信息主动公开情况", "政府信息公开情况",
                          "高度重视,主动及时公开政府信息", "公开政府信息情况"),
                non_examples=("重点领域政府信息公开情况", "政府信息公开情况统计表")),
    SectionKind("overview", r"概述|总体情况|基本情况|概况|总体工作|工作情况|主要工作|引言|综述|"
                            r"开展情况|主要做法|领导",
                examples=("概述", "总体情况", "政府信息公开工作的基本情况", "主要工作概述", "工作开展情况",
                          "政府信息公开主要做法", "健全组织、强化领导", "领导重视抓落实"),
                non_examples=("审批事项及处理情况",)),
    SectionKind("other", r"其他|其它|需要说明|需要报告",
                examples=("其他需要报告的事项",),
                non_examples=("重点领域政府信息公开情况",)),
)
DEFAULT_SECTION_KIND = "other"
#: kinds of a level-1 section whose title names no kind (具体措施抓成效), from what the section's
#: text holds (its first CONTENT_KIND_CHARS characters), first match wins: the year's counts of
#: proactive disclosure, of requests, or the organisation of the work
CONTENT_KINDS = (
    SectionKind("proactive", r"主动公开[^。;]{0,20}?\d+\s?[条件项]",
                examples=("我乡在2010年度共计制作、获取政府信息总数148条,其中主动公开信息有103条",),
                non_examples=("我乡成立了政府信息公开工作领导小组",)),
    SectionKind("requests", r"(?:收到|受理)[^。;]{0,20}?申请[^。;]{0,6}?\d+\s?[条件项]",
                examples=("全年共收到政府信息公开申请12件",),
                non_examples=("主动公开信息103条",)),
    SectionKind("overview", r"领导小组|工作机构|组织领导|工作机制",
                examples=("我乡按照县政府办公室的要求,成立了政府信息公开工作领导小组",),
                non_examples=("全年共收到政府信息公开申请12件",)),
)
CONTENT_KIND_CHARS = 400

# --------------------------------------------------------------------------- metadata

#: what makes a title the title of an annual report
REPORT_TITLE = r"(年度报告|年报|工作报告|年度工作报告)"
REPORT_TITLE_CONTEXT = r"(政府信息公开|政务公开|信息公开|政府公开)"
#: a title that is a cover notice publishing a report
NOTICE_TITLE = r"(关于.*|的)(通知|函|意见|批复|公告|通报|决定)$"

#: meta tags naming the page's title / publication date / issuing body (lower-case names)
META_TITLE = ("articletitle", "title", "dc.title", "og:title")
META_DATE = ("pubdate", "publishdate", "firstpublishedtime", "publishtime", "dc.date", "maketime",
             "article:published_time", "created", "date")
META_SOURCE = ("contentsource", "source", "author")

#: labels before a publication date in page chrome
DATE_LABELS = r"(?:发布时间|发布日期|发文日期|成文日期|发表时间|更新时间|公开日期|时间|日期)"

#: the sentence that states the reporting period
PERIOD_PATTERNS = (
    r"统计期限.{0,8}?((?:19|20)[0-9]{2})\s*年",
    r"统计(?:时限|时间|区间|周期|范围).{0,8}?((?:19|20)[0-9]{2})\s*年",
    r"((?:19|20)[0-9]{2})\s*年\s*1\s*月\s*1\s*日\s*(?:起)?\s*至",
    # the count to the year's end (截止2023年12月31日我局通过官方网站发布…)
    r"(?:截至|截止)(?:到)?\s*((?:19|20)[0-9]{2})\s*年\s*12\s*月\s*31\s*日",
)

#: sentences in the intro that name the issuing body
AGENCY_PATTERNS = (
    r"由(?P<a>[^,。;:()《》\d]{2,30}?)(?:围绕|根据|按照|依据|结合|对|就)",
    r"由(?P<a>[^,。;:()《》]{2,30}?)(?:负责)?(?:编制|汇总|编写|制作)",
    r"(?:现公布|编制和公布|编制完成|公布|编制了?)《?(?P<a>[^,。;:()《》\d]{2,30}?)(?:19|20)[0-9]{2}\s*年(?:度)?(?:政府信息公开|政务公开|信息公开)",
    r"^(?P<a>[^,。;:()《》\d]{2,30}?)(?:19|20)[0-9]{2}\s*年(?:度)?(?:政府信息公开|政务公开|信息公开)",
    # the year first: 现向社会公布2009年度长治市政府信息公开年度报告, 现公布《贵阳市2023年…》
    r"(?:现公布|公布|编制了?)《?(?:19|20)[0-9]{2}\s*年度?(?P<a>[^,。;:()《》\d]{2,30}?)(?:政府信息公开|政务公开|信息公开)",
    # the name before its verb: 兴华镇人民政府特此编制2024年度政府信息公开工作年度报告
    r"(?:^|[,。])(?P<a>[^,。;:()《》\d]{2,30}?)(?:特此|特|现)?(?:编制|公布|发布)了?(?:19|20)[0-9]{2}\s*年度?(?:政府信息公开|政务公开|信息公开)",
    # the CMS's own field: 发布机构:参内乡
    r"^\W{0,3}(?:发布机构|发文机关|信息来源|来源单位)\s*[:|]\s*(?P<a>[^,。;:()《》\d|\s]{2,30})\s*$",
    # the body's subject: 2022年,春城街道办事处按照…
    r"^(?:19|20)[0-9]{2}\s*年度?(?:以来)?\s*,\s*(?P<a>[^,。;:()《》\d]{2,30}?)(?:认真|坚持|按照|根据|深入|严格|全面|紧紧|紧扣|始终|积极|高度|以|在|围绕|贯彻|不断|进一步|持续|扎实|着力)",
)
#: what an agency's name ends with: a region, an organ, an office (validated, never a clause)
AGENCY_ENDS = (
    r"(?:局|委|委员会|委会|管委会|办|办公室|办公厅|厅|院|政府|街道办事处|办事处|街道|镇|乡|中心|署|部|所|站|处|"
    r"队|会|社|馆|省|市|县|区|旗|州|盟|公司|集团|室|台|园区|新区|管理区|开发区|口岸|法院|检察院)$"
)
#: words that end like a name but name no one body
AGENCY_GENERIC = frozenset(("政府", "人民政府", "本级政府", "办公室", "街道", "办事处", "本局", "我局", "本委", "中心",
                            "全市", "全县", "全区", "全省", "本市", "本县", "本区"))
#: a mirror site's pinyin printed after characters: 統(tǒng)計 (read as junk wherever it stands)
#: (a syllable with a tone mark: an abbreviation such as (PPP) stays)
RUBY_PINYIN = (r"(?<=[\u3400-\u9fff])\((?=[a-zü]{0,6}[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹ])"
               r"[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹ]{1,7}\)")
#: how a clause starts (a verb, a conjunction, a pronoun): never an agency's first word
AGENCY_NOT = (r"^(?:本|我|根据|按照|依据|现将|特向|特此|经研究|对|在|全年|今年|本年|年度|关于|并|及|与|向社会|由|为|完成|"
              r"做好|加强|进一步|认真|通过|其中|同时|各|该|此|上述|把|已|是|有|公布|编制|现|若|截至|截止|"
              r"自20|自19|报告|一、|二、)")
#: a label printed before a title line (标题:…)
TITLE_LABEL = r"^(?:标题|题目|文章标题|名称)\s*[:|]\s*"
#: a site name after the title (…年度报告-某某市人民政府, …年报_某某网)
TITLE_SUFFIX = r"(?:年度报告|年报|工作报告)\s*[-_—–|]+\s*[^-_—–|]{2,40}$"

# --------------------------------------------------------------------------- families

#: labels that only one template's tables print (TEMPLATES.md §2.5); each is part of a label templates.py
#: gives that version alone (tests/test_vocab.py)
FAMILY_SIGNATURES = {
    "template2019": (
        "本年新制作数量", "对外公开总数量", "上一年项目数量", "本年增/减", "采购项目数量", "其他对外管理服务事项",
        "本年新公开数量",
    ),
    "template2021": (
        "本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额", "逾期未按收费通知",
    ),
}
#: headings that only reports on the national templates carry: the printed names of 表三 and 表四
#: without their number and the closing 情况 (表二's 主动公开政府信息情况 heads prose reports too)
TEMPLATE_HEADINGS = "|".join(re.escape(TABLE_TITLES[name].split(" ", 1)[1].removesuffix("情况"))
                             for name in ("requests", "review_litigation"))
