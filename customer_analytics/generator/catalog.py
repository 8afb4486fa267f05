"""Product catalogue: categories, SKUs with Chinese names, prices, complements, batches."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pyarrow as pa

from . import formats
from .timeline import epoch_day

# (code prefix, Chinese name, English name, return-rate factor, brands, spec variants)
TOP_CATEGORIES: tuple[tuple[str, str, str, float, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        "BEA",
        "美妆护肤",
        "Beauty & Skincare",
        0.6,
        ("雪颜", "初木", "花间集", "澄净"),
        ("30ml", "50ml", "100ml", "120ml", "200ml", "礼盒装"),
    ),
    (
        "APP",
        "服饰鞋包",
        "Apparel, Shoes & Bags",
        2.4,
        ("云织", "素衣", "北纬", "拾光"),
        ("黑色", "白色", "米色", "藏青", "灰色", "卡其"),
    ),
    (
        "HOM",
        "家居家纺",
        "Home & Living",
        0.9,
        ("棉语", "木迹", "安居", "简屋"),
        ("1.5m床", "1.8m床", "大号", "中号", "经典款", "升级款"),
    ),
    (
        "ELE",
        "数码配件",
        "Electronics Accessories",
        1.1,
        ("极客猫", "闪充", "声悦", "护盾"),
        ("黑色", "透明", "白色", "蓝色", "1m", "2m"),
    ),
    (
        "FOD",
        "食品零食",
        "Food & Snacks",
        0.3,
        ("果仁坊", "山野", "茶里", "麦香"),
        ("500g", "750g", "1kg", "礼盒装", "12袋装", "家庭装"),
    ),
    (
        "BAB",
        "母婴用品",
        "Baby & Mother",
        0.7,
        ("贝贝熊", "小羊驼", "暖芽"),
        ("S码", "M码", "L码", "XL码", "80片", "120片"),
    ),
    (
        "SPT",
        "运动户外",
        "Sports & Outdoor",
        1.3,
        ("跃动", "山行", "轻氧"),
        ("6mm", "8mm", "S", "M", "L", "经典款"),
    ),
    (
        "PER",
        "个护清洁",
        "Personal Care & Cleaning",
        0.5,
        ("清沐", "洁然", "齿白"),
        ("400ml", "500ml", "750ml", "家庭装", "旅行装", "补充装"),
    ),
    (
        "PET",
        "宠物用品",
        "Pet Supplies",
        0.5,
        ("喵星人", "汪汪队长", "萌爪"),
        ("1.5kg", "2kg", "5kg", "10L", "经典款", "升级款"),
    ),
    (
        "APL",
        "家用电器",
        "Small Appliances",
        1.2,
        ("小熊猫", "智净", "暖风"),
        ("标准版", "Pro版", "白色", "灰色", "升级款", "礼盒版"),
    ),
)

# (top index, Chinese name, English name, product nouns, price range CNY, complement leaf)
LEAF_CATEGORIES: tuple[tuple[int, str, str, tuple[str, ...], tuple[int, int], str | None], ...] = (
    (0, "洁面", "Cleansers", ("氨基酸洁面乳", "温和洁面泡沫", "控油洁面膏"), (49, 159), "爽肤水"),
    (0, "爽肤水", "Toners", ("保湿爽肤水", "清爽化妆水", "舒缓精华水"), (69, 239), "洁面"),
    (0, "精华", "Serums", ("修护精华液", "美白精华", "抗皱精华露"), (149, 699), "面霜"),
    (0, "面霜", "Creams & Lotions", ("滋润面霜", "保湿乳液", "修护晚霜"), (99, 499), "精华"),
    (0, "彩妆", "Makeup", ("哑光口红", "持妆粉底液", "眼影盘"), (79, 349), None),
    (1, "女装", "Womenswear", ("连衣裙", "针织开衫", "阔腿裤"), (129, 599), None),
    (1, "男装", "Menswear", ("纯棉T恤", "休闲衬衫", "直筒牛仔裤"), (79, 399), None),
    (1, "鞋靴", "Shoes", ("小白鞋", "运动跑鞋", "切尔西靴"), (199, 899), None),
    (1, "箱包", "Bags", ("通勤托特包", "双肩背包", "斜挎包"), (159, 799), None),
    (2, "床品", "Bedding", ("纯棉四件套", "天丝四件套", "水洗棉四件套"), (199, 699), "枕芯被芯"),
    (2, "枕芯被芯", "Pillows & Duvets", ("乳胶枕", "羽绒被", "蚕丝被"), (99, 899), "床品"),
    (2, "收纳", "Storage", ("收纳箱", "衣物收纳袋", "桌面收纳盒"), (29, 149), None),
    (2, "厨具", "Kitchenware", ("不粘炒锅", "陶瓷餐具套装", "保温杯"), (59, 399), None),
    (
        3,
        "手机壳",
        "Phone Cases",
        ("6.1英寸手机壳", "磁吸手机壳", "防摔手机壳"),
        (39, 129),
        "钢化膜",
    ),
    (
        3,
        "钢化膜",
        "Screen Protectors",
        ("高清钢化膜", "防窥钢化膜", "全屏钢化膜"),
        (19, 69),
        "手机壳",
    ),
    (
        3,
        "充电器",
        "Chargers",
        ("65W 氮化镓充电器", "20W 快充头", "多口充电器"),
        (59, 249),
        "数据线",
    ),
    (3, "数据线", "Cables", ("Type-C 数据线", "编织快充线", "二合一数据线"), (19, 79), "充电器"),
    (3, "耳机", "Earphones", ("蓝牙耳机", "主动降噪耳机", "运动耳机"), (199, 999), None),
    (4, "坚果", "Nuts", ("每日坚果", "夏威夷果", "碧根果"), (29, 169), None),
    (4, "饮品", "Beverages", ("挂耳咖啡", "冷泡茶", "燕麦奶"), (29, 129), None),
    (4, "零食", "Snacks", ("牛肉干", "海苔脆", "蛋黄酥"), (15, 89), None),
    (5, "纸尿裤", "Diapers", ("纸尿裤", "拉拉裤", "夜用纸尿裤"), (99, 259), "湿巾"),
    (5, "湿巾", "Wipes", ("婴儿手口湿巾", "棉柔巾", "婴儿湿巾"), (19, 69), "纸尿裤"),
    (5, "奶粉", "Infant Formula", ("婴儿配方奶粉 3段", "有机奶粉", "羊奶粉"), (199, 499), None),
    (5, "童装", "Kidswear", ("婴儿连体衣", "儿童卫衣", "儿童羽绒服"), (69, 359), None),
    (
        6,
        "瑜伽垫",
        "Yoga Mats",
        ("TPE 瑜伽垫", "天然橡胶瑜伽垫", "加宽瑜伽垫"),
        (89, 399),
        "瑜伽辅具",
    ),
    (6, "瑜伽辅具", "Yoga Props", ("瑜伽砖", "拉力带", "瑜伽球"), (19, 99), "瑜伽垫"),
    (6, "户外", "Outdoor", ("防风冲锋衣", "露营折叠椅", "登山杖"), (99, 899), None),
    (6, "健身器材", "Fitness Equipment", ("可调节哑铃", "计数跳绳", "筋膜枪"), (29, 599), None),
    (7, "洗发", "Shampoo", ("无硅油洗发水", "去屑洗发露", "控油洗发水"), (39, 129), "护发"),
    (7, "护发", "Conditioner", ("修护护发素", "发膜", "护发精油"), (39, 129), "洗发"),
    (7, "口腔护理", "Oral Care", ("美白牙膏", "电动牙刷", "漱口水"), (19, 399), None),
    (7, "家庭清洁", "Household Cleaning", ("洗衣凝珠", "厨房清洁剂", "除菌洗衣液"), (19, 89), None),
    (8, "猫粮", "Cat Food", ("全价猫粮", "冻干猫粮", "幼猫粮"), (89, 299), "猫砂"),
    (8, "猫砂", "Cat Litter", ("豆腐猫砂", "混合猫砂", "膨润土猫砂"), (39, 99), "猫粮"),
    (8, "狗粮", "Dog Food", ("全价狗粮", "小型犬狗粮", "老年犬狗粮"), (99, 399), None),
    (8, "宠物玩具", "Pet Toys", ("逗猫棒", "磨牙玩具", "漏食球"), (9, 59), None),
    (9, "厨房电器", "Kitchen Appliances", ("空气炸锅", "破壁机", "电饭煲"), (199, 1299), None),
    (
        9,
        "个护电器",
        "Personal Care Appliances",
        ("高速吹风机", "卷发棒", "电动剃须刀"),
        (149, 1999),
        None,
    ),
    (
        9,
        "清洁电器",
        "Cleaning Appliances",
        ("无线吸尘器", "扫地机器人", "洗地机"),
        (599, 2999),
        "替换配件",
    ),
    (
        9,
        "替换配件",
        "Replacement Parts",
        ("吸尘器滤网", "扫地机边刷", "洗地机滚刷"),
        (29, 129),
        "清洁电器",
    ),
)

SKUS_PER_LEAF = 8
BAD_BATCH_SHARE = 0.03
BAD_BATCH_FACTOR = 5.0


@dataclass(frozen=True)
class Catalog:
    """SKU-level arrays (index = position in the products file) and output tables."""

    sku: pa.Array
    top: np.ndarray
    leaf: np.ndarray
    list_fen: np.ndarray
    launch_day: np.ndarray
    stop_day: np.ndarray
    fallback: np.ndarray
    complement: np.ndarray
    return_factor: np.ndarray
    search_key: np.ndarray
    search_order: np.ndarray
    top_bounds: np.ndarray
    bad_batch_seed: int
    products: pa.Table
    categories: pa.Table

    @property
    def size(self) -> int:
        """Number of SKUs."""
        return len(self.top)

    def is_bad_batch(self, sku: np.ndarray, quarter: np.ndarray) -> np.ndarray:
        """Whether the production batch (SKU, quarter index) has a quality problem."""
        key = sku.astype(np.uint64) * np.uint64(4099) + quarter.astype(np.uint64)
        score = formats.mix_bits(key, 32, self.bad_batch_seed).astype(np.float64) / 2.0**32
        return score < BAD_BATCH_SHARE


def _price_fen(rng: np.random.Generator, lo: int, hi: int, n: int) -> np.ndarray:
    """List prices ending in 9 yuan (49.00, 129.00, ...), log-uniform in [lo, hi]."""
    yuan = np.exp(rng.uniform(np.log(lo), np.log(hi), n))
    yuan = np.maximum(np.round(yuan / 10) * 10 - 1, 9)
    return (yuan * 100).astype(np.int64)


def _categories_table() -> pa.Table:
    ids, zh, en, parent = [], [], [], []
    for t, (_, name_zh, name_en, *_rest) in enumerate(TOP_CATEGORIES):
        ids.append(f"CAT{t + 1:02d}")
        zh.append(name_zh)
        en.append(name_en)
        parent.append(None)
    for leaf, (t, name_zh, name_en, *_rest) in enumerate(LEAF_CATEGORIES):
        ids.append(_leaf_id(leaf))
        zh.append(name_zh)
        en.append(name_en)
        parent.append(f"CAT{t + 1:02d}")
    return pa.table(
        {
            "category_id": pa.array(ids, pa.string()),
            "category_name_zh": pa.array(zh, pa.string()),
            "category_name_en": pa.array(en, pa.string()),
            "parent_category_id": pa.array(parent, pa.string()),
        }
    )


def _leaf_id(leaf: int) -> str:
    top = LEAF_CATEGORIES[leaf][0]
    rank = sum(1 for other in LEAF_CATEGORIES[:leaf] if other[0] == top)
    return f"CAT{top + 1:02d}{rank + 1:02d}"


def build_catalog(rng: np.random.Generator, start: date, end: date) -> Catalog:
    """Draw the SKUs: names, brands, prices, launch / discontinue days, complements."""
    start_day, end_day = epoch_day(start), epoch_day(end)
    rows: list[tuple[int, int, str, str, str]] = []
    for leaf, (top, _zh, _en, nouns, _range, _comp) in enumerate(LEAF_CATEGORIES):
        brands, specs = TOP_CATEGORIES[top][4], TOP_CATEGORIES[top][5]
        combos = [(b, n, s) for b in brands for n in nouns for s in specs]
        for pick in rng.permutation(len(combos))[:SKUS_PER_LEAF]:
            brand, noun, spec = combos[pick]
            rows.append((top, leaf, brand, f"{brand} {noun} {spec}", spec))
    n = len(rows)
    top = np.array([r[0] for r in rows], dtype=np.int8)
    leaf = np.array([r[1] for r in rows], dtype=np.int16)
    list_fen = np.concatenate(
        [
            _price_fen(rng, *LEAF_CATEGORIES[i][4], SKUS_PER_LEAF)
            for i in range(len(LEAF_CATEGORIES))
        ]
    )
    # Launch and discontinue days; the first SKU of each leaf is an evergreen fallback.
    evergreen = np.zeros(n, dtype=bool)
    evergreen[::SKUS_PER_LEAF] = True
    new_in_window = (rng.random(n) < 0.15) & ~evergreen
    launch = np.where(
        new_in_window,
        rng.integers(start_day + 30, end_day - 60, n),
        rng.integers(epoch_day(date(2018, 1, 1)), start_day - 30, n),
    )
    discontinued = (rng.random(n) < 0.08) & ~evergreen
    stop = np.where(
        discontinued, np.maximum(launch + 180, rng.integers(start_day + 120, end_day, n)), 10**6
    )
    discontinued &= stop <= end_day
    stop = np.where(discontinued, stop, 10**6)
    fallback = (np.arange(n) // SKUS_PER_LEAF) * SKUS_PER_LEAF
    complement = _complements(rng, rows)
    codes = [TOP_CATEGORIES[t][0] for t in top.tolist()]
    serial = rng.choice(9000, size=n, replace=False) + 1000
    sku_text = [f"{c}{s}" for c, s in zip(codes, serial.tolist(), strict=True)]
    # Search structure: SKUs sorted by (top category, log price).
    search_key = top.astype(np.float64) * 100 + np.log(list_fen / 100)
    order = np.argsort(search_key, kind="stable")
    bounds = np.searchsorted(search_key[order], np.arange(len(TOP_CATEGORIES) + 1) * 100.0)
    products = pa.table(
        {
            "sku": pa.array(sku_text, pa.string()),
            "product_name": pa.array([r[3] for r in rows], pa.string()),
            "category_id": pa.array([_leaf_id(int(i)) for i in leaf], pa.string()),
            "brand": pa.array([r[2] for r in rows], pa.string()),
            "list_price": formats.money_strings(list_fen),
            "launched_on": formats.date_strings(launch),
            "status": formats.pick(["active", "discontinued"], discontinued.astype(np.int64)),
        }
    )
    return_factor = np.array([TOP_CATEGORIES[t][3] for t in top.tolist()])
    return Catalog(
        sku=products["sku"].combine_chunks(),
        top=top,
        leaf=leaf,
        list_fen=list_fen,
        launch_day=launch.astype(np.int64),
        stop_day=stop.astype(np.int64),
        fallback=fallback.astype(np.int64),
        complement=complement,
        return_factor=return_factor,
        search_key=search_key[order],
        search_order=order,
        top_bounds=bounds,
        bad_batch_seed=int(rng.integers(1, 2**31)),
        products=products,
        categories=_categories_table(),
    )


def _complements(
    rng: np.random.Generator, rows: list[tuple[int, int, str, str, str]]
) -> np.ndarray:
    """For each SKU, a complementary SKU (same brand when possible) or -1."""
    leaf_index = {name: i for i, (_t, name, *_rest) in enumerate(LEAF_CATEGORIES)}
    by_leaf: dict[int, list[int]] = {}
    for i, row in enumerate(rows):
        by_leaf.setdefault(row[1], []).append(i)
    out = np.full(len(rows), -1, dtype=np.int64)
    for i, (_top, leaf, brand, _name, _spec) in enumerate(rows):
        partner_leaf = LEAF_CATEGORIES[leaf][5]
        if partner_leaf is None:
            continue
        candidates = by_leaf[leaf_index[partner_leaf]]
        same_brand = [j for j in candidates if rows[j][2] == brand]
        pool = same_brand or candidates
        out[i] = pool[int(rng.integers(len(pool)))]
    return out


def batch_numbers(catalog: Catalog, sku: np.ndarray, quarter: np.ndarray) -> pa.Array:
    """Batch numbers such as BEA1234-2024Q2 from SKU index and quarter index (year*4+q)."""
    year, q = np.divmod(quarter, 4)
    return formats.join(
        catalog.sku.take(pa.array(sku)),
        "-",
        formats.int_strings(year),
        "Q",
        formats.int_strings(q + 1),
    )
