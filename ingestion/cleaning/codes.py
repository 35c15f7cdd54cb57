"""Code lists of the feeds: sex, ability levels, and the other enumerations."""

from __future__ import annotations

SEX = {
    "1": 1, "男": 1, "M": 1, "m": 1, "男性": 1,
    "2": 2, "女": 2, "F": 2, "f": 2, "女性": 2,
    "0": 0, "未知": 0,
    "9": 9, "未说明": 9,
}  # fmt: skip

# GB/T 42195-2022: short form <- short and long forms
ABILITY_LEVELS = {
    "能力完好": "能力完好",
    "轻度失能": "轻度失能",
    "能力轻度受损": "轻度失能",
    "中度失能": "中度失能",
    "能力中度受损": "中度失能",
    "重度失能": "重度失能",
    "能力重度受损": "重度失能",
    "完全失能": "完全失能",
    "能力完全丧失": "完全失能",
}
SUBSIDY_TYPES = ("高龄津贴", "居家养老服务补贴", "经济困难老年人生活补贴", "失能老年人护理补贴")
HARDSHIP_TYPES = ("低保", "特困", "低收入", "无")
LIVING_SITUATIONS = ("独居", "空巢", "与子女同住", "与其他亲属同住", "入住机构")
CARE_LEVELS = ("自理", "半护理", "全护理", "特级护理")
DISCHARGE_REASONS = ("死亡", "转院", "回家")
PERSON_STATUS = {"0": "正常", "1": "死亡", "2": "迁出", "3": "其他注销"}
CHANGE_TYPES = ("新增", "变更", "死亡", "迁出")
DOCUMENT_TYPES = (
    "居民身份证",
    "港澳居民来往内地通行证",
    "台湾居民来往大陆通行证",
    "外国人永久居留身份证",
    "护照",
)
GOV_MATTERS = (
    "老年人优待证办理",
    "高龄津贴申领",
    "居家养老服务补贴申请",
    "老年人能力评估申请",
    "养老机构入住登记",
)
CASE_RESULTS = ("受理中", "办结", "不予受理")


def clean_code(value: str | None, allowed, issue: str) -> tuple[str | None, str | None]:
    """A value from a code list (a tuple, or a mapping to canonical values), or an issue."""
    if value is None or not str(value).strip():
        return None, None
    text = str(value).strip()
    if isinstance(allowed, dict):
        return (allowed[text], None) if text in allowed else (None, issue)
    return (text, None) if text in allowed else (None, issue)
