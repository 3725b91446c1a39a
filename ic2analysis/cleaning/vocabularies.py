"""The controlled vocabularies of the template and their English and Chinese aliases.

Aliases are matched after width folding, lower-casing and conversion of traditional
characters to simplified (``parse.vocab``). Each tuple lists the canonical values in order.
"""

from __future__ import annotations

from ..text import REGIONS

__all__ = ["REGIONS"]

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

# What kind of page the source URL is (issues #11, #12; rules with examples in data/README.md).
SOURCE_TYPES = ("issuer", "scholarly", "official-media", "secondary", "mirror")
SOURCE_TYPE_ALIASES = {
    "official media": "official-media",
    "official_media": "official-media",
    "media": "official-media",
    "journal": "scholarly",
    "academic": "scholarly",
    "official": "issuer",
    "发布机构": "issuer",
    "官方": "issuer",
    "学术": "scholarly",
    "官方媒体": "official-media",
    "二手": "secondary",
    "转载": "mirror",
    "镜像": "mirror",
}

# What an amount covers, as its source states it.
AMOUNT_SCOPES = ("total", "per year", "per project", "per person")
AMOUNT_SCOPE_ALIASES = {
    "annual": "per year",
    "yearly": "per year",
    "per annum": "per year",
    "per_year": "per year",
    "per-year": "per year",
    "per project": "per project",
    "per_project": "per project",
    "per-project": "per project",
    "per grant": "per project",
    "per patient": "per person",
    "per participant": "per person",
    "per_person": "per person",
    "per-person": "per person",
    "总额": "total",
    "合计": "total",
    "每年": "per year",
    "每个项目": "per project",
    "每项": "per project",
    "每人": "per person",
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
