"""The mapping template: canonical columns, their English/Chinese aliases, controlled vocabularies.

A mapping file in any layout is read through this template. Only six columns are required
(``REQUIRED``); every other column is optional and enriches the analysis when present.
"""

from __future__ import annotations

import unicodedata

from ..text import CJK_RUN, NON_WORD, simplified
from .vocabularies import KINDS, PERSPECTIVES, REGIONS  # re-exported: analysis imports them

__all__ = ["COLUMNS", "KINDS", "PERSPECTIVES", "REGIONS", "REQUIRED", "match_header"]

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
        "local_title",
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
    "lead_body_local": (
        "lead body local",
        "lead body chinese",
        "lead body (chinese)",
        "lead body zh",
        "牵头单位中文名",
        "牵头单位中文",
        "发布机构中文名",
    ),
    "status": ("status", "状态", "效力状态"),
    "doc_no": ("document number", "doc no", "document no", "发文字号", "文号", "标准编号"),
    "budget": ("budget", "funding", "amount", "经费", "资助金额", "金额"),
    "amount_scope": ("amount scope", "budget scope", "金额范围", "金额口径", "经费范围"),
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
    "source_type": ("source type", "type of source", "来源类型"),
    "notes": ("notes", "note", "remarks", "comments", "备注", "说明"),
}

REQUIRED = ("title", "region", "kind", "date_start", "description", "source_url")
# How a required column is named in the minimal template (``year`` reads as ``date_start``).
TEMPLATE_NAME = {"date_start": "year"}


def normalise_header(text: object) -> str:
    """Lower-case, width-fold, simplify traditional characters and strip punctuation."""
    s = simplified(unicodedata.normalize("NFKC", str(text or ""))).lower()
    return NON_WORD.sub(" ", s).strip()


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
    parts = [p.strip() for p in CJK_RUN.split(h) if p.strip()] + CJK_RUN.findall(h)
    for part in sorted(parts, key=len, reverse=True):
        if part in _ALIAS_INDEX:
            return _ALIAS_INDEX[part]
    return None
