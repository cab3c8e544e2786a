"""Numbers as people in Morocco read them."""


def group_thousands(value: int, separator: str = " ") -> str:
    """`6991500` → `6 991 500` (the report's own style); `separator="."` gives `6.991.500`."""
    sign = "-" if value < 0 else ""
    digits = str(abs(int(value)))
    groups = [digits[max(0, end - 3) : end] for end in range(len(digits), 0, -3)]
    return sign + separator.join(reversed(groups))


def format_mad(value: int | None) -> str:
    """An amount in dirhams as the report prints it, `—` when there is none."""
    return "—" if value is None else group_thousands(value)


# How a qualified figure is written in a summary line; any other qualifier is written out.
QUALIFIER_MARKS = {
    "exact": "",
    "about": "~",
    "more_than": ">",
    "at_least": "≥",
    "less_than": "<",
    "at_most": "≤",
}


def format_stated(value: int | None, qualifier: str | None) -> str:
    """A stated figure with its qualifier: `6 991 500`, `~40 000 000`, `>73 000`."""
    if value is None:
        return "—"
    mark = QUALIFIER_MARKS.get(qualifier or "exact", f"{qualifier} ")
    return f"{mark}{group_thousands(value)}"
