"""AppTest of the Overview page's render(): the four problems say why they are blank (issue 13)."""
from __future__ import annotations

from pathlib import Path

from easymall.store import Workspace
from easymall.survey import datasets
from tests.app.helpers import open_page, plain


def test_an_active_dataset_without_easy_mall_roles_is_explained_with_a_link(ws_path: Path) -> None:
    at = open_page("overview", "zh")
    assert not at.exception and not at.warning            # the sample survey measures every problem
    assert {"知晓率", "复购率"} <= {m.label for m in at.metric}
    csv = ("Q1,Q2\n" + "\n".join(f"{'是' if i % 2 else '否'},{i % 5 + 1}" for i in range(20)) + "\n").encode()
    datasets.store_dataset(Workspace(ws_path), "其他问卷.csv", csv, author="王经理")
    at.run()
    assert not at.exception
    (warning,) = at.warning
    assert "当前数据集 其他问卷.csv 尚未映射融e购指标角色" in plain(warning.value)
    kpi_labels = {"知晓率", "复购率", "平均客单价", "经网点员工推荐而来"}
    assert not kpi_labels & {m.label for m in at.metric}  # no KPI pretends to measure (the market cards stay)
    links = [e for e in at.get("page_link")]
    assert links and "问卷调研" in links[0].proto.label
