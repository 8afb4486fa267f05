"""Chinese and English free text for NPS comments and product reviews.

Phrases are grouped by sentiment (0 negative, 1 neutral, 2 positive); reviews also use
phrases specific to the product's top category, so keyword analysis by category works.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import formats

Phrases = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split("|") if part.strip())


def _phrases(negative: str, neutral: str, positive: str) -> Phrases:
    return (_split(negative), _split(neutral), _split(positive))


NPS_ZH = _phrases(
    "物流太慢了|质量很差|客服一直不回复|退款太慢|与描述不符|包装破损|换货太麻烦|再也不买了|"
    "价格比别家贵|发错货了|售后态度差",
    "整体还可以|价格有点贵|物流一般|质量还行|希望多点优惠|款式不多|会员积分用起来麻烦",
    "物流很快|质量很好|客服态度很好|包装很用心|性价比高|一直在这家买，放心|会员活动很划算|"
    "会推荐给朋友|售后处理很及时",
)
NPS_EN = _phrases(
    "delivery was too slow|poor quality|customer service never replied|refund took forever|"
    "not as described|package arrived damaged|wrong item sent|will not buy again|too expensive",
    "it was ok|a bit pricey|delivery was average|quality is fine|would like more discounts|"
    "limited choice",
    "fast delivery|great quality|friendly customer service|lovely packaging|"
    "good value for money|will recommend to friends|quick after-sales support",
)
REVIEW_ZH = _phrases(
    "用了两次就坏了|和图片差别很大|做工粗糙|一点效果都没有|包装漏了|有异味|不值这个价",
    "还行吧|中规中矩|一般般，凑合用|颜色和图片有点色差|价格略贵",
    "非常好用|质量很好|物超所值|已经回购了|包装精美，送人很合适|做工精细|推荐购买",
)
REVIEW_EN = _phrases(
    "broke after two uses|looks nothing like the photos|cheap build|did nothing for me|"
    "arrived leaking|smells odd|not worth the price",
    "it's ok|average|does the job|slightly overpriced",
    "works great|excellent quality|worth every penny|already bought again|"
    "beautifully packaged|highly recommend",
)
# Category phrases (negative, positive) by top category in catalog order.
CATEGORY_REVIEW_ZH: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = tuple(
    (_split(neg), _split(pos))
    for neg, pos in (
        ("用了过敏|太油腻|假货吧", "保湿效果好|肤感清爽|用完皮肤很舒服"),
        ("尺码偏小|掉色严重|起球了", "尺码合适|面料舒服|版型很好"),
        ("有异味|缩水严重", "很柔软|睡得很舒服"),
        ("充电很慢|接口松动|音质差", "充电很快|手感好|音质清晰"),
        ("不新鲜|太甜了|快过期了", "很新鲜|口感很好|孩子很爱吃"),
        ("宝宝红屁股|漏尿", "宝宝用着很好|很柔软不刺激"),
        ("用几次就坏了|太薄了", "防滑效果好|运动很舒服"),
        ("味道刺鼻|洗不干净", "味道好闻|清洁力强"),
        ("猫咪不爱吃|粉尘大", "猫咪很爱吃|结团快"),
        ("噪音太大|用了一个月就坏", "噪音小|吸力很强|操作简单"),
    )
)
CATEGORY_REVIEW_EN: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = tuple(
    (_split(neg), _split(pos))
    for neg, pos in (
        ("gave me a rash|too greasy", "very moisturising|skin feels great"),
        ("runs small|colour faded", "true to size|comfortable fabric"),
        ("smells odd|shrank in the wash", "very soft|sleep so well"),
        ("charges slowly|loose connector", "charges fast|clear sound"),
        ("not fresh|too sweet", "very fresh|tastes great"),
        ("caused a rash|leaks", "gentle on my baby|very soft"),
        ("broke quickly|too thin", "great grip|comfortable for workouts"),
        ("harsh smell|does not clean well", "smells nice|cleans well"),
        ("my cat won't eat it|dusty", "my cat loves it|clumps well"),
        ("too noisy|broke after a month", "quiet|strong suction"),
    )
)


def sentiment_of_nps(score: np.ndarray) -> np.ndarray:
    """0 detractor wording (0-6), 1 passive (7-8), 2 promoter (9-10)."""
    return np.where(score <= 6, 0, np.where(score <= 8, 1, 2))


def sentiment_of_rating(rating: np.ndarray) -> np.ndarray:
    """0 negative (1-2 stars), 1 neutral (3), 2 positive (4-5)."""
    return np.where(rating <= 2, 0, np.where(rating == 3, 1, 2))


def _draw(
    rng: np.random.Generator, groups: tuple[tuple[str, ...], ...], group: np.ndarray
) -> pa.Array:
    """One phrase per row from phrase group `group[i]`."""
    sizes = np.array([len(g) for g in groups])
    offsets = np.cumsum(sizes) - sizes
    flat = [p for g in groups for p in g]
    pick = (rng.random(group.size) * sizes[group]).astype(np.int64)
    return formats.pick(flat, offsets[group] + pick)


def _category_phrase(
    rng: np.random.Generator,
    table: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...],
    top: np.ndarray,
    sentiment: np.ndarray,
) -> pa.Array:
    """A category phrase for negative / positive rows (null for neutral ones)."""
    groups = tuple(side for pair in table for side in pair)
    group = top * 2 + (sentiment == 2)
    return formats.null_where(_draw(rng, groups, group), sentiment == 1)


def _differs(a: pa.Array, b: pa.Array) -> np.ndarray:
    return pc.fill_null(pc.not_equal(a, b), True).to_numpy(zero_copy_only=False)


def _join(first: pa.Array, second: pa.Array, two: np.ndarray, sep: str) -> pa.Array:
    joined = formats.join(first, sep, second)
    return formats.where(two & _differs(first, second), joined, first)


def compose(
    rng: np.random.Generator,
    sentiment: np.ndarray,
    english: np.ndarray,
    kind: str,
    top: np.ndarray | None = None,
) -> pa.Array:
    """One or two phrases of the sentiment, in Chinese (joined by ，) or English (, ).

    kind is "nps" or "review"; reviews with a top category start with a category phrase
    most of the time.
    """
    zh_groups, en_groups = (NPS_ZH, NPS_EN) if kind == "nps" else (REVIEW_ZH, REVIEW_EN)
    n = sentiment.size
    first_zh, second_zh = _draw(rng, zh_groups, sentiment), _draw(rng, zh_groups, sentiment)
    first_en, second_en = _draw(rng, en_groups, sentiment), _draw(rng, en_groups, sentiment)
    if top is not None:
        use = rng.random(n) < 0.65
        cat_zh = _category_phrase(rng, CATEGORY_REVIEW_ZH, top, sentiment)
        cat_en = _category_phrase(rng, CATEGORY_REVIEW_EN, top, sentiment)
        first_zh = formats.where(use & (sentiment != 1), cat_zh, first_zh)
        first_en = formats.where(use & (sentiment != 1), cat_en, first_en)
    two = rng.random(n) < 0.45
    zh = _join(first_zh, second_zh, two, "，")
    en = _join(first_en, second_en, two, ", ")
    return formats.where(english, en, zh)
