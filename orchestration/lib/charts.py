"""Each programme's charts regenerated from the published marts, in Arabic, French and English.

Each programme period with a domain table gets two pie charts, as in the 2017-2018 review: the
distribution of the supported projects by domain, then of the money (its Charts 01-04: 2017,
Charts 01 and 02; 2018, 03 and 04), numbered per programme. They are written to
`warehouse/reports/<programme_id>/` as one SVG per chart and language, and gathered with their
tables, programme by programme, in one self-contained `warehouse/reports/index.html`.

Arabic is shaped and ordered by matplotlib itself (3.11+; no reshaper on top, which would
reverse it again) with DejaVu Sans, the font matplotlib ships, which has Arabic glyphs: a fresh
machine needs nothing else.
"""

import html
import io
from dataclasses import dataclass
from pathlib import Path

import duckdb

from orchestration.lib.formatting import group_thousands

LANGUAGES = ("ar", "fr", "en")
FONT = "DejaVu Sans"
MEASURES = ("projects", "amount_mad")
TITLES = {
    "projects": {
        "ar": "توزيع المشاريع المدعومة حسب مجالات التدخل",
        "fr": "Répartition des projets soutenus par domaine d'intervention",
        "en": "Supported projects by domain of intervention",
    },
    "amount_mad": {
        "ar": "توزيع الغلاف المالي حسب مجالات التدخل",
        "fr": "Répartition de l'enveloppe financière par domaine d'intervention",
        "en": "Financial envelope by domain of intervention",
    },
}
CHART_WORD = {"ar": "المبيان رقم", "fr": "Graphique", "en": "Chart"}
YEAR_WORD = {"ar": "سنة", "fr": "année", "en": "year"}
HEADERS = {
    "ar": ("مجال التدخل", "عدد المشاريع المدعمة", "قيمة الدعم المالي بالدرهم", "الحصة"),
    "fr": ("Domaine", "Projets soutenus", "Montant (MAD)", "Part"),
    "en": ("Domain", "Supported projects", "Amount (MAD)", "Share"),
}


def format_amount(value: int, language: str) -> str:
    """An amount in dirhams as readers in Morocco write it: `6 991 500 MAD` in French and
    English, `6.991.500 د.م.` in Arabic."""
    if language == "ar":
        return f"{group_thousands(value, '.')} د.م."
    return f"{group_thousands(value)} MAD"


def format_value(value: int, measure: str, language: str) -> str:
    return format_amount(value, language) if measure == "amount_mad" else str(value)


@dataclass(frozen=True)
class DomainRow:
    names: dict[str, str]
    projects: int
    amount_mad: int
    share_of_projects: float
    share_of_amount: float

    def value(self, measure: str) -> int:
        return self.projects if measure == "projects" else self.amount_mad

    def share(self, measure: str) -> float:
        return self.share_of_projects if measure == "projects" else self.share_of_amount


@dataclass(frozen=True)
class Chart:
    programme_id: str
    programme_names: dict[str, str]
    number: int
    period: str
    measure: str
    rows: tuple[DomainRow, ...]

    def title(self, language: str) -> str:
        return (
            f"{CHART_WORD[language]} {self.number:02d}: {TITLES[self.measure][language]}"
            f" — {YEAR_WORD[language]} {self.period}"
        )

    def file_stem(self, language: str) -> str:
        return f"chart_{self.number:02d}_{self.measure}_{self.period}_{language}"


def read_charts(database: Path) -> list[Chart]:
    """Charts per programme, in its report's order: per period with a domain table, projects
    then money, numbered from 1 within each programme."""
    with duckdb.connect(str(database), read_only=True) as connection:
        rows = connection.execute(
            "select programme_id, programme_name_ar, programme_name_fr, programme_name_en,"
            " period, domain_name_ar, domain_name_fr, domain_name_en, projects, amount_mad,"
            " share_of_projects, share_of_amount from marts.mart_domain_year"
            " order by programme_id, start_year, end_year, display_order"
        ).fetchall()
    by_period: dict[tuple[str, str], list[DomainRow]] = {}
    programme_names: dict[str, dict[str, str]] = {}
    for programme, p_ar, p_fr, p_en, period, ar, fr, en, *figures in rows:
        programme_names[programme] = {"ar": p_ar, "fr": p_fr, "en": p_en}
        by_period.setdefault((programme, period), []).append(
            DomainRow({"ar": ar, "fr": fr, "en": en}, *figures)
        )
    charts: list[Chart] = []
    numbers: dict[str, int] = {}
    for (programme, period), domain_rows in by_period.items():
        for measure in MEASURES:
            numbers[programme] = numbers.get(programme, 0) + 1
            charts.append(
                Chart(
                    programme,
                    programme_names[programme],
                    numbers[programme],
                    period,
                    measure,
                    tuple(domain_rows),
                )
            )
    return charts


def render(chart: Chart, language: str) -> bytes:
    """One chart as SVG bytes."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = [
        f"{row.names[language]}\n{format_value(row.value(chart.measure), chart.measure, language)}"
        f" ({100 * row.share(chart.measure):.1f} %)"
        for row in chart.rows
    ]
    figure, axes = plt.subplots(figsize=(9, 6))
    try:
        axes.pie(
            [row.value(chart.measure) for row in chart.rows],
            labels=labels,
            startangle=90,
            counterclock=False,
            textprops={"fontfamily": FONT, "fontsize": 9},
            wedgeprops={"linewidth": 1, "edgecolor": "white"},
        )
        axes.set_title(chart.title(language), fontfamily=FONT, fontsize=11)
        axes.axis("equal")
        buffer = io.BytesIO()
        # No date in the file: the same data gives the same bytes from one refresh to the next.
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
        return buffer.getvalue()
    finally:
        plt.close(figure)


def table_html(chart: Chart, language: str) -> str:
    name, count, amount, share = (html.escape(h) for h in HEADERS[language])
    header = f"<tr><th>{name}</th><th>{count}</th><th>{amount}</th><th>{share}</th></tr>"
    body = "".join(
        f"<tr><td>{html.escape(row.names[language])}</td><td>{row.projects}</td>"
        f"<td>{html.escape(format_amount(row.amount_mad, language))}</td>"
        f"<td>{100 * row.share(chart.measure):.1f} %</td></tr>"
        for row in chart.rows
    )
    return f"<table>{header}{body}</table>"


def write_reports(database: Path, reports_dir: Path, appendix_html: str = "") -> list[Path]:
    """Every chart as SVG per language in its programme's folder, and `index.html` with all of
    them inline, programme by programme, then `appendix_html` (the checks of the refresh)."""
    reports_dir.mkdir(parents=True, exist_ok=True)
    charts = read_charts(database)
    written, sections = [], []
    for language in LANGUAGES:
        direction = "rtl" if language == "ar" else "ltr"
        figures = []
        programme = None
        for chart in charts:
            if chart.programme_id != programme:
                programme = chart.programme_id
                figures.append(f"<h3>{html.escape(chart.programme_names[language])}</h3>")
            svg = render(chart, language)
            (reports_dir / chart.programme_id).mkdir(exist_ok=True)
            path = reports_dir / chart.programme_id / f"{chart.file_stem(language)}.svg"
            path.write_bytes(svg)
            written.append(path)
            inline = svg.decode("utf-8").split("?>", 1)[-1]
            figures.append(f"<figure>{inline}{table_html(chart, language)}</figure>")
        sections.append(
            f'<section lang="{language}" dir="{direction}"><h2>{language.upper()}</h2>'
            + "".join(figures)
            + "</section>"
        )
    index = reports_dir / "index.html"
    index.write_text(
        "<!doctype html><html><head><meta charset='utf-8'>"
        "<title>Grants to associations: charts per programme</title>"
        "<style>body{font-family:'DejaVu Sans',sans-serif;margin:2em}"
        "figure{margin:2em 0}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:.3em .6em}"
        ".warn{background:#fff3cd}.error{background:#f8d7da}</style></head><body>"
        "<h1>دعم الجمعيات · Subventions aux associations · Grants to associations</h1>"
        + "".join(sections)
        + appendix_html
        + "</body></html>",
        encoding="utf-8",
    )
    # Charts of a programme or period no longer published, or of an older layout, go.
    for old in set(reports_dir.rglob("*.svg")) - set(written):
        old.unlink()
    return [index, *written]
