"""The formats a seed value may be written in, as SQL: how a text value is typed and why it is
invalid. Pure: the same expressions serve validation, loading and their unit tests."""

from dataclasses import dataclass

from orchestration.lib.seed_files.schema import SeedColumn
from orchestration.lib.sql import sql_literal

# Digits as Arabic-language spreadsheets may write them: Arabic-Indic and Eastern Arabic-Indic.
ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹"
ASCII_DIGITS = "0123456789" * 2
# Thousands separators the report and French/Arabic locales print: space, no-break space (U+00A0)
# and narrow no-break space (U+202F).
THOUSANDS_SEPARATORS = " \u00a0\u202f"
WHOLE_NUMBER_PATTERN = r"[0-9]+|[0-9]{1,3}([ \x{00A0}\x{202F}][0-9]{3})+"
PERIOD_PATTERN = r"[0-9]{4}(-[0-9]{4})?"
DATE_PATTERN = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"

_DIGITS_HINT = (
    ": write digits, optionally grouped by thousands with a space or no-break space"
    " as the report prints them (1 045 500)"
)
_SEPARATOR_REASON = (
    "is not {expected}: a comma or a dot is not accepted in a number, because it reads as"
    " a decimal mark in one locale and a thousands separator in another; write 1 045 500"
    " (spaces, as the report prints them) or 1045500"
)


def describe_format(column: SeedColumn) -> str:
    """What a valid value of the column looks like, for error messages and docs."""
    return {
        "text": "text",
        "period": "a year (2017) or a span of years (2014-2016)",
        "whole_number": "a whole number of 0 or more",
        "signed_whole_number": "a whole number, with a minus sign if negative",
        "amount_mad": "a whole number of dirhams (MAD) of 0 or more",
        "signed_amount_mad": "a whole number of dirhams (MAD), with a minus sign if negative",
        "date": "a date written YYYY-MM-DD, e.g. 2017-05-10",
    }[column.format]


@dataclass(frozen=True)
class ValueSql:
    """SQL over one all-text column: the typed value (NULL, never an error, when the text is
    invalid), and why the text is invalid (or NULL)."""

    typed: str
    problem: str


@dataclass(frozen=True)
class _Text:
    """The SQL pieces every format starts from, over one text column."""

    reference: str
    trimmed: str
    empty: str
    when_empty: str
    expected: str


def value_sql(column: SeedColumn, reference: str) -> ValueSql:
    """The SQL that types `reference` (a text column) by the column's format and explains a bad
    value."""
    trimmed = f"trim({reference}, {sql_literal(' ' + THOUSANDS_SEPARATORS[1:] + chr(9))})"
    text = _Text(
        reference=reference,
        trimmed=trimmed,
        empty=f"({reference} is null or {trimmed} = '')",
        when_empty="null" if column.nullable else sql_literal("is empty: a value is required"),
        expected=describe_format(column),
    )
    if column.format == "text":
        return ValueSql(
            typed=f"nullif({trimmed}, '')",
            problem=f"case when {text.empty} then {text.when_empty} end",
        )
    if column.format == "period":
        return ValueSql(
            typed=f"nullif({trimmed}, '')",
            problem=(
                f"case when {text.empty} then {text.when_empty}"
                f" when not regexp_full_match({trimmed}, {sql_literal(PERIOD_PATTERN)})"
                f" then {sql_literal('is not a period: expected ' + text.expected)} end"
            ),
        )
    if column.format == "date":
        return ValueSql(
            typed=f"try_cast(nullif({trimmed}, '') as date)",
            problem=(
                f"case when {text.empty} then {text.when_empty}"
                f" when not regexp_full_match({trimmed}, {sql_literal(DATE_PATTERN)})"
                f" or try_cast({trimmed} as date) is null"
                f" then {sql_literal('is not a date: expected ' + text.expected)} end"
            ),
        )
    return _number_sql(text, signed=column.format.startswith("signed_"))


def _number_sql(text: _Text, signed: bool) -> ValueSql:
    """whole_number, amount_mad and signed_amount_mad: digits as the report prints them."""
    expected = text.expected
    digits = (
        f"translate({text.trimmed}, {sql_literal(ARABIC_INDIC_DIGITS)},"
        f" {sql_literal(ASCII_DIGITS)})"
    )
    negative = f"regexp_matches({digits}, '^[-\u2212]')"
    sign, negative_problem = (
        "1",
        f" when {negative} then {sql_literal('is negative: expected ' + expected)}",
    )
    if signed:
        negative_problem = ""
        sign = f"(case when {negative} then -1 else 1 end)"
        digits = f"ltrim(regexp_replace({digits}, '^[-\u2212]', ''), ' ')"
    ungrouped = f"regexp_replace({digits}, '[ \\x{{00A0}}\\x{{202F}}]', '', 'g')"
    # Fast path for plain ASCII digits (up to 18 fit a BIGINT): most values of a large register,
    # read exactly as the full expressions below would read them, at a fraction of the cost.
    plain = f"regexp_full_match({text.reference}, '[0-9]{{1,18}}')"
    return ValueSql(
        typed=(
            f"case when {plain} then cast({text.reference} as bigint)"
            f" else {sign} * try_cast(nullif({ungrouped}, '') as bigint) end"
        ),
        problem=(
            f"case when {plain} then null else "
            f"case when {text.empty} then {text.when_empty}"
            f" when regexp_full_match({digits}, {sql_literal(WHOLE_NUMBER_PATTERN)}) then"
            f" case when try_cast({ungrouped} as bigint) is null"
            f" then {sql_literal('is too large: expected ' + expected)} end"
            f"{negative_problem}"
            f" when regexp_matches({digits}, '[.,\u066b\u066c]')"
            f" then {sql_literal(_SEPARATOR_REASON.format(expected=expected))}"
            f" else {sql_literal('is not ' + expected + _DIGITS_HINT)} end end"
        ),
    )
