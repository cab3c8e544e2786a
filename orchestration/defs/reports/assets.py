"""The report's charts, drawn again from the published warehouse."""

import dagster as dg

from orchestration.lib.charts import write_reports
from orchestration.lib.conventions import OWNERS, PUBLISHED_KEY
from orchestration.lib.warehouse import WarehouseResource


@dg.asset(
    key=dg.AssetKey(["reports", "charts"]),
    description=(
        "The report's Charts 01-04 (projects and money by domain, 2017 and 2018) regenerated"
        " from the published marts, in Arabic, French and English: one SVG per chart and"
        " `warehouse/reports/index.html` with the charts and their tables."
    ),
    group_name="reports",
    kinds={"python", "html", "svg"},
    owners=OWNERS,
    deps=[PUBLISHED_KEY],
)
def report_charts(warehouse: WarehouseResource) -> dg.MaterializeResult:
    settings = warehouse.settings
    files = write_reports(settings.published_database, settings.warehouse_dir / "reports")
    return dg.MaterializeResult(
        metadata={
            "index": dg.MetadataValue.path(str(files[0])),
            "files": len(files),
        }
    )
