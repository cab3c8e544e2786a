"""A register of agreements (`marts.fct_project_grants`) as a 360Giving JSON package, checked
against the standard's own schemas offline (`../shared/standards/360giving/`, no `$ref` fetched).

An agreement without an award date is left out: 360Giving requires the date the award was
decided, and a register row without one is not (yet) an awarded grant. Every other agreement is
in the file, and one the schema rejects (e.g. no recipient identifier) fails the refresh with
its register's file, line and column."""

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any

from orchestration.settings import PROJECT_ROOT

# Imported only where a register is checked: 15 MiB in every process that loads the definitions
# otherwise (the refresh's memory target, `make bench`).
if TYPE_CHECKING:
    import jsonschema_rs
    from jsonschema import Draft202012Validator, FormatChecker, ValidationError

SCHEMA_DIR = PROJECT_ROOT.parent / "shared" / "standards" / "360giving"
GRANT_SCHEMA = "360-giving-schema.json"
PACKAGE_SCHEMA = "360-giving-package-schema.json"
SCHEMA_VERSION = "1.4"
# The register column behind each 360Giving field (the rest are derived from the programme).
FIELD_COLUMNS = {
    "id": "identifier",
    "title": "title",
    "description": "title",
    "currency": "currency",
    "amountAwarded": "amount_awarded",
    "awardDate": "award_date",
    "recipientOrganization.id": "recipient_org_identifier",
    "recipientOrganization.name": "recipient_org_name",
    "fundingOrganization": "programme_id",
    "grantProgramme": "grant_programme_title",
    "beneficiaryLocation": "beneficiary_location_name",
}
# The agreements with what 360Giving says of their programme and funder (the build's marts).
AGREEMENTS_QUERY = """
select g.identifier, g.programme_id, g.period, g.programme_period, g.title,
    g.recipient_org_name, g.recipient_org_identifier, g.domain_code, d.domain_name_en,
    g.beneficiary_location_name, g.amount_awarded, g.currency, g.grant_programme_title,
    g.award_date, g.source_document, g.source_row, p.programme_name_en, f.funder_id,
    f.funder_name_en
from {marts}.fct_project_grants as g
inner join {marts}.dim_programme as p on g.programme_id = p.programme_id
inner join {marts}.dim_funder as f on p.funder_id = f.funder_id
left join {marts}.dim_domain as d
    on g.programme_id = d.programme_id and g.domain_code = d.domain_code
"""


@dataclass(frozen=True)
class Rejection:
    """An agreement the 360Giving schema rejects: which one, the register column, what failed."""

    agreement: Mapping[str, Any]
    column: str
    value: Any
    pointer: str  # where in the grant, e.g. recipientOrganization/0/id
    reason: str  # the schema's words


# What an empty register field reads as.
_EMPTY = (None, "")


def grant(agreement: Mapping[str, Any]) -> dict[str, Any]:
    """One agreement (a row of AGREEMENTS_QUERY) as a 360Giving grant; an empty register field
    is left out, so the schema says when it was required. (Called once per agreement, 10^7
    times for the largest registers: plain statements, no helper calls per field.)"""
    award_date = agreement["award_date"]
    described = {
        "id": agreement["identifier"],
        "title": agreement["title"],
        "description": (
            f"{agreement['title']}. Domain: {agreement['domain_name_en']}."
            f" {agreement['programme_name_en']}, {agreement['period']}."
        ),
        "currency": agreement["currency"],
        "amountAwarded": agreement["amount_awarded"],
        "awardDate": None if award_date is None else award_date.isoformat(),
    }
    described = {key: value for key, value in described.items() if value is not None}
    recipient = {}
    if agreement["recipient_org_identifier"] not in _EMPTY:
        recipient["id"] = agreement["recipient_org_identifier"]
    if agreement["recipient_org_name"] not in _EMPTY:
        recipient["name"] = agreement["recipient_org_name"]
    if recipient:
        described["recipientOrganization"] = [recipient]
    described["fundingOrganization"] = [
        {"id": agreement["funder_id"], "name": agreement["funder_name_en"]}
    ]
    if agreement["grant_programme_title"] not in _EMPTY:
        described["grantProgramme"] = [{"title": agreement["grant_programme_title"]}]
    if agreement["beneficiary_location_name"] not in _EMPTY:
        described["beneficiaryLocation"] = [{"name": agreement["beneficiary_location_name"]}]
    return described


def grant_package(programme_period: str, grants: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    return {
        "title": f"Grant agreements {programme_period}",
        "description": (
            "Partnership agreements of the programme period, from its register of agreements;"
            " amounts in MAD. Agreements without an award date are not included."
        ),
        "version": SCHEMA_VERSION,
        "grants": list(grants),
    }


def rejections(
    package: Mapping[str, Any], agreements: Sequence[Mapping[str, Any]]
) -> list[Rejection]:
    """What the official package schema finds wrong, by agreement (`agreements[i]` is
    `package['grants'][i]`), in the order of the register.

    jsonschema-rs decides whether the package is valid and which grants are not (linear in the
    grants); jsonschema then explains only those, in the words `Rejection` carries."""
    fast = fast_package_validator()
    if fast.is_valid(package):
        return []
    failing: set[int] = set()
    for error in fast.iter_errors(package):
        path = list(error.instance_path)
        if path[:1] != ["grants"] or len(path) == 1:
            raise ValueError(f"360Giving package rejected: {error.message}")
        failing.add(int(path[1]))
    indexes = sorted(failing)
    explained = _explain({**package, "grants": [package["grants"][i] for i in indexes]})
    found = [
        Rejection(agreement, column, agreement.get(column), pointer, reason)
        for position, column, pointer, reason in explained
        for agreement in [agreements[indexes[position]]]
    ]
    if not found:  # the two validators disagree: never publish what one of them rejects
        raise ValueError(f"360Giving package rejected: {next(fast.iter_errors(package)).message}")
    return sorted(found, key=lambda r: (r.agreement["source_row"], r.column))


def _explain(package: Mapping[str, Any]) -> list[tuple[int, str, str, str]]:
    """Each error jsonschema finds in `package`'s grants: (the grant's position, the register
    column behind the field, the field's path in the grant, the schema's words)."""
    found = []
    for error in package_validator().iter_errors(package):
        for cause in _leaves(error):
            path = list(cause.absolute_path)
            if path[:1] != ["grants"] or len(path) == 1:
                raise ValueError(f"360Giving package rejected: {cause.message}")
            inside = [str(step) for step in path[2:]]
            required = cause.validator_value if cause.validator == "required" else None
            if isinstance(required, list) and isinstance(cause.instance, dict):
                inside += [name for name in required if name not in cause.instance]
            named = ".".join(step for step in inside if not step.isdigit())
            column = FIELD_COLUMNS.get(named) or FIELD_COLUMNS.get(named.split(".")[0], "?")
            found.append((int(path[1]), column, "/".join(inside), cause.message))
    return found


def _leaves(error: "ValidationError") -> "Iterable[ValidationError]":
    """The errors under a oneOf/anyOf (the grant's required fields), else the error itself."""
    if not error.context:
        yield error
        return
    # Both of the grant's alternatives fail on a missing field: the first (an organisation as
    # recipient) is the one this register means.
    first = min(cause.relative_schema_path[0] for cause in error.context)
    for cause in error.context:
        if cause.relative_schema_path[0] == first:
            yield from _leaves(cause)


@cache
def package_validator() -> "Draft202012Validator":
    """The package schema, its grants checked against the grant schema from the local files
    under both URLs the two schemas use (1.4.2 in the package's `$ref`, 1.4.3 in the `$id`)."""
    grant_schema, package_schema = _schemas()
    # Their `$schema` is written http://…, which referencing does not recognise: say which.
    from jsonschema import Draft202012Validator
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    grant_resource = DRAFT202012.create_resource(grant_schema)
    referenced = package_schema["properties"]["grants"]["items"]["$ref"]
    registry: Registry = Registry().with_resources(
        [(grant_schema["$id"], grant_resource), (referenced, grant_resource)]
    )
    return Draft202012Validator(
        package_schema,
        registry=registry,
        format_checker=date_time_checker(),
    )


@cache
def fast_package_validator() -> "jsonschema_rs.Draft202012Validator":
    """The same package schema and registry, compiled by jsonschema-rs, formats checked."""
    grant_schema, package_schema = _schemas()
    referenced = package_schema["properties"]["grants"]["items"]["$ref"]
    import jsonschema_rs

    registry = jsonschema_rs.Registry(
        [(grant_schema["$id"], grant_schema), (referenced, grant_schema)]
    )
    return jsonschema_rs.Draft202012Validator(
        package_schema, registry=registry, validate_formats=True
    )


def _schemas() -> tuple[dict[str, Any], dict[str, Any]]:
    """The grant schema and the package schema, from the standard's files."""
    grant_schema, package_schema = (
        json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
        for name in (GRANT_SCHEMA, PACKAGE_SCHEMA)
    )
    return grant_schema, package_schema


def date_time_checker() -> "FormatChecker":
    """jsonschema's format checker, with `date-time` checked even without its optional
    dependency: the schema's dates are `oneOf` a date-time or a YYYY-MM-DD pattern, so a date
    would match both (and fail the `oneOf`) if date-time went unchecked."""
    from jsonschema import FormatChecker

    checker = FormatChecker()

    @checker.checks("date-time", raises=ValueError)
    def is_date_time(instance: object) -> bool:
        if not isinstance(instance, str):
            return True
        return "T" in instance.upper() and datetime.fromisoformat(instance) is not None

    return checker
