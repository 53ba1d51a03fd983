"""Strategy timings: one deterministic run, 1,000 Monte Carlo draws, a slider move on the page.

Run with ``make bench``. Exits 1 when a target is missed.

The slider rerun is measured with AppTest (server time, no browser) on a script that renders the
simulator fragment, which is what a slider move reruns in the browser; the whole page rerun (frame
included) is printed for reference.
"""
from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from easymall.store import copy_workspace  # noqa: E402

TARGET_RUN_MS = 5
TARGET_MC_MS = 300
TARGET_SLIDER_MS = 150


def _median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> int:
    from easymall.scenario import model as sc
    from easymall.store import Workspace

    ws = copy_workspace(ROOT, Path(tempfile.mkdtemp()) / "ws")
    os.environ["EASYMALL_WORKSPACE"] = str(ws)
    workspace = Workspace(ws)
    survey = sc.survey_kpis(workspace)
    model = sc.build_model(workspace.load("marketing"), survey.values, survey.dataset)
    levers = {"online_ad_spend": 20, "membership_coverage": 40}
    sc.run(model, levers)
    run_ms = _median_ms(lambda: sc.run(model, levers), 200)
    sc.monte_carlo(model, levers, draws=100)
    mc_ms = _median_ms(lambda: sc.monte_carlo(model, levers, draws=1000), 7)

    from easymall.charts import strategy as charts
    from easymall.scenario import view

    baseline = sc.run(model)

    def fragment_work() -> None:  # what one slider move computes and sends in the browser
        result = sc.run(model, levers, "current")
        view.cards(result, baseline, "en")
        for fig in (charts.scenario_lines([baseline, result], ["b", "c"], "active_users", "en", dashed_first=True),
                    charts.channels(result, "en"), charts.revenue_costs(result, "en"),
                    charts.scenario_lines([baseline, result], ["b", "c"], "cumulative_profit", "en")):
            fig.to_json()

    fragment_work()
    fragment_ms = _median_ms(fragment_work, 20)

    from streamlit.testing.v1 import AppTest

    def slider_moves(at: AppTest) -> float:
        at.run()
        times = []
        for v in (50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150, 45):
            start = time.perf_counter()
            at.slider(key="branch_referrals").set_value(v).run()
            times.append((time.perf_counter() - start) * 1000)
        assert not at.exception, at.exception
        return statistics.median(times[2:])

    # what the browser reruns on a slider move: the simulator fragment (with Streamlit's own overhead)
    fragment_script = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
from easymall.scenario import model as sc
from easymall.ui.context import workspace
import pages.strategy as page
ws = workspace()
model = sc.build_model(ws.load_safe("marketing").doc)
page._simulator(model, sc.run(model), ws.load_safe("scenarios").doc)
"""
    fragment_rerun_ms = slider_moves(AppTest.from_string(fragment_script, default_timeout=120))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["lang"] = "en"
    at.switch_page("pages/strategy.py")
    page_rerun_ms = slider_moves(at)
    rows = [("one deterministic run (36 months)", run_ms, TARGET_RUN_MS),
            ("1,000 Monte Carlo draws", mc_ms, TARGET_MC_MS),
            ("slider move: simulator fragment rerun (AppTest)", fragment_rerun_ms, TARGET_SLIDER_MS),
            ("  model run, cards and 4 figures to JSON, without Streamlit", fragment_ms, None),
            ("  whole page rerun, frame included (AppTest; the browser reruns only the fragment)", page_rerun_ms, None)]
    ok = True
    for name, value, target in rows:
        if target is None:
            print(f"{name}: {value:.1f} ms")
            continue
        flag = "ok" if value < target else "MISSED"
        ok &= value < target
        print(f"{name}: {value:.1f} ms  target < {target} ms  {flag}")
    shutil.rmtree(ws.parent, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
