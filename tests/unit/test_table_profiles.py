"""The row counts and previews of dbt's models, read back from dbt's JSON log file while dbt
writes it (orchestration/lib/dbt/table_profiles.py)."""

import json

from orchestration.lib.dbt.table_profiles import LOG_FILE_NAME, TableProfiles, log_arguments

NODE = "model.grants_warehouse.mart_domain_year"


def logged(node: str, message: str) -> str:
    event = {
        "info": {"name": "JinjaLogInfo", "msg": message},
        "data": {"node_info": {"unique_id": node}},
    }
    return json.dumps(event) + "\n"


def result_event(node: str) -> dict:
    return {"info": {"name": "LogModelResult"}, "data": {"node_info": {"unique_id": node}}}


def profile(rows: int) -> str:
    return json.dumps(
        {"grants_table_profile": {"row_count": rows, "columns": ["period"], "rows": [["2017"]]}}
    )


def test_a_model_result_carries_the_profile_its_post_hook_logged(tmp_path):
    log_arguments(tmp_path)
    profiles = TableProfiles(tmp_path)
    log = tmp_path / LOG_FILE_NAME
    log.write_text(
        logged("model.grants_warehouse.dim_domain", profile(4)) + logged(NODE, "not json")
    )
    assert profiles.of_result(result_event(NODE)) is None  # a plain log line is no profile
    with log.open("a") as handle:
        handle.write(logged(NODE, profile(8)))
        handle.write(logged(NODE, profile(9))[:40])  # a line dbt has not finished writing
    metadata = profiles.of_result(result_event(NODE))
    assert metadata is not None and metadata["dagster/row_count"] == 8
    assert profiles.of_result(result_event(NODE)) is None  # each profile is handed over once
    assert (
        profiles.of_result(result_event("model.grants_warehouse.dim_domain"))["dagster/row_count"]
        == 4
    )


def test_the_log_file_of_an_earlier_build_is_never_read(tmp_path):
    (tmp_path / LOG_FILE_NAME).write_text(logged(NODE, profile(8)))
    arguments = log_arguments(tmp_path)
    assert arguments == [
        "--log-path",
        str(tmp_path),
        "--log-format-file",
        "json",
        "--log-level-file",
        "info",
    ]
    assert TableProfiles(tmp_path).of_result(result_event(NODE)) is None
