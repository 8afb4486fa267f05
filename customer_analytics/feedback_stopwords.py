"""Word lists for feedback keywords: stop words and negations, Chinese and English.

Shipped with the package so keyword extraction needs no download at run time. The lists
are deliberately short: function words, pronouns, intensifiers and fillers that say
nothing about what went wrong. Negations are not stop words: they attach to the next
content word ("not fresh", "不新鲜"), so a negative review of freshness does not rank
"fresh" as a keyword.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    """The whitespace-separated words of a list written as text."""
    return frozenset(text.split())


STOP_WORDS_EN: frozenset[str] = _words(
    """
    a about above after again against all almost also am an and any are as at be because
    been before being below between both but by can could did do does doing down during
    each even ever every few for from further get got had has have having he her here
    hers herself him himself his how however i if in into is it its itself just let me
    more most much my myself nor of off on once only or other our ours ourselves out over
    own quite rather really same she should so some still such than that the their theirs
    them themselves then there these they this those though through to too under until up
    upon us very was we were what when where which while who whom why will with would
    yet you your yours yourself yourselves it's i'm i've i'd i'll you're you've we're
    we've they're that's there's what's let's one two bit lot lots thing things way
    already
    """
)

NEGATIONS_EN: frozenset[str] = _words(
    """
    not no never cannot can't won't don't doesn't didn't isn't aren't wasn't weren't
    haven't hasn't hadn't couldn't shouldn't wouldn't
    """
)

STOP_WORDS_ZH: frozenset[str] = _words(
    """
    的 了 着 过 得 地 之 很 太 都 也 还 就 又 再 才 只 是 在 和 与 及 或 而 但 但是 可是
    然后 所以 因为 如果 虽然 吧 啊 呢 吗 嘛 呀 哦 哈 啦 么 呗 我 我们 你 你们 您 他 她 它
    他们 她们 这 那 这个 那个 这些 那些 这家 那家 这次 一 一个 一直 一点 一些 一下 有点
    有些 有 非常 比较 特别 真的 真 挺 蛮 好像 已经 还是 就是 也是 都是 给 让 被 把 对 从
    向 跟 用 起来 感觉 觉得 东西 个 次 些 点 上 下 里 中 会 要 想 能 说 看 再也 略 完
    一次 两次 几次
    """
)

NEGATIONS_ZH: frozenset[str] = _words("不 没 没有 别 无 未 不是")
