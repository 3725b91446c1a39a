"""The mapping template: canonical columns, their English/Chinese aliases, controlled vocabularies.

A mapping file in any layout is read through this template. Only six columns are required
(``REQUIRED``); every other column is optional and enriches the analysis when present.
"""

from __future__ import annotations

import re
import unicodedata

# canonical column -> aliases (matched after normalise_header)
COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("id", "item id", "编号", "序号id", "标识"),
    "title": (
        "title",
        "english title",
        "title en",
        "name",
        "name en",
        "英文名称",
        "英文标题",
        "名称英文",
        "标题",
    ),
    "title_local": (
        "local title",
        "title local",
        "name local",
        "name zh",
        "chinese title",
        "中文名称",
        "中文标题",
        "原文名称",
        "名称",
    ),
    "acronym": ("acronym", "abbreviation", "简称", "缩写"),
    "region": ("region", "desk", "地区", "区域"),
    "jurisdiction": (
        "jurisdiction",
        "country",
        "province or city",
        "province",
        "place",
        "国家",
        "省市",
        "地区省市",
        "适用范围",
    ),
    "kind": ("kind", "type", "category", "类别", "类型"),
    "subtype": ("subtype", "sub type", "子类", "细分类型"),
    "date_start": (
        "year",
        "date",
        "start",
        "date start",
        "year start",
        "issue date",
        "start date",
        "adopted",
        "发布日期",
        "发布时间",
        "开始年份",
        "年份",
        "日期",
    ),
    "date_end": (
        "end",
        "date end",
        "year end",
        "end year",
        "end date",
        "截止年份",
        "结束年份",
        "截止日期",
    ),
    "lead_body": (
        "lead body",
        "body",
        "issuer",
        "issuing body",
        "lead organisation",
        "lead organization",
        "牵头单位",
        "发布机构",
        "发文机关",
        "主管部门",
    ),
    "status": ("status", "状态", "效力状态"),
    "doc_no": ("document number", "doc no", "document no", "发文字号", "文号", "标准编号"),
    "budget": ("budget", "funding", "amount", "经费", "资助金额", "金额"),
    "scale": ("scale", "scale as stated", "size", "规模"),
    "description": (
        "description",
        "description en",
        "summary",
        "abstract",
        "英文简介",
        "简介英文",
        "简介",
        "描述",
    ),
    "perspectives": (
        "perspectives",
        "icpermed perspective",
        "icpermed perspectives",
        "perspective",
        "行动计划视角",
        "视角",
    ),
    "keywords": ("keywords", "topic keywords", "关键词"),
    "source_url": (
        "source url",
        "source",
        "url",
        "evidence url",
        "link",
        "来源",
        "来源链接",
        "链接",
    ),
}

REQUIRED = ("title", "region", "kind", "date_start", "description", "source_url")
# How a required column is named in the minimal template (``year`` reads as ``date_start``).
TEMPLATE_NAME = {"date_start": "year"}

REGIONS = ("Europe", "China")
REGION_ALIASES = {
    "europe": "Europe",
    "eu": "Europe",
    "european union": "Europe",
    "欧洲": "Europe",
    "欧盟": "Europe",
    "china": "China",
    "cn": "China",
    "prc": "China",
    "中国": "China",
}

KINDS = ("policy", "programme", "standard", "initiative")
KIND_ALIASES = {
    "policy": "policy",
    "policies": "policy",
    "regulation": "policy",
    "law": "policy",
    "strategy": "policy",
    "政策": "policy",
    "法规": "policy",
    "法律": "policy",
    "规划": "policy",
    "programme": "programme",
    "program": "programme",
    "programmes": "programme",
    "programs": "programme",
    "funding programme": "programme",
    "project": "programme",
    "计划": "programme",
    "项目": "programme",
    "专项": "programme",
    "standard": "standard",
    "standards": "standard",
    "标准": "standard",
    "规范": "standard",
    "initiative": "initiative",
    "initiatives": "initiative",
    "action": "initiative",
    "actions": "initiative",
    "infrastructure": "initiative",
    "行动": "initiative",
    "倡议": "initiative",
    "平台": "initiative",
    "设施": "initiative",
}

SUBTYPES = (
    "law",
    "regulation",
    "strategy",
    "action plan",
    "guidance",
    "council conclusions",
    "funding programme",
    "partnership",
    "project",
    "infrastructure",
    "biobank/cohort",
    "genome project",
    "network",
    "cooperation",
    "declaration",
    "standard",
    "technical specification",
    "data standard",
    "guideline",
)
SUBTYPE_ALIASES = {
    "法律": "law",
    "法规": "regulation",
    "条例": "regulation",
    "办法": "regulation",
    "规定": "regulation",
    "战略": "strategy",
    "规划": "strategy",
    "纲要": "strategy",
    "行动计划": "action plan",
    "方案": "action plan",
    "指导意见": "guidance",
    "意见": "guidance",
    "通知": "guidance",
    "指南": "guideline",
    "共识": "guideline",
    "资助计划": "funding programme",
    "专项": "funding programme",
    "项目": "project",
    "基础设施": "infrastructure",
    "平台": "infrastructure",
    "生物样本库": "biobank/cohort",
    "队列": "biobank/cohort",
    "biobank": "biobank/cohort",
    "cohort": "biobank/cohort",
    "基因组计划": "genome project",
    "网络": "network",
    "合作": "cooperation",
    "国际合作": "cooperation",
    "宣言": "declaration",
    "标准": "standard",
    "国家标准": "standard",
    "行业标准": "standard",
    "团体标准": "standard",
    "技术规范": "technical specification",
    "数据标准": "data standard",
}

STATUSES = (
    "in force",
    "ended",
    "ongoing",
    "draft for comment",
    "submitted draft",
    "trial",
    "interim",
    "revised",
    "repealed",
)
# Markers found in titles or status cells; the first that matches wins.
STATUS_MARKERS = (
    ("征求意见稿", "draft for comment"),
    ("送审稿", "submitted draft"),
    ("试行", "trial"),
    ("暂行", "interim"),
    ("修订", "revised"),
    ("废止", "repealed"),
    ("失效", "repealed"),
    ("现行", "in force"),
    ("有效", "in force"),
    ("已结束", "ended"),
    ("进行中", "ongoing"),
    ("draft", "draft for comment"),
)
STATUS_ALIASES = {
    "in force": "in force",
    "active": "in force",
    "adopted": "in force",
    "ended": "ended",
    "completed": "ended",
    "closed": "ended",
    "ongoing": "ongoing",
    "running": "ongoing",
    "draft": "draft for comment",
    "draft for comment": "draft for comment",
    "submitted draft": "submitted draft",
    "trial": "trial",
    "interim": "interim",
    "revised": "revised",
    "repealed": "repealed",
    "superseded": "repealed",
}

PERSPECTIVES = {
    "AWARE": "Developing awareness and empowerment",
    "DATA": "Integrating big data and ICT solutions",
    "TRANS": "Translating basic to clinical research and beyond",
    "MARKET": "Bringing innovation to the market",
    "HEALTH": "Shaping sustainable healthcare",
}
PERSPECTIVE_ALIASES = {
    "aware": "AWARE",
    "awareness": "AWARE",
    "developing awareness and empowerment": "AWARE",
    "data": "DATA",
    "big data": "DATA",
    "integrating big data and ict solutions": "DATA",
    "trans": "TRANS",
    "translation": "TRANS",
    "translating basic to clinical research and beyond": "TRANS",
    "market": "MARKET",
    "bringing innovation to the market": "MARKET",
    "health": "HEALTH",
    "healthcare": "HEALTH",
    "shaping sustainable healthcare": "HEALTH",
    "意识与赋能": "AWARE",
    "大数据与信息技术": "DATA",
    "转化研究": "TRANS",
    "创新与市场": "MARKET",
    "可持续医疗": "HEALTH",
}

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_NON_WORD = re.compile(r"[^0-9a-z\u3400-\u9fff]+")


def normalise_header(text: object) -> str:
    """Lower-case, width-fold and strip punctuation from a header cell."""
    s = unicodedata.normalize("NFKC", str(text or "")).lower()
    return _NON_WORD.sub(" ", s).strip()


_ALIAS_INDEX = {
    normalise_header(alias): canon for canon, aliases in COLUMNS.items() for alias in aliases
}
for _canon in COLUMNS:
    _ALIAS_INDEX.setdefault(normalise_header(_canon), _canon)


def match_header(text: object) -> str | None:
    """The canonical column a header cell names, or None.

    Bilingual headers such as ``英文名称 English title`` match through either part.
    """
    h = normalise_header(text)
    if not h:
        return None
    if h in _ALIAS_INDEX:
        return _ALIAS_INDEX[h]
    # split a bilingual header into its Chinese and Latin parts and try each
    parts = [p.strip() for p in _CJK.split(h) if p.strip()] + _CJK.findall(h)
    for part in sorted(parts, key=len, reverse=True):
        if part in _ALIAS_INDEX:
            return _ALIAS_INDEX[part]
    return None
