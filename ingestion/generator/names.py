"""Chinese names typical of people born 1915–1995, drawn so that common names collide."""

from __future__ import annotations

import numpy as np

# Surnames with approximate national frequency (per cent), heaviest first.
_SURNAMES = (
    "王7.1 李7.0 张6.7 刘5.4 陈4.5 杨3.2 赵2.3 黄2.2 周2.1 吴2.0 徐1.7 孙1.5 胡1.3 朱1.3 "
    "高1.2 林1.2 何1.2 郭1.1 马1.0 罗0.9 梁0.8 宋0.8 郑0.7 谢0.7 韩0.7 唐0.6 冯0.6 于0.6 "
    "董0.6 萧0.5 程0.5 曹0.5 袁0.5 邓0.5 许0.5 傅0.5 沈0.5 曾0.5 彭0.5 吕0.5 苏0.5 卢0.5 "
    "蒋0.5 蔡0.5 贾0.4 丁0.4 魏0.4 薛0.4 叶0.4 阎0.4 余0.4 潘0.4 杜0.4 戴0.3 夏0.3 钟0.3 "
    "汪0.3 田0.3 任0.3 姜0.3 范0.3 方0.3 石0.3 姚0.3 谭0.3 廖0.3 邹0.3 熊0.3 金0.3 陆0.3 "
    "郝0.3 孔0.3 白0.3 崔0.3 康0.3 毛0.3 邱0.3 秦0.3 江0.3 史0.3 顾0.2 侯0.2 邵0.2 孟0.2 "
    "龙0.2 万0.2 段0.2 雷0.2 钱0.2 汤0.2 尹0.2 黎0.2 易0.2 常0.2 武0.2 乔0.2 贺0.2 赖0.2 "
    "龚0.2 文0.2 庞0.1 樊0.1 兰0.1 殷0.1 施0.1 陶0.1 洪0.1 翟0.1 安0.1 颜0.1 倪0.1 严0.1 "
    "牛0.1 温0.1 芦0.1 季0.1 俞0.1 章0.1 鲁0.1 葛0.1 伍0.1 韦0.1 申0.1 尤0.1 毕0.1 聂0.1"
)
_ELDER_FEMALE = (
    "秀英 桂英 秀兰 玉兰 桂兰 淑兰 淑珍 凤英 玉英 秀珍 玉珍 淑英 凤兰 秀荣 桂珍 玉梅 秀云 "
    "桂芳 淑芬 凤琴 玉华 淑华 秀芳 桂荣 玉芝 秀梅 丽华 凤芝 素芬 素珍 淑贞 秀琴 桂香 桂芝 "
    "金凤 玉凤 翠兰 翠英 美兰 淑琴 秀华 玉琴 桂琴 淑敏 秀芬 凤霞 秀霞 玉霞 桂花 春花 金兰 "
    "宝珍 淑云 素梅 兰英 淑清 秀清 凤云 玉清 玉荣 桂云 淑芳 文华 瑞英 英 兰 珍 华"
)
_ELDER_MALE = (
    "德明 志刚 国华 振华 志明 文华 永生 德福 福生 宝山 国强 志强 建平 建民 永华 玉山 德胜 "
    "长林 玉林 宝林 树林 凤山 文明 树森 广才 德才 金山 福顺 万福 庆祥 永利 玉明 学文 春生 "
    "连生 宝华 振东 德山 玉成 国栋 文斌 长海 洪亮 俊峰 世昌 宝贵 占山 庆林 明 军 强 勇"
)
_NEW_ERA = "建国 国庆 建华 建军 卫东 红军 跃进 援朝 胜利 解放 和平 卫国 红英 建英 红梅 国英 丽萍"
_YOUNG_FEMALE = "静 丽 艳 娟 敏 燕 霞 红 颖 丹 海燕 红梅 丽娜 晓燕 文静 晓红 雪梅 秀丽 丽丽 晓丽"
_YOUNG_MALE = "伟 强 磊 军 洋 勇 杰 涛 明 超 辉 刚 健 斌 宇 浩 鹏 志强 晓明 海涛 建军 永刚 立新"
_DOT_FIRST_MALE = "买买提 艾力 阿不都 吐尔逊 依明 热合曼 努尔兰 叶尔兰 巴特尔 苏和"
_DOT_FIRST_FEMALE = "古丽 阿依古丽 帕提古丽 热依拉 阿米娜 再努尔 米热古丽 其其格 乌云 斯琴"
_DOT_SECOND = "艾力 买买提 吐尔逊 阿不都拉 司马义 热西提 卡德尔 沙吾提 托合提 格日勒"


def _words(text: str) -> list[str]:
    return text.split()


SURNAMES = [w[0] for w in _words(_SURNAMES)]
_SURNAME_P = np.array([float(w[1:]) for w in _words(_SURNAMES)])
_SURNAME_P /= _SURNAME_P.sum()
_GIVEN_SETS = {
    "elder_female": _words(_ELDER_FEMALE),
    "elder_male": _words(_ELDER_MALE),
    "new_era": _words(_NEW_ERA),
    "young_female": _words(_YOUNG_FEMALE),
    "young_male": _words(_YOUNG_MALE),
    "dot_second": _words(_DOT_SECOND),
}
# FIRST[a] + SECOND[b] is a name: surname + given name, or first name· + father's name.
FIRST = np.array(
    SURNAMES + [w + "·" for w in _words(_DOT_FIRST_MALE) + _words(_DOT_FIRST_FEMALE)], dtype=object
)
SECOND = np.array([w for ws in _GIVEN_SETS.values() for w in ws], dtype=object)
_OFFSET = {}
_pos = 0
for _key, _ws in _GIVEN_SETS.items():
    _OFFSET[_key] = _pos
    _pos += len(_ws)
_DOT_OFFSET = {1: len(SURNAMES), 2: len(SURNAMES) + len(_words(_DOT_FIRST_MALE))}
_DOT_COUNT = {1: len(_words(_DOT_FIRST_MALE)), 2: len(_words(_DOT_FIRST_FEMALE))}


def _zipf(rng: np.random.Generator, size: int, n: int, skew: float = 0.9) -> np.ndarray:
    """Indices 0..n-1, earlier ones more frequent, so the first names of a list collide often."""
    p = 1.0 / np.arange(1, n + 1) ** skew
    return rng.choice(n, size=size, p=p / p.sum())


def _given(rng: np.random.Generator, key: str, size: int) -> np.ndarray:
    return _OFFSET[key] + _zipf(rng, size, len(_GIVEN_SETS[key]))


def surnames(rng: np.random.Generator, size: int) -> np.ndarray:
    """Surname indices into FIRST by real frequency."""
    return rng.choice(len(SURNAMES), size=size, p=_SURNAME_P).astype(np.int16)


def given_names(
    rng: np.random.Generator, sex: np.ndarray, birth_year: np.ndarray, young: bool = False
) -> np.ndarray:
    """Given-name indices into SECOND typical of each person's sex and birth cohort."""
    out = np.empty(len(sex), dtype=np.int16)
    female = sex == 2
    for is_female, elder_key, young_key in (
        (True, "elder_female", "young_female"),
        (False, "elder_male", "young_male"),
    ):
        sel = np.flatnonzero(female == is_female)
        names = _given(rng, young_key if young else elder_key, sel.size)
        born_new = (birth_year[sel] >= 1949) & (rng.random(sel.size) < 0.3)
        names[born_new] = _given(rng, "new_era", int(born_new.sum()))
        out[sel] = names
    return out


def dot_names(rng: np.random.Generator, sex: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Minority names written with a middle dot: first name · father's name."""
    first = np.array([_DOT_OFFSET[s] + rng.integers(_DOT_COUNT[s]) for s in sex], dtype=np.int16)
    return first, _given(rng, "dot_second", len(sex)).astype(np.int16)


def render(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Names as text."""
    return FIRST[first] + SECOND[second]
