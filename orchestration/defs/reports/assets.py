"""The report's charts, drawn again from the published warehouse."""

import dagster as dg

from orchestration.lib.charts import write_reports
from orchestration.lib.conventions import OWNERS, PUBLISHED_KEY
from orchestration.lib.fingerprint import record_published_inputs
from orchestration.lib.reconciliation.data_docs import checks_section_html, copy_validation_report
from orchestration.lib.warehouse import WarehouseResource


@dg.asset(
    key=dg.AssetKey(["reports", "charts"]),
    description=(
        "The report's Charts 01-04 (projects and money by domain, 2017 and 2018) regenerated"
        " from the published marts, in Arabic, French and English: one SVG per chart and"
        " `warehouse/reports/index.html` with the charts and their tables, and the checks of the"
        " refresh that published them, linked to their validation report (Great Expectations'"
        " Data Docs, `warehouse/reports/validation/`). Then it records what the warehouse was"
        " built from (`warehouse/.published-inputs`)."
    ),
    group_name="reports",
    kinds={"python", "html", "svg"},
    owners=OWNERS,
    deps=[PUBLISHED_KEY],
)
def report_charts(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    settings = warehouse.settings
    validation = copy_validation_report(
        settings.validation_report_dir, settings.published_validation_report_dir
    )
    checks = (
        checks_section_html(validation.parent, validation.relative_to(settings.reports_dir))
        if validation
        else ""
    )
    files = write_reports(settings.published_database, settings.reports_dir, checks)
    # The last step: the published file and its charts are now what these inputs make, so
    # `make refresh` and the seed sensor's first tick have nothing to do until they change.
    record_published_inputs(settings, warehouse.inputs, context.run_id)
    return dg.MaterializeResult(
        metadata={
            "index": dg.MetadataValue.path(str(files[0])),
            "files": len(files),
            **({"validation_report": dg.MetadataValue.path(str(validation))} if validation else {}),
        }
    )
