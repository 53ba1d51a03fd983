"""Generate the bundled Easy Mall (融e购) user survey as a Wenjuanxing export, by text and by number.

    .venv/bin/python sample_data/generate_survey.py            # writes the two committed files
    .venv/bin/python sample_data/generate_survey.py --n 100000 --out /tmp/big   # for benchmarks

Seeded (same seed → same bytes of answers). The questionnaire is the one in ``config/survey.yaml``.
Planted structure, so segmentation has something real to find:

* young digital natives (18–30, students and office staff): shop online daily on Taobao/JD/Pinduoduo,
  mostly never heard of Easy Mall or never tried it — "used to other platforms", "prices";
* middle-aged ICBC customers (31–50): sent by branch staff, use it for card instalments and points,
  buy once or twice a year, lukewarm NPS;
* affluent occasional buyers (income > ¥15,000): heard of it in mobile banking, trust the bank and
  quality, large orders, buy rarely;
* retirees (51+): ICBC customers, branch referrals, points offsets, small orders;
* a general mix.

Realistic dirt: speeders (duration far below the median), straight-liners in the satisfaction
matrix, exact duplicate submissions, a few IPs shared by many respondents, "other" free text.
"""
from __future__ import annotations

import argparse
import random
from datetime import datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 2017
N_DEFAULT = 800

META = ["序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP"]

SINGLE = {
    1: ("1、您的性别", ["男", "女"]),
    2: ("2、您的年龄段", ["18岁以下", "18-25岁", "26-30岁", "31-40岁", "41-50岁", "51-60岁", "60岁以上"]),
    3: ("3、您的职业", ["学生", "企业职员", "公务员/事业单位", "个体经营者", "自由职业", "退休", "其他"]),
    4: ("4、您的月收入", ["3000元以下", "3000-5000元", "5001-8000元", "8001-15000元", "15000元以上"]),
    5: ("5、您是否是工商银行的客户？", ["是", "否"]),
    6: ("6、您网购的频率是？", ["几乎每天", "每周数次", "每月数次", "每月一次或更少", "从不"]),
    8: ("8、您对工行融e购商城的了解程度是？", ["没听说过", "听说过但没用过", "用过"]),
    9: ("9、您最初是通过什么渠道了解到融e购的？", ["银行网点工作人员推荐", "工行手机银行/融e行", "融e联消息", "网络广告",
                                      "亲友推荐", "其他"]),
    13: ("13、过去一年您在融e购购买了几次？", ["0次", "1次", "2-3次", "4-6次", "7次及以上"]),
    15: ("15、您今后还会在融e购购买吗？", ["一定会", "可能会", "不确定", "可能不会", "一定不会"]),
}
MULTI = {
    7: ("7、您常用的网购平台有哪些？", ["淘宝", "天猫", "京东", "拼多多", "苏宁易购", "唯品会", "融e购", "其他"]),
    10: ("10、吸引您使用（或可能使用）融e购的原因是？", ["信用卡分期/积分抵现", "商品品质有保障", "银行信誉", "价格优惠",
                                         "网点员工推荐", "金融产品一站式"]),
    11: ("11、您不使用或较少使用融e购的原因是？", ["不知道有这个平台", "商品种类少", "价格没有优势", "界面和体验差", "物流慢",
                                      "习惯用其他平台", "售后服务差"]),
    17: ("17、您希望融e购增加哪些服务？", ["理财产品优惠", "积分商城", "品牌直营", "跨境进口", "企业采购服务", "网点自提/O2O",
                                "会员体系"]),
}
MATRIX_TITLE = "12、请您对融e购以下方面的满意度打分（1分表示非常不满意，5分表示非常满意）"
MATRIX_ROWS = ["商品品质", "商品种类", "价格", "物流配送", "支付便捷", "售后服务", "界面体验"]
Q14 = "14、您在融e购平均每单消费金额约为多少元？"
Q16 = "16、您有多大可能向亲友推荐融e购？（0-10分，0分表示完全不可能，10分表示非常可能）"
Q18 = "18、您对融e购还有哪些意见和建议？"

COMMENTS = [
    "希望商品种类再丰富一些，很多东西搜不到。", "分期免息很实用，希望活动多一点。", "物流太慢了，比京东慢好几天。",
    "界面不太好用，找商品不方便。", "积分抵现很划算，但是积分商品太少。", "网点经理推荐我注册的，之后就没怎么用过。",
    "价格比淘宝贵，没有竞争力。", "希望能和手机银行打通，付款更方便。", "售后退换货流程太复杂。", "商品质量有保障，这点放心。",
    "多做一些宣传吧，身边很多人都不知道。", "希望有会员体系和积分加倍活动。", "买过一次手机，分期很方便。",
    "APP经常卡顿，体验一般。", "可以增加网点自提，老年人更方便。", "理财产品能有专属优惠就好了。", "没什么意见。",
    "希望增加进口商品。", "客服响应慢。", "希望像京东一样送货快。",
]
PROVINCES = [("北京", ["北京"]), ("上海", ["上海"]), ("广东", ["广州", "深圳", "佛山", "东莞"]),
             ("江苏", ["南京", "苏州", "无锡"]), ("浙江", ["杭州", "宁波", "温州"]), ("山东", ["济南", "青岛"]),
             ("河南", ["郑州", "洛阳"]), ("四川", ["成都", "绵阳"]), ("湖北", ["武汉", "宜昌"]),
             ("湖南", ["长沙"]), ("福建", ["福州", "厦门"]), ("陕西", ["西安"]), ("河北", ["石家庄", "保定"]),
             ("辽宁", ["沈阳", "大连"]), ("安徽", ["合肥"]), ("重庆", ["重庆"]), ("天津", ["天津"])]
PROVINCE_W = [9, 8, 12, 9, 9, 7, 6, 6, 5, 4, 4, 4, 4, 3, 3, 4, 3]

SEGMENTS = {  # name: weight
    "digital_young": 0.34, "icbc_middle": 0.29, "affluent": 0.14, "retiree": 0.13, "general": 0.10,
}


def _pick(rng: random.Random, options: list[str], weights: list[float]) -> str:
    return rng.choices(options, weights=weights, k=1)[0]


def _multi(rng: random.Random, options: list[str], probs: list[float], at_least_one: bool = True) -> list[str]:
    chosen = [o for o, p in zip(options, probs, strict=True) if rng.random() < p]
    if not chosen and at_least_one:
        chosen = [rng.choices(options, weights=probs, k=1)[0]]
    return chosen


def respondent(rng: random.Random, seg: str) -> dict:
    """One respondent's answers as labels (None = skipped)."""
    a: dict = {}
    if seg == "digital_young":
        a[2] = _pick(rng, SINGLE[2][1], [4, 50, 36, 10, 0, 0, 0])
        a[3] = _pick(rng, SINGLE[3][1], [42, 40, 6, 3, 8, 0, 1])
        a[4] = _pick(rng, SINGLE[4][1], [40, 30, 20, 8, 2])
        a[5] = _pick(rng, ["是", "否"], [40, 60])
        a[6] = _pick(rng, SINGLE[6][1], [35, 45, 17, 3, 0])
        a[8] = _pick(rng, SINGLE[8][1], [55, 35, 10])
    elif seg == "icbc_middle":
        a[2] = _pick(rng, SINGLE[2][1], [0, 2, 10, 50, 38, 0, 0])
        a[3] = _pick(rng, SINGLE[3][1], [0, 55, 30, 10, 3, 0, 2])
        a[4] = _pick(rng, SINGLE[4][1], [5, 25, 40, 25, 5])
        a[5] = _pick(rng, ["是", "否"], [95, 5])
        a[6] = _pick(rng, SINGLE[6][1], [5, 30, 45, 18, 2])
        a[8] = _pick(rng, SINGLE[8][1], [8, 30, 62])
    elif seg == "affluent":
        a[2] = _pick(rng, SINGLE[2][1], [0, 2, 12, 46, 32, 8, 0])
        a[3] = _pick(rng, SINGLE[3][1], [0, 45, 15, 35, 5, 0, 0])
        a[4] = _pick(rng, SINGLE[4][1], [0, 0, 5, 30, 65])
        a[5] = _pick(rng, ["是", "否"], [80, 20])
        a[6] = _pick(rng, SINGLE[6][1], [10, 40, 40, 10, 0])
        a[8] = _pick(rng, SINGLE[8][1], [15, 35, 50])
    elif seg == "retiree":
        a[2] = _pick(rng, SINGLE[2][1], [0, 0, 0, 0, 3, 37, 60])
        a[3] = _pick(rng, SINGLE[3][1], [0, 3, 2, 3, 2, 88, 2])
        a[4] = _pick(rng, SINGLE[4][1], [25, 45, 22, 7, 1])
        a[5] = _pick(rng, ["是", "否"], [92, 8])
        a[6] = _pick(rng, SINGLE[6][1], [0, 5, 25, 50, 20])
        a[8] = _pick(rng, SINGLE[8][1], [30, 30, 40])
    else:
        a[2] = _pick(rng, SINGLE[2][1], [2, 20, 20, 25, 18, 10, 5])
        a[3] = _pick(rng, SINGLE[3][1], [10, 40, 15, 12, 10, 8, 5])
        a[4] = _pick(rng, SINGLE[4][1], [15, 30, 30, 18, 7])
        a[5] = _pick(rng, ["是", "否"], [55, 45])
        a[6] = _pick(rng, SINGLE[6][1], [15, 35, 35, 13, 2])
        a[8] = _pick(rng, SINGLE[8][1], [45, 35, 20])
    a[1] = _pick(rng, ["男", "女"], [48, 52] if seg != "digital_young" else [44, 56])
    young = seg == "digital_young"
    used = a[8] == "用过"
    plat_p = {"digital_young": [0.92, 0.7, 0.78, 0.6, 0.15, 0.25, 0.0, 0.05],
              "icbc_middle": [0.8, 0.5, 0.7, 0.25, 0.25, 0.15, 0.0, 0.05],
              "affluent": [0.6, 0.7, 0.85, 0.05, 0.2, 0.25, 0.0, 0.08],
              "retiree": [0.5, 0.2, 0.45, 0.35, 0.15, 0.05, 0.0, 0.08],
              "general": [0.8, 0.5, 0.6, 0.35, 0.2, 0.15, 0.0, 0.05]}[seg]
    plats = _multi(rng, MULTI[7][1], plat_p)
    if used and rng.random() < 0.55:
        plats.append("融e购")
    a[7] = [o for o in MULTI[7][1] if o in plats]
    if a[6] == "从不":
        a[7] = ["融e购"] if used else ["其他"]
    for q in (9, 10, 11, 12, 13, 14, 15, 16, 17):
        a[q] = None
    if a[8] == "没听说过":
        return a
    a[9] = {"digital_young": lambda: _pick(rng, SINGLE[9][1], [20, 25, 8, 30, 15, 2]),
            "icbc_middle": lambda: _pick(rng, SINGLE[9][1], [68, 15, 6, 4, 6, 1]),
            "affluent": lambda: _pick(rng, SINGLE[9][1], [30, 45, 10, 5, 9, 1]),
            "retiree": lambda: _pick(rng, SINGLE[9][1], [78, 5, 2, 2, 12, 1]),
            "general": lambda: _pick(rng, SINGLE[9][1], [45, 20, 8, 12, 13, 2])}[seg]()
    reasons_p = {"digital_young": [0.3, 0.25, 0.2, 0.45, 0.1, 0.1],
                 "icbc_middle": [0.75, 0.3, 0.35, 0.2, 0.45, 0.2],
                 "affluent": [0.3, 0.7, 0.6, 0.1, 0.15, 0.45],
                 "retiree": [0.55, 0.35, 0.55, 0.3, 0.5, 0.1],
                 "general": [0.45, 0.35, 0.35, 0.3, 0.3, 0.15]}[seg]
    a[10] = _multi(rng, MULTI[10][1], reasons_p)
    nonuse_p = {"digital_young": [0.05, 0.45, 0.55, 0.45, 0.25, 0.8, 0.15],
                "icbc_middle": [0.03, 0.5, 0.35, 0.35, 0.35, 0.55, 0.2],
                "affluent": [0.02, 0.55, 0.15, 0.3, 0.25, 0.45, 0.25],
                "retiree": [0.05, 0.25, 0.2, 0.45, 0.25, 0.3, 0.15],
                "general": [0.05, 0.45, 0.4, 0.35, 0.3, 0.55, 0.2]}[seg]
    a[11] = _multi(rng, MULTI[11][1], nonuse_p)
    a[17] = _multi(rng, MULTI[17][1], {
        "digital_young": [0.2, 0.35, 0.45, 0.45, 0.05, 0.1, 0.4],
        "icbc_middle": [0.45, 0.55, 0.35, 0.15, 0.1, 0.3, 0.35],
        "affluent": [0.6, 0.3, 0.55, 0.45, 0.25, 0.15, 0.3],
        "retiree": [0.35, 0.6, 0.15, 0.05, 0.02, 0.55, 0.2],
        "general": [0.35, 0.4, 0.35, 0.25, 0.1, 0.25, 0.3]}[seg])
    if not used:
        return a
    # users: satisfaction, purchases, order value, intention, NPS
    base = {"digital_young": 2.9, "icbc_middle": 3.4, "affluent": 3.7, "retiree": 3.5, "general": 3.3}[seg]
    row_shift = {"商品品质": 0.45, "商品种类": -0.7, "价格": -0.45, "物流配送": -0.35, "支付便捷": 0.55,
                 "售后服务": -0.2, "界面体验": -0.5 if not young else -0.8}
    person = rng.gauss(0, 0.45)
    a[12] = {r: int(min(5, max(1, round(base + row_shift[r] + person + rng.gauss(0, 0.6))))) for r in MATRIX_ROWS}
    a[13] = {"digital_young": lambda: _pick(rng, SINGLE[13][1], [28, 55, 13, 3, 1]),
             "icbc_middle": lambda: _pick(rng, SINGLE[13][1], [14, 60, 20, 5, 1]),
             "affluent": lambda: _pick(rng, SINGLE[13][1], [18, 50, 24, 6, 2]),
             "retiree": lambda: _pick(rng, SINGLE[13][1], [22, 55, 17, 5, 1]),
             "general": lambda: _pick(rng, SINGLE[13][1], [20, 55, 19, 5, 1])}[seg]()
    mu = {"digital_young": 5.3, "icbc_middle": 6.6, "affluent": 7.7, "retiree": 5.5, "general": 6.0}[seg]
    if a[13] != "0次":
        a[14] = int(round(min(30000, max(9, rng.lognormvariate(mu, 0.6))), -1 if rng.random() < 0.7 else 0))
    else:
        a[14] = None
    sat = sum(a[12].values()) / len(MATRIX_ROWS)
    nps_mu = 1.9 * sat + 0.4 + (0.6 if a[13] in ("2-3次", "4-6次", "7次及以上") else 0)
    a[16] = int(min(10, max(0, round(rng.gauss(nps_mu, 1.6)))))
    intent = 2.0 + (sat - 3) * 0.9 + (0.6 if a[13] in ("2-3次", "4-6次", "7次及以上") else -0.3) + rng.gauss(0, 0.8)
    a[15] = SINGLE[15][1][int(min(4, max(0, round(4 - intent))))]
    return a


def _ip(rng: random.Random) -> tuple[str, str]:
    prov, cities = rng.choices(PROVINCES, weights=PROVINCE_W, k=1)[0]
    city = rng.choice(cities)
    return f"{rng.randint(1, 223)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}", f"{prov}-{city}"


def generate(n: int = N_DEFAULT, seed: int = SEED) -> tuple[list[str], list[list], list[str], list[list]]:
    """(by-text header, rows, by-number header, rows) of a Wenjuanxing export with ``n`` respondents
    plus about 1.5% exact duplicate submissions."""
    rng = random.Random(seed)
    segs = list(SEGMENTS)
    people = []
    for _ in range(n):
        seg = rng.choices(segs, weights=[SEGMENTS[s] for s in segs], k=1)[0]
        people.append(respondent(rng, seg))
    # straight-liners: some users tick the same column all the way down
    for a in people:
        if a[12] is not None and rng.random() < 0.06:
            v = rng.choice([3, 4, 5, 5])
            a[12] = dict.fromkeys(MATRIX_ROWS, v)
    # duplicates: the same answers submitted again (page refresh / double click)
    dup_src = rng.sample(range(n), k=max(1, n * 15 // 1000))
    shared_ips = [_ip(rng) for _ in range(max(2, n // 400))]
    start = datetime(2017, 3, 6, 9, 0, 0)
    order = list(range(n)) + dup_src
    rows_meta = []
    t = start
    span = timedelta(days=40).total_seconds()
    for k, idx in enumerate(order):
        t = start + timedelta(seconds=span * k / len(order) + rng.uniform(0, 600))
        a = people[idx]
        answered = 1 + (a[9] is not None) * 8 + (a[12] is not None) * 7
        dur = rng.lognormvariate(4.9 + 0.06 * answered, 0.35)
        if rng.random() < 0.045:
            dur = rng.uniform(12, 0.2 * 200 + 0.6 * answered)  # speeders
        ip = _ip(rng) if rng.random() > 0.025 else rng.choice(shared_ips)
        if k >= n:  # a duplicate comes from the same device shortly after
            ip = rows_meta[idx][2]
        src = rng.choices(["手机提交", "链接", "微信"], weights=[60, 25, 15], k=1)[0]
        detail = {"手机提交": "微信", "链接": "直接访问", "微信": "微信"}[src]
        rows_meta.append((t, int(dur), ip, src, detail))
    # sort submissions by time, as exported
    order_ix = sorted(range(len(order)), key=lambda k: rows_meta[k][0])
    text_header, num_header = _headers()
    text_rows, num_rows = [], []
    for serial, k in enumerate(order_ix, start=1):
        a = people[order[k]]
        t, dur, (ipaddr, place), src, detail = rows_meta[k][0], rows_meta[k][1], rows_meta[k][2], *rows_meta[k][3:]
        meta = [serial, t.strftime("%Y/%m/%d %H:%M:%S"), f"{dur}秒", src, detail, f"{ipaddr}({place})"]
        comment = _comment(rng, a)
        text_rows.append(meta + _text_answers(rng, a, comment))
        num_rows.append(meta[:1] + meta[1:] + _number_answers(a, comment))
    return text_header, text_rows, num_header, num_rows


def _comment(rng: random.Random, a: dict) -> str | None:
    if a[9] is None or rng.random() < 0.55:
        return None
    return rng.choice(COMMENTS)


def _headers() -> tuple[list[str], list[str]]:
    text = list(META)
    num = list(META)
    for q in range(1, 19):
        if q in SINGLE:
            text.append(SINGLE[q][0])
            num.append(SINGLE[q][0])
        elif q in MULTI:
            text.append(MULTI[q][0] + " (多选题)")
            num.extend(f"第{q}题({o})" for o in MULTI[q][1])
        elif q == 12:
            cols = [f"{MATRIX_TITLE}—{MATRIX_ROWS[0]}", *MATRIX_ROWS[1:]]
            text.extend(cols)
            num.extend(cols)
        elif q == 14:
            text.append(Q14 + " (填空题)")
            num.append(Q14 + " (填空题)")
        elif q == 16:
            text.append(Q16)
            num.append(Q16)
        elif q == 18:
            text.append(Q18 + " (填空题)")
            num.append(Q18 + " (填空题)")
    return text, num


OTHER_TEXT = {3: ["销售", "教师", "医生", "农民"], 9: ["朋友圈文章", "银行短信", "信用卡账单"], 7: ["网易严选", "当当"]}


def _text_answers(rng: random.Random, a: dict, comment: str | None) -> list:
    out: list = []
    for q in range(1, 19):
        v = a.get(q)
        if q in SINGLE:
            if v is None:
                out.append("(跳过)")
            elif v == "其他" and q in OTHER_TEXT and rng.random() < 0.6:
                out.append(f"其他〖{rng.choice(OTHER_TEXT[q])}〗")
            else:
                out.append(v)
        elif q in MULTI:
            if v is None:
                out.append("(跳过)")
            else:
                parts = [f"其他〖{rng.choice(OTHER_TEXT[q])}〗" if (o == "其他" and q in OTHER_TEXT) else o for o in v]
                out.append("┋".join(parts))
        elif q == 12:
            out.extend(["(跳过)"] * 7 if v is None else [f"{v[r]}分" for r in MATRIX_ROWS])
        elif q == 14:
            out.append("(跳过)" if v is None and a[13] is None else ("(空)" if v is None else str(v)))
        elif q == 16:
            out.append("(跳过)" if v is None else f"{v}分")
        elif q == 18:
            out.append("(跳过)" if a[9] is None else (comment or "(空)"))
    return out


def _number_answers(a: dict, comment: str | None) -> list:
    out: list = []
    for q in range(1, 19):
        v = a.get(q)
        if q in SINGLE:
            out.append(-3 if v is None else SINGLE[q][1].index(v) + 1)
        elif q in MULTI:
            out.extend([-3] * len(MULTI[q][1]) if v is None else [int(o in v) for o in MULTI[q][1]])
        elif q == 12:
            out.extend([-3] * 7 if v is None else [v[r] for r in MATRIX_ROWS])
        elif q == 14:
            out.append(-3 if v is None and a[13] is None else ("(空)" if v is None else v))
        elif q == 16:
            out.append(-3 if v is None else v + 1)  # Wenjuanxing numbers a 0–10 scale's options 1..11
        elif q == 18:
            out.append(-3 if a[9] is None else (comment or "(空)"))
    return out


def write_xlsx(path: Path, header: list[str], rows: list[list]) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Sheet1")
    ws.append(header)
    for r in rows:
        ws.append(r)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=N_DEFAULT, help="respondents before duplicates")
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--out", type=Path, default=HERE, help="folder for the two .xlsx files")
    ap.add_argument("--store", action="store_true",
                    help="also store the by-text file in the default workspace's data/ and make it active")
    args = ap.parse_args(argv)
    th, tr, nh, nr = generate(args.n, args.seed)
    text_path = args.out / "easymall_survey_2017_by_text.xlsx"
    num_path = args.out / "easymall_survey_2017_by_number.xlsx"
    write_xlsx(text_path, th, tr)
    write_xlsx(num_path, nh, nr)
    print(f"{len(tr)} respondents → {text_path} and {num_path}")
    if args.store:
        from easymall.store import Workspace, default_workspace_path
        from easymall.survey.datasets import store_dataset

        ws = Workspace(default_workspace_path())
        stored, _ = store_dataset(ws, text_path.name, text_path.read_bytes(), author="sample_data", activate=True)
        print(f"stored as {stored.name} in {ws.root / 'data'} (active)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
