"""The one dbt translator: how dbt's models, sources and tests become Dagster assets and checks."""

from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings

from orchestration.lib.conventions import OWNERS


class GrantsDbtTranslator(DagsterDbtTranslator):
    """Keys are `[schema, name]` for models and sources alike, so `raw.domain_grants` (a dbt
    source) is the asset the seed loader materializes, and `marts.mart_domain_year` is the table
    a BI user queries. Groups follow the schema: raw, staging, marts."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return dbt_resource_props["schema"]

    def get_owners(self, dbt_resource_props: Mapping[str, Any]) -> list[str]:
        return OWNERS


translator = GrantsDbtTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))
