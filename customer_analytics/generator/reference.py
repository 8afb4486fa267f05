"""Static reference data of the sample retailer: geography, stores, names, holidays."""

from __future__ import annotations

from datetime import date


def _words(text: str) -> tuple[str, ...]:
    """Parse whitespace-separated words."""
    return tuple(text.split())


def _pairs(text: str) -> tuple[tuple[str, str], ...]:
    """Parse whitespace-separated `汉字:pinyin` pairs."""
    pairs = []
    for item in text.split():
        hanzi, pinyin = item.split(":", 1)
        pairs.append((hanzi, pinyin))
    return tuple(pairs)


# (province, city, relative weight of online shoppers)
CITIES: tuple[tuple[str, str, float], ...] = (
    ("北京市", "北京", 6.0),
    ("上海市", "上海", 6.5),
    ("天津市", "天津", 2.2),
    ("重庆市", "重庆", 3.0),
    ("广东省", "广州", 4.5),
    ("广东省", "深圳", 5.0),
    ("广东省", "东莞", 2.0),
    ("广东省", "佛山", 1.8),
    ("广东省", "珠海", 0.7),
    ("广东省", "惠州", 0.8),
    ("浙江省", "杭州", 4.0),
    ("浙江省", "宁波", 1.8),
    ("浙江省", "温州", 1.5),
    ("浙江省", "绍兴", 0.8),
    ("浙江省", "嘉兴", 0.7),
    ("浙江省", "金华", 0.8),
    ("江苏省", "南京", 3.0),
    ("江苏省", "苏州", 3.2),
    ("江苏省", "无锡", 1.5),
    ("江苏省", "常州", 1.0),
    ("江苏省", "南通", 1.0),
    ("江苏省", "徐州", 0.8),
    ("四川省", "成都", 3.5),
    ("四川省", "绵阳", 0.5),
    ("湖北省", "武汉", 3.0),
    ("湖北省", "宜昌", 0.4),
    ("湖南省", "长沙", 2.2),
    ("湖南省", "株洲", 0.4),
    ("山东省", "济南", 1.8),
    ("山东省", "青岛", 2.0),
    ("山东省", "烟台", 0.8),
    ("山东省", "潍坊", 0.7),
    ("河南省", "郑州", 2.2),
    ("河南省", "洛阳", 0.7),
    ("河北省", "石家庄", 1.2),
    ("河北省", "唐山", 0.6),
    ("河北省", "保定", 0.6),
    ("福建省", "福州", 1.4),
    ("福建省", "厦门", 1.5),
    ("福建省", "泉州", 1.0),
    ("安徽省", "合肥", 1.8),
    ("安徽省", "芜湖", 0.5),
    ("陕西省", "西安", 2.4),
    ("辽宁省", "沈阳", 1.5),
    ("辽宁省", "大连", 1.4),
    ("吉林省", "长春", 1.0),
    ("黑龙江省", "哈尔滨", 1.1),
    ("江西省", "南昌", 1.0),
    ("广西壮族自治区", "南宁", 1.0),
    ("广西壮族自治区", "桂林", 0.4),
    ("云南省", "昆明", 1.3),
    ("贵州省", "贵阳", 0.9),
    ("山西省", "太原", 0.9),
    ("内蒙古自治区", "呼和浩特", 0.5),
    ("新疆维吾尔自治区", "乌鲁木齐", 0.5),
    ("海南省", "海口", 0.5),
    ("海南省", "三亚", 0.3),
    ("甘肃省", "兰州", 0.5),
    ("宁夏回族自治区", "银川", 0.3),
    ("青海省", "西宁", 0.2),
    ("西藏自治区", "拉萨", 0.1),
)

# Overseas web-shop buyers: zone index -> (currency, province-like region, city, tz rule).
OVERSEAS: dict[int, tuple[str, str, str]] = {
    1: ("USD", "美国", "洛杉矶"),
    2: ("EUR", "德国", "柏林"),
    3: ("HKD", "香港特别行政区", "香港"),
}
OVERSEAS_WEIGHTS: tuple[float, ...] = (0.45, 0.25, 0.30)
CURRENCIES: tuple[str, ...] = ("CNY", "USD", "EUR", "HKD")
CURRENCY_SYMBOLS: tuple[str, ...] = ("¥", "$", "€", "HK$")

# Stores: (city, store name). Store ids S001.. follow this order; S000 is the training till.
STORES: tuple[tuple[str, str], ...] = (
    ("上海", "上海南京西路店"),
    ("上海", "上海陆家嘴店"),
    ("上海", "上海徐家汇店"),
    ("上海", "上海五角场店"),
    ("上海", "上海虹桥天地店"),
    ("北京", "北京三里屯店"),
    ("北京", "北京西单店"),
    ("北京", "北京望京店"),
    ("北京", "北京中关村店"),
    ("广州", "广州天河城店"),
    ("广州", "广州北京路店"),
    ("广州", "广州琶洲店"),
    ("深圳", "深圳万象城店"),
    ("深圳", "深圳海岸城店"),
    ("深圳", "深圳福田COCO Park店"),
    ("杭州", "杭州湖滨银泰店"),
    ("杭州", "杭州西溪印象城店"),
    ("杭州", "杭州滨江宝龙店"),
    ("成都", "成都春熙路店"),
    ("成都", "成都太古里店"),
    ("成都", "成都环球中心店"),
    ("南京", "南京新街口店"),
    ("南京", "南京河西万达店"),
    ("武汉", "武汉江汉路店"),
    ("武汉", "武汉光谷店"),
    ("重庆", "重庆解放碑店"),
    ("重庆", "重庆观音桥店"),
    ("西安", "西安小寨店"),
    ("西安", "西安曲江店"),
    ("苏州", "苏州观前街店"),
    ("苏州", "苏州园区圆融店"),
    ("天津", "天津滨江道店"),
    ("天津", "天津大悦城店"),
    ("长沙", "长沙五一广场店"),
    ("郑州", "郑州二七广场店"),
    ("青岛", "青岛万象城店"),
    ("厦门", "厦门中山路店"),
    ("昆明", "昆明南屏街店"),
    ("沈阳", "沈阳中街店"),
    ("合肥", "合肥淮河路店"),
    ("宁波", "宁波天一广场店"),
)
# Share of stores whose till writes `YYYY/MM/DD HH:MM` instead of `YYYY-MM-DD HH:MM:SS`.
SLASH_TILL_SHARE = 0.2

# Chinese New Year's Day (first day of the Spring Festival) by Gregorian year.
SPRING_FESTIVAL: dict[int, date] = {
    1999: date(1999, 2, 16),
    2000: date(2000, 2, 5),
    2001: date(2001, 1, 24),
    2002: date(2002, 2, 12),
    2003: date(2003, 2, 1),
    2004: date(2004, 1, 22),
    2005: date(2005, 2, 9),
    2006: date(2006, 1, 29),
    2007: date(2007, 2, 18),
    2008: date(2008, 2, 7),
    2009: date(2009, 1, 26),
    2010: date(2010, 2, 14),
    2011: date(2011, 2, 3),
    2012: date(2012, 1, 23),
    2013: date(2013, 2, 10),
    2014: date(2014, 1, 31),
    2015: date(2015, 2, 19),
    2016: date(2016, 2, 8),
    2017: date(2017, 1, 28),
    2018: date(2018, 2, 16),
    2019: date(2019, 2, 5),
    2020: date(2020, 1, 25),
    2021: date(2021, 2, 12),
    2022: date(2022, 2, 1),
    2023: date(2023, 1, 22),
    2024: date(2024, 2, 10),
    2025: date(2025, 1, 29),
    2026: date(2026, 2, 17),
    2027: date(2027, 2, 6),
    2028: date(2028, 1, 26),
    2029: date(2029, 2, 13),
    2030: date(2030, 2, 3),
    2031: date(2031, 1, 23),
}

# Surnames with pinyin; listed by frequency.
SURNAMES: tuple[tuple[str, str], ...] = _pairs(
    """
    王:wang 李:li 张:zhang 刘:liu 陈:chen 杨:yang 黄:huang 赵:zhao 吴:wu 周:zhou 徐:xu 孙:sun
    马:ma 朱:zhu 胡:hu 郭:guo 何:he 林:lin 高:gao 罗:luo 郑:zheng 梁:liang 谢:xie 宋:song
    唐:tang 许:xu 韩:han 冯:feng 邓:deng 曹:cao 彭:peng 曾:zeng 肖:xiao 田:tian 董:dong 潘:pan
    袁:yuan 蔡:cai 蒋:jiang 余:yu 于:yu 杜:du 叶:ye 程:cheng 魏:wei 苏:su 吕:lv 丁:ding 任:ren
    卢:lu 姚:yao 沈:shen 钟:zhong 姜:jiang 崔:cui 谭:tan 陆:lu 范:fan 汪:wang 廖:liao 石:shi
    金:jin 韦:wei 贾:jia 夏:xia 付:fu 方:fang 邹:zou 熊:xiong 白:bai 孟:meng 秦:qin 邱:qiu
    侯:hou 江:jiang 尹:yin 薛:xue 闫:yan 段:duan 雷:lei
    """
)

GIVEN_FEMALE: tuple[tuple[str, str], ...] = _pairs(
    """
    芳:fang 娜:na 敏:min 静:jing 丽:li 艳:yan 娟:juan 霞:xia 婷:ting 雪:xue 慧:hui 莹:ying
    琳:lin 欣:xin 悦:yue 佳:jia 怡:yi 晶:jing 倩:qian 颖:ying 璐:lu 萍:ping 玲:ling 燕:yan
    梦:meng 诗:shi 雨:yu 涵:han 琪:qi 瑶:yao 思:si 晓:xiao 月:yue 楠:nan 可:ke 馨:xin 蕾:lei
    薇:wei 梅:mei 洁:jie
    """
)

GIVEN_MALE: tuple[tuple[str, str], ...] = _pairs(
    """
    伟:wei 强:qiang 磊:lei 军:jun 洋:yang 勇:yong 杰:jie 涛:tao 明:ming 超:chao 刚:gang 平:ping
    辉:hui 鹏:peng 华:hua 飞:fei 鑫:xin 波:bo 斌:bin 宇:yu 浩:hao 凯:kai 健:jian 俊:jun 帆:fan
    博:bo 文:wen 龙:long 峰:feng 毅:yi 晨:chen 阳:yang 旭:xu 睿:rui 子:zi 轩:xuan 泽:ze 然:ran
    航:hang 志:zhi
    """
)

# Email domains and their weights for mainland and overseas buyers.
EMAIL_DOMAINS: tuple[str, ...] = (
    "qq.com",
    "163.com",
    "126.com",
    "foxmail.com",
    "sina.com",
    "gmail.com",
    "outlook.com",
    "hotmail.com",
    "icloud.com",
    "yahoo.com",
)
EMAIL_DOMAIN_WEIGHTS_CN: tuple[float, ...] = (36, 20, 8, 7, 5, 4, 5, 4, 8, 3)
EMAIL_DOMAIN_WEIGHTS_OVERSEAS: tuple[float, ...] = (8, 6, 2, 2, 1, 35, 18, 10, 14, 4)

# Mobile prefixes (first three digits of a mainland mobile number).
MOBILE_PREFIXES: tuple[str, ...] = _words(
    """
    130 131 132 133 134 135 136 137 138 139 150 151 152 153 155 156 157 158
    159 166 176 177 178 180 181 182 183 184 185 186 187 188 189 198 199
    """
)

# Placeholder contacts typed by staff or buyers who do not want to give theirs.
PLACEHOLDER_EMAILS: tuple[str, ...] = ("test@test.com", "123456@qq.com")
PLACEHOLDER_PHONES: tuple[str, ...] = ("13800000000", "13888888888")
