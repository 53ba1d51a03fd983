"""One builder per slide key: each reads the :class:`~easymall.deck.context.Context` and returns a
:class:`~easymall.deck.slide.Slide` whose title states the finding, whose figures come from the same
:mod:`easymall.charts` functions the pages use, and whose notes carry the numbers behind them."""
from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd

from easymall.charts import overview as ov_charts
from easymall.charts import segments as seg_charts
from easymall.charts import strategy as st_charts
from easymall.charts import survey as sv_charts
from easymall.charts import swot as sw_charts
from easymall.core.text import shorten
from easymall.deck.context import Context
from easymall.deck.slide import Slide
from easymall.overview.view import fact_value, kpi_value, market_cards, problem_views
from easymall.scenario import view as cv
from easymall.store import workspace_label
from easymall.stp import view as tv
from easymall.swot import view as sv

Builder = Callable[[Context], Slide]


def _plain(text: str) -> str:
    """A sentence without its markdown emphasis."""
    return re.sub(r"\*\*(.+?)\*\*", r"\1", text)


def _head(text: str) -> str:
    """The part of an item's text before its colon (its headline)."""
    return re.split(r"[:：]", text, maxsplit=1)[0].strip()


def _item(c: Context, label: object, text: object) -> str:
    """``label: text`` with the language's colon (full width in Chinese)."""
    return c.tr("deck.item", label=label, text=text)


def _noted(c: Context, text: object, note: object) -> str:
    """``text (note)`` with the language's brackets (full width in Chinese)."""
    return c.tr("deck.noted", text=text, note=note)


def _missing(c: Context, key: str, what: str) -> Slide:
    """The slide of a document or dataset that is missing: it says so."""
    return Slide(key=key, title=c.tr(f"deck.{key}.name") + " — " + c.tr("deck.missing_title"),
                 bullets=(c.tr(f"deck.missing.{what}"),), notes=c.tr(f"deck.missing.{what}"), missing=True)


# --------------------------------------------------------------------------- opening


def title(c: Context) -> Slide:
    snapshot = []
    if c.dataset is not None:
        snapshot.append(c.tr("deck.title.survey", name=c.dataset_name, n=c.fmt(c.dataset.n, "count")))
    else:
        snapshot.append(c.tr("deck.missing.survey"))
    revs = [c.tr("deck.title.revision", doc=c.tr(f"deck.doc.{name}"), rev=doc.revision)
            for name in ("market", "swot", "stp", "marketing", "scenarios")
            if (doc := c.doc(name)) is not None]
    snapshot.append(c.tr("deck.title.revisions", revisions=c.join(revs)))
    snapshot.append(c.tr("deck.title.date", date=c.today.isoformat()))
    year = c.market.as_of if c.market is not None else 2017
    return Slide(key="title", title=c.tr("deck.title.title", year=year), bullets=tuple(snapshot),
                 notes="\n".join(snapshot),
                 sources=(c.tr("deck.source.workspace", name=workspace_label(c.ws, c.lang)),))


def summary(c: Context) -> Slide:
    bullets = []
    k = c.kpis
    if "usage" in k and "repurchase_rate" in k:
        bullets.append(c.tr("deck.summary.survey", usage=c.fmt(k["usage"].value, "share"),
                            repurchase=c.fmt(k["repurchase_rate"].value, "share"), n=c.fmt(c.dataset.n, "count")))
    else:
        bullets.append(c.tr("deck.missing.survey"))
    cell = sv.ie_of(c.swot) if c.swot is not None else None
    if cell is not None:
        bullets.append(c.tr("deck.summary.ie", cell=cell.roman, prescription=c.tr(f"swot.ie.{cell.prescription}")))
    q = c.qspm
    winner = q.winners[0] if q is not None and q.winners else None
    if winner:
        key = "deck.summary.qspm_tie" if q.tie else "deck.summary.qspm"
        bullets.append(c.tr(key, id=winner, text=c.txt(c.swot.strategy(winner).text),
                            tas=c.fmt(q.totals[winner], "score"), tied=", ".join(q.tied),
                            margin=f"{q.margin or 0:.2f}"))
    if c.stp is not None:
        targets = [c.segment_names[s.id] for s in c.stp.targets()]
        bullets.append(c.tr("deck.summary.targets", n=len(targets), names=c.join(targets)))
    if c.baseline is not None and c.bands is not None:
        lo, _, hi = c.bands.summary["profit_total"]
        bullets.append(c.tr("deck.summary.profit", profit=c.fmt(c.baseline.summary["profit_total"], "yuan"),
                            months=len(c.baseline.months), p10=c.fmt(lo, "yuan"), p90=c.fmt(hi, "yuan")))
    title_ = (c.tr("deck.summary.title", prescription=c.tr(f"swot.ie.{cell.prescription}"), id=winner)
              if cell is not None and winner else c.tr("deck.summary.name"))
    return Slide(key="summary", title=title_, bullets=tuple(bullets), notes="\n".join(bullets))


# --------------------------------------------------------------------------- market and problems


def market(c: Context) -> Slide:
    m = c.market
    if m is None:
        return _missing(c, "market", "document")
    d11, wal = m.fact("double11_2016"), m.fact("walmart_cn_sales_2016")
    ratio = d11.value / wal.value if d11.value and wal.value else None
    bullets = tuple(_item(c, c.tr(key), _noted(c, fact_value(f, c.lang), c.tr(f"status.{f.status}")))
                    for f, key in market_cards(m))
    rows = [{c.tr("deck.col.fact"): c.txt(f.label), c.tr("deck.col.value"): fact_value(f, c.lang),
             c.tr("deck.col.year"): str(f.year), c.tr("deck.col.status"): c.tr(f"status.{f.status}")}
            for f in m.facts if f.value is not None][:10]
    notes = "\n".join(_item(c, c.txt(f.label), _noted(c, fact_value(f, c.lang), c.join((f.year, c.tr(f"status.{f.status}")))))
                      + f" — {c.txt(f.source)}" for f in m.facts)
    unverified = sum(f.status != "sourced" for f in m.facts)
    return Slide(key="market", title=c.tr("deck.market.title", ratio=c.fmt(ratio, "share")),
                 bullets=(*bullets, c.tr("deck.market.status", n=unverified, total=len(m.facts))),
                 figures=(ov_charts.double11_vs_walmart(m, c.lang), ov_charts.online_retail(m, c.lang)),
                 table=pd.DataFrame(rows), notes=notes,
                 sources=tuple(dict.fromkeys(c.txt(f.source) for f in m.facts)))


def problems(c: Context) -> Slide:
    if c.market is None:
        return _missing(c, "problems", "document")
    views = problem_views(c.ws, c.market)
    if not views or not views[0].dataset_name:
        claims = tuple(_item(c, c.txt(v.problem.title), c.txt(v.problem.claim)) for v in views)
        return Slide(key="problems", title=c.tr("deck.problems.name") + " — " + c.tr("deck.missing_title"),
                     bullets=(c.tr("deck.missing.survey"), *claims), notes=c.tr("deck.missing.survey"), missing=True)
    bullets, rows, notes = [], [], []
    for v in views:
        parts = []
        for kpi in v.kpis:
            value = kpi_value(kpi.id, kpi.value, kpi.unit, c.lang)
            ci = c.tr("deck.ci", n=c.fmt(kpi.n, "count"), low=kpi_value(kpi.id, kpi.low, kpi.unit, c.lang),
                      high=kpi_value(kpi.id, kpi.high, kpi.unit, c.lang))
            parts.append(f"{c.tr(f'kpi.{kpi.id}')} {value}")
            rows.append({c.tr("deck.col.problem"): c.txt(v.problem.title), c.tr("deck.col.kpi"): c.tr(f"kpi.{kpi.id}"),
                         c.tr("deck.col.value"): value, c.tr("deck.col.interval"): ci})
            notes.append(_item(c, f"{c.txt(v.problem.title)} · {c.tr(f'kpi.{kpi.id}')}", _noted(c, value, ci)))
        bullets.append(_item(c, c.txt(v.problem.title), c.tr("deck.parts").join(parts)))
    k = c.kpis
    title_ = c.tr("deck.problems.title", usage=c.fmt(k["usage"].value, "share"),
                  repurchase=c.fmt(k["repurchase_rate"].value, "share")) if "usage" in k and "repurchase_rate" in k \
        else c.tr("deck.problems.name")
    figures = (sv_charts.funnel(k, c.lang),) if k else ()
    return Slide(key="problems", title=title_, bullets=tuple(bullets), figures=figures, table=pd.DataFrame(rows),
                 notes="\n".join(notes), sources=(c.tr("deck.source.survey", name=views[0].dataset_name,
                                                       n=c.fmt(views[0].n, "count")),))


# --------------------------------------------------------------------------- SWOT


def swot(c: Context) -> Slide:
    d = c.swot
    if d is None:
        return _missing(c, "swot", "document")
    top = {q: max(getattr(d, q), key=lambda i: i.weight, default=None) for q in sv.QUADRANTS}
    bullets = tuple(_item(c, _noted(c, c.tr(f"swot.q.{q}"), len(getattr(d, q))), shorten(c.txt(i.text), 90))
                    for q, i in top.items() if i is not None)
    notes = "\n".join(_item(c, c.tr(f"swot.q.{q}"), c.tr("deck.parts").join(
        c.tr("deck.swot.factor", id=i.id, weight=c.fmt(i.weight, "score"), rating=i.rating) for i in getattr(d, q)))
        for q in sv.QUADRANTS)
    s, w = top["strengths"], top["weaknesses"]
    title_ = c.tr("deck.swot.title", strength=_head(shorten(c.txt(s.text), 60)),
                  weakness=_head(shorten(c.txt(w.text), 60))) if s and w else c.tr("deck.swot.name")
    return Slide(key="swot", title=title_, figures=(sw_charts.quadrant_chart(d, c.lang, projector=True),),
                 notes="\n".join(bullets) + "\n" + notes, sources=(c.tr("deck.source.doc", doc="swot.yaml", rev=d.revision),))


def ife_efe(c: Context) -> Slide:
    d = c.swot
    if d is None:
        return _missing(c, "ife_efe", "document")
    ife, efe, cell = sv.ife_table(d), sv.efe_table(d), sv.ie_of(d)
    if cell is None:
        return Slide(key="ife_efe", title=c.tr("deck.ife_efe.name"), bullets=(c.tr("swot.ie_unavailable"),),
                     missing=True, notes=c.tr("swot.ie_unavailable"))
    presc = c.tr(f"swot.ie.{cell.prescription}")
    bullets = (c.tr("deck.ife_efe.ife", total=c.fmt(ife.total, "score"), n=len(ife.rows)),
               c.tr("deck.ife_efe.efe", total=c.fmt(efe.total, "score"), n=len(efe.rows)),
               c.tr("deck.ife_efe.cell", cell=cell.roman, prescription=presc))
    rows = [{c.tr("deck.col.matrix"): tb.kind, c.tr("deck.col.factors"): len(tb.rows),
             c.tr("deck.col.weights"): c.fmt(tb.weight_sum, "score"), c.tr("deck.col.total"): c.fmt(tb.total, "score")}
            for tb in (ife, efe)]
    return Slide(key="ife_efe", title=c.tr("deck.ife_efe.title", ife=c.fmt(ife.total, "score"), efe=c.fmt(efe.total, "score"),
                                           cell=cell.roman, prescription=presc),
                 bullets=bullets, figures=(sw_charts.ie_chart(ife.total, efe.total, cell, c.lang),),
                 table=pd.DataFrame(rows), notes="\n".join(bullets),
                 sources=(c.tr("deck.source.david"),))


def space(c: Context) -> Slide:
    d = c.swot
    if d is None:
        return _missing(c, "space", "document")
    res, problem = sv.space_of(d, c.lang)
    if res is None:
        return Slide(key="space", title=c.tr("deck.space.name"), bullets=(problem,), notes=problem, missing=True)
    quadrant = c.tr(f"swot.space.{res.quadrant}") if res.quadrant else c.tr("swot.space.on_axis")
    quadrant = quadrant.lower() if c.lang == "en" else quadrant
    bullets = (c.tr("deck.space.vector", x=c.fmt(res.x, "score", signed=True), y=c.fmt(res.y, "score", signed=True)),
               c.tr("deck.space.dims", fp=c.fmt(res.fp, "score", signed=True), ip=c.fmt(res.ip, "score", signed=True), sp=c.fmt(res.sp, "score", signed=True),
                    cp=c.fmt(res.cp, "score", signed=True)))
    if res.quadrant:
        bullets += (c.tr(f"swot.space.{res.quadrant}.meaning"),)
    return Slide(key="space", title=c.tr("deck.space.title", x=c.fmt(res.x, "score", signed=True), y=c.fmt(res.y, "score", signed=True), quadrant=quadrant),
                 bullets=bullets, figures=(sw_charts.space_chart(res, c.lang),), notes="\n".join(bullets),
                 sources=(c.tr("deck.source.david"),))


def tows(c: Context) -> Slide:
    d = c.swot
    if d is None:
        return _missing(c, "tows", "document")
    matrix = sv.tows_matrix(d)
    rows = [{c.tr("deck.col.type"): c.tr(f"swot.tows.{stype}"), "ID": s.id,
             c.tr("deck.col.strategy"): shorten(c.txt(s.text), 110),
             c.tr("deck.col.priority"): c.tr(f"swot.priority.{s.priority}")}
            for stype in sv.TOWS_TYPES for s in matrix[stype]]
    high = [s.id for s in d.strategies if s.priority == "high"]
    bullets = tuple(_item(c, c.tr(f"swot.tows.{stype}"), len(matrix[stype])) for stype in sv.TOWS_TYPES)
    notes = "\n".join(_item(c, _noted(c, s.id, c.join((s.type, c.tr(f"swot.priority.{s.priority}")))), c.txt(s.text))
                      + f" — {c.join(s.pairs)}" for s in d.strategies)
    return Slide(key="tows", title=c.tr("deck.tows.title", n=len(d.strategies), high=c.join(high) or "—"),
                 bullets=bullets, table=pd.DataFrame(rows), notes=notes, sources=(c.tr("deck.source.weihrich"),))


def qspm(c: Context) -> Slide:
    q = c.qspm
    if q is None or not q.strategies:
        return _missing(c, "qspm", "document")
    ranked = sorted(q.strategies, key=lambda s: q.totals[s], reverse=True)
    win = ranked[0]
    bullets = tuple(_item(c, f"{sid} · {shorten(c.txt(c.swot.strategy(sid).text), 80)}", c.fmt(q.totals[sid], "score"))
                    for sid in ranked)
    runner = ranked[1] if len(ranked) > 1 else win
    return Slide(key="qspm", title=c.tr("deck.qspm.title_tie" if q.tie else "deck.qspm.title", id=win, tas=c.fmt(q.totals[win], "score"), runner=runner,
                                        runner_tas=c.fmt(q.totals[runner], "score")),
                 bullets=bullets, figures=(sw_charts.qspm_chart(q, sv.strategy_texts(c.swot, c.lang), c.lang),),
                 table=sv.qspm_frame(q, c.lang), notes="\n".join(bullets), sources=(c.tr("deck.source.david"),))


# --------------------------------------------------------------------------- STP


def segments(c: Context) -> Slide:
    if c.stp is None:
        return _missing(c, "segments", "document")
    an, names = c.stp_analysis, c.segment_names
    ge = an.ge
    if c.dataset is None or ge["n"].isna().all():
        return Slide(key="segments", title=c.tr("deck.segments.name") + " — " + c.tr("deck.missing_title"),
                     bullets=(c.tr("deck.missing.survey"), *names.values()), notes=c.tr("deck.missing.survey"),
                     missing=True)
    sizes = [int(n) if n == n else 0 for n in ge["n"]]
    ids = list(ge["segment"])
    fig = seg_charts.sizes_figure([names[i] for i in ids], sizes, c.lang)
    rows, notes = [], []
    for sid, n, share, target in zip(ids, sizes, ge["size"], ge["target"], strict=True):
        seg = c.stp.segment(sid)
        rows.append({c.tr("deck.col.segment"): names[sid], "n": c.fmt(n, "count"),
                     c.tr("deck.col.share"): c.fmt(share, "share"),
                     c.tr("deck.col.target"): c.tr("deck.yes") if target else "",
                     c.tr("deck.col.profile"): shorten(c.txt(seg.description), 90) if seg.description else ""})
        notes.append(_item(c, names[sid], _noted(c, f"n = {c.fmt(n, 'count')}", c.fmt(share, "share"))))
    biggest = ids[sizes.index(max(sizes))]
    bullets = tuple(_item(c, names[sid], shorten(c.txt(c.stp.segment(sid).description), 110))
                    for sid in ids if c.stp.segment(sid).description)
    return Slide(key="segments", title=c.tr("deck.segments.title", n=len(ids), biggest=names[biggest],
                                            share=c.fmt(ge["size"][ids.index(biggest)], "share")),
                 bullets=bullets, figures=(fig,), table=pd.DataFrame(rows), notes="\n".join(notes),
                 sources=(c.tr("deck.source.survey", name=c.dataset_name, n=c.fmt(c.dataset.n, "count")),))


def ge(c: Context) -> Slide:
    if c.stp is None:
        return _missing(c, "ge", "document")
    an, names = c.stp_analysis, c.segment_names
    targets = [s.id for s in c.stp.targets()]
    table = tv.ge_rows(an, names, c.lang)
    top = table.iloc[0]
    bullets = tuple(_item(c, r["name"], c.tr("deck.ge.scores", a=c.fmt(r.attractiveness, "score"),
                                             s=c.fmt(r.strength, "score")) + f" · {r['zone']}") for _, r in table.iterrows())
    shown = pd.DataFrame({c.tr("deck.col.segment"): table["name"],
                          c.tr("deck.col.attractiveness"): [c.fmt(x, "score") for x in table["attractiveness"]],
                          c.tr("deck.col.strength"): [c.fmt(x, "score") for x in table["strength"]],
                          c.tr("deck.col.zone"): table["zone"]})
    return Slide(key="ge", title=c.tr("deck.ge.title", top=top["name"], n=len(targets)),
                 bullets=bullets, figures=(seg_charts.ge_figure(an.ge, names, c.lang, highlight=targets),),
                 table=shown, notes="\n".join(bullets), sources=(c.tr("deck.source.ge"),))


def positioning(c: Context) -> Slide:
    if c.stp is None:
        return _missing(c, "positioning", "document")
    attrs = tv.attribute_labels(c.stp, c.lang)
    ids = list(attrs)
    xi, yi = tv.map_axes(c.stp)
    x, y = ids[xi], ids[yi]
    pts = tv.map_points(c.stp, c.dataset, x, y, c.lang)
    fig = seg_charts.perceptual_figure(pts, attrs[x], attrs[y], c.lang, c.tr("segments.chart_map", x=attrs[x], y=attrs[y]))
    statements = tuple(_plain(s) for seg in c.stp.targets() if (s := tv.statement_sentence(c.stp, seg.id, c.lang)))
    notes = "\n".join(_item(c, r["label"], c.join((f"{attrs[x]} {c.fmt(r['x'], 'score')}", f"{attrs[y]} {c.fmt(r['y'], 'score')}")))
                      for _, r in pts.iterrows())
    em = pts[pts["id"] == "easy_mall"]
    title_ = (c.tr("deck.positioning.title", x=attrs[x], y=attrs[y], xv=c.fmt(em['x'].iloc[0], "score"),
                   yv=c.fmt(em['y'].iloc[0], "score")) if len(em) else c.tr("deck.positioning.name"))
    return Slide(key="positioning", title=title_, bullets=statements or (c.tr("segments.no_targets"),),
                 figures=(fig,), notes=notes, sources=(c.tr("deck.source.doc", doc="stp.yaml", rev=c.stp.revision),))


# --------------------------------------------------------------------------- the plan


def mix(c: Context) -> Slide:
    m = c.marketing
    if m is None:
        return _missing(c, "mix", "document")
    costs = cv.group_costs(m)
    total = sum(costs.values())
    top = max(costs, key=costs.get)
    bullets = tuple(_item(c, c.tr(f"strategy.group.{g}"), cv.budget(v, c.lang)) for g, v in costs.items())
    rows = [{c.tr("deck.col.group"): c.tr(f"strategy.group.{a.group}"), c.tr("deck.col.action"): c.txt(a.title),
             c.tr("deck.col.budget"): cv.budget(a.cost, c.lang), "TOWS": a.strategy or ""} for a in m.actions]
    return Slide(key="mix", title=c.tr("deck.mix.title", total=cv.budget(total, c.lang),
                                       group=c.tr(f"strategy.group.{top}"), amount=cv.budget(costs[top], c.lang)),
                 bullets=bullets, table=pd.DataFrame(rows), notes="\n".join(bullets),
                 sources=(c.tr("deck.source.doc", doc="marketing.yaml", rev=m.revision),))


def scenarios(c: Context) -> Slide:
    results, names = c.compared
    if not results:
        return _missing(c, "scenarios", "document")
    profits = [r.summary["profit_total"] or 0.0 for r in results]
    best = max(range(len(results)), key=profits.__getitem__)
    months = len(results[0].months)
    figs = (st_charts.scenario_lines(results, names, "cumulative_profit", c.lang, dashed_first=True),
            st_charts.profit_bars(profits, names, c.lang, months=months))
    notes = "\n".join(_item(c, n, c.tr("deck.parts").join((f"{c.tr('strategy.kpi.profit')} {c.fmt(p, 'yuan')}",
                                                            f"{c.tr('strategy.kpi.active_users')} "
                                                            f"{c.fmt(r.summary['active_users_end'], 'people')}")))
                      for r, n, p in zip(results, names, profits, strict=True))
    return Slide(key="scenarios", title=c.tr("deck.scenarios.title", best=names[best], profit=c.fmt(profits[best], "yuan"),
                                             months=months, baseline=c.fmt(profits[0], "yuan")),
                 bullets=tuple(notes.splitlines()), figures=figs, table=cv.comparison_table(results, names, c.lang),
                 notes=notes,
                 sources=(c.tr("deck.source.doc", doc="scenarios.yaml", rev=c.scenarios.revision),))


def sensitivity(c: Context) -> Slide:
    if c.model is None:
        return _missing(c, "sensitivity", "document")
    # the same ranges as the risk slide's bands (and the Strategy page's tornado)
    bars = cv.tornado(c.model, {}, "cumulative_profit", None, ranges="uncertainty")
    labels = cv.lever_labels(c.model, c.lang)
    fig = st_charts.tornado(bars, labels, "cumulative_profit", "yuan", c.lang, ranges="uncertainty")
    lines = tuple(_item(c, _noted(c, labels[b.lever], f"{cv.input_value(c.model, b.lever, b.low_value, c.lang)}–"
                                                   f"{cv.input_value(c.model, b.lever, b.high_value, c.lang)}"),
                        f"{c.fmt(b.at_low, 'yuan')} … {c.fmt(b.at_high, 'yuan')}") for b in bars[:6])
    b = bars[0]
    return Slide(key="sensitivity", title=c.tr("deck.sensitivity.title", lever=labels[b.lever],
                                               low=c.fmt(min(b.at_low, b.at_high), "yuan"),
                                               high=c.fmt(max(b.at_low, b.at_high), "yuan")),
                 bullets=lines[:4], figures=(fig,), notes="\n".join(lines), sources=(c.tr("deck.source.model"),))


def risk(c: Context) -> Slide:
    if c.model is None:
        return _missing(c, "risk", "document")
    b = c.bands
    lo, mid, hi = b.summary["profit_total"]
    month = cv.goal_month(c.model.horizon)
    g = cv.goal_seek(c.model, cv.GOAL_LEVER, "active_users", cv.GOAL_TARGET, month=month, levers={})
    answer = cv.goal_answer(c.model, g, c.lang)
    xs, ys = cv.sweep(c.model, {}, cv.GOAL_LEVER, "active_users", month)
    figs = (st_charts.bands(b, "active_users", c.lang, c.baseline),
            st_charts.goal_curve(xs, ys, g.target, answer.lever_label, answer.lever_unit, answer.metric, answer.unit,
                                 c.lang, found=g.value))
    table = cv.bands_table(b, c.lang)
    bullets = (c.tr("deck.risk.profit", p10=c.fmt(lo, "yuan"), p50=c.fmt(mid, "yuan"), p90=c.fmt(hi, "yuan")),
               c.tr("deck.risk.draws", draws=c.fmt(b.draws, "count"), seed=b.seed), _plain(answer.text))
    notes = "\n".join([*bullets, *(" · ".join(str(v) for v in r.values) for _, r in table.iterrows())])
    return Slide(key="risk", title=c.tr("deck.risk.title", p10=c.fmt(lo, "yuan"), p90=c.fmt(hi, "yuan")),
                 bullets=bullets, figures=figs, table=table, notes=notes, sources=(c.tr("deck.source.model"),))


def decisions(c: Context) -> Slide:
    bullets = []
    q = c.qspm
    if q is not None and q.winners:
        w = q.winners[0]
        bullets.append(c.tr("deck.decisions.strategy_tie" if q.tie else "deck.decisions.strategy", id=w,
                            text=shorten(c.txt(c.swot.strategy(w).text), 100), tied=", ".join(q.tied)))
    if c.stp is not None:
        bullets.append(c.tr("deck.decisions.targets", names=c.join(c.segment_names[s.id] for s in c.stp.targets())))
    if c.marketing is not None:
        bullets.append(c.tr("deck.decisions.budget", total=cv.budget(sum(cv.group_costs(c.marketing).values()), c.lang)))
    results, names = c.compared
    if len(results) > 1:
        best = max(range(len(results)), key=lambda i: results[i].summary["profit_total"] or 0.0)
        bullets.append(c.tr("deck.decisions.scenario", name=names[best]))
    if c.bands is not None:
        bullets.append(c.tr("deck.decisions.risk", p10=c.fmt(c.bands.summary["profit_total"][0], "yuan")))
    return Slide(key="decisions", title=c.tr("deck.decisions.title", n=len(bullets)), bullets=tuple(bullets),
                 notes="\n".join(bullets))


def appendix(c: Context) -> Slide:
    bullets = [c.tr("deck.appendix.frameworks"), c.tr("deck.appendix.intervals"),
               c.tr("deck.appendix.model", draws=c.fmt(cv.DEFAULT_DRAWS, "count"), seed=cv.DEFAULT_SEED)]
    if c.dataset is not None:
        bullets.insert(0, c.tr("deck.source.survey", name=c.dataset_name, n=c.fmt(c.dataset.n, "count")))
    sources = tuple(dict.fromkeys(c.txt(f.source) for f in c.market.facts)) if c.market is not None else ()
    n_facts = len(c.market.facts) if c.market is not None else 0
    unverified = sum(f.status != "sourced" for f in c.market.facts) if c.market is not None else 0
    return Slide(key="appendix", title=c.tr("deck.appendix.title", n=n_facts, unverified=unverified),
                 bullets=(*bullets, *sources[:8]), notes="\n".join((*bullets, *sources)), sources=sources)


BUILDERS: dict[str, Builder] = {
    "title": title, "summary": summary, "market": market, "problems": problems, "swot": swot, "ife_efe": ife_efe,
    "space": space, "tows": tows, "qspm": qspm, "segments": segments, "ge": ge, "positioning": positioning,
    "mix": mix, "scenarios": scenarios, "sensitivity": sensitivity, "risk": risk, "decisions": decisions,
    "appendix": appendix,
}
