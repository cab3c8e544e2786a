"""A SYNTHETIC second programme, as a report of it would be transcribed: rows to add to each seed
file, in the order of docs/data.md ("Adding a report"). Nothing here is real: the funder, the
programme, its two documents and every figure are invented for the tests, and say so.

Its report prints one inconsistency of its own, registered as a known discrepancy: its Table 1's
four domain rows sum to 32 projects, while the table's total row and the text print 33. A second
document, a press release, states two of the same figures approximately ("environ 1,3 million
de DH", "plus de 20 associations"): both agree with the report within their precision."""

PROGRAMME = "synthetic_youth_programme"
FUNDER = "synthetic_youth_ministry"
REVIEW = "synthetic_youth_review_2017"
PRESS = "synthetic_youth_press_2017"
NOTE = "SYNTHETIC test data, not a real report"

DOMAINS = {  # code: (Arabic as printed, French, English, projects, amount as printed)
    "sport": ("الرياضة", "Sport", "Sport", "12", "600 000"),
    "culture": ("الثقافة", "Culture", "Culture", "8", "350 000"),
    "volunteering": ("التطوع", "Bénévolat", "Volunteering", "5", "120 000"),
    "civic_education": (
        "التربية على المواطنة",
        "Éducation à la citoyenneté",
        "Civic education",
        "7",
        "230 000",
    ),
}


def _document(
    document_id: str, kind: str, title_ar: str, title: str, language: str
) -> dict[str, str]:
    return {
        "document_id": document_id,
        "programme_id": PROGRAMME,
        "document_kind": kind,
        "title_ar": title_ar,
        "title_en": f"SYNTHETIC {title} 2017",
        "title_fr": f"{title} SYNTHÉTIQUE 2017",
        "publisher_as_printed": "وزارة الشباب (اصطناعية)",
        "publisher_en": f"SYNTHETIC Ministry of Youth ({NOTE})",
        "period_covered": "2017",
        "start_year": "2017",
        "end_year": "2017",
        "language": language,
        "file_name": "",
        "published_year": "2018",
    }


def _figure(
    document: str, measure: str, value: str, qualifier: str, precision: str, printed: str
) -> dict[str, str]:
    return {
        "programme_id": PROGRAMME,
        "period": "2017",
        "measure": measure,
        "value": value,
        "qualifier": qualifier,
        "stated_precision": precision,
        "value_as_printed": printed,
        "source_document": document,
        "source_location": "SYNTHETIC section 1",
        "printed_text": f"SYNTHETIC sentence ({NOTE})",
    }


ROWS: dict[str, list[dict[str, str]]] = {
    "funders.csv": [
        {
            "funder_id": FUNDER,
            "funder_kind": "ministry",
            "funder_name_as_printed": "وزارة الشباب (اصطناعية)",
            "funder_name_ar": "وزارة الشباب (اصطناعية)",
            "funder_name_fr": "Ministère SYNTHÉTIQUE de la Jeunesse",
            "funder_name_en": "SYNTHETIC Ministry of Youth",
            "note": NOTE,
        }
    ],
    "programmes.csv": [
        {
            "programme_id": PROGRAMME,
            "funder_id": FUNDER,
            "programme_name_ar": "برنامج اصطناعي لدعم جمعيات الشباب",
            "programme_name_fr": "Programme SYNTHÉTIQUE d'appui aux associations de jeunes",
            "programme_name_en": "SYNTHETIC programme of support to youth associations",
        }
    ],
    "source_documents.csv": [
        _document(REVIEW, "programme_review", "حصيلة اصطناعية 2017", "review", "ar"),
        _document(PRESS, "press_release", "", "press release", "fr"),
    ],
    "reporting_periods.csv": [
        {
            "programme_id": PROGRAMME,
            "period": "2017",  # the migrant-integration programme has a 2017 too
            "start_year": "2017",
            "end_year": "2017",
            "period_as_printed": "برسم سنة 2017 (اصطناعي)",
            "source_document": REVIEW,
            "source_location": "SYNTHETIC section 1 heading",
        }
    ],
    "domains.csv": [
        {
            "programme_id": PROGRAMME,
            "domain_code": code,
            "domain_name_ar": ar,
            "domain_name_fr": fr,
            "domain_name_en": en,
            "display_order": str(order),
        }
        for order, (code, (ar, fr, en, _, _)) in enumerate(DOMAINS.items(), start=1)
    ],
    "domain_labels.csv": [
        {
            "programme_id": PROGRAMME,
            "label_ar": ar,
            "domain_code": code,
            "label_kind": "table_row",
            "printed_in": f"SYNTHETIC Table 1 row {order}",
        }
        for order, (code, (ar, *_)) in enumerate(DOMAINS.items(), start=1)
    ]
    + [
        {
            "programme_id": PROGRAMME,
            "label_ar": "الأنشطة الرياضية",
            "domain_code": "sport",
            "label_kind": "chart_legend",
            "printed_in": "SYNTHETIC Chart 1 legend item 1",
        }
    ],
    "domain_grants.csv": [
        {
            "programme_id": PROGRAMME,
            "period": "2017",
            "domain_label_ar": ar,
            "projects": projects,
            "amount_mad": amount,
            "source_document": REVIEW,
            "source_table": "Table 1",
            "source_row": str(order),
        }
        for order, (ar, _, _, projects, amount) in enumerate(DOMAINS.values(), start=1)
    ],
    "domain_table_totals.csv": [
        {
            "programme_id": PROGRAMME,
            "period": "2017",
            "label_ar": "المجموع",
            "projects": "33",  # the rows sum to 32: registered below
            "amount_mad": "1 300 000",
            "source_document": REVIEW,
            "source_table": "Table 1",
            "source_row": "5",
        }
    ],
    "headline_figures.csv": [
        _figure(REVIEW, "associations", "25", "exact", "1", "25"),
        _figure(REVIEW, "projects", "33", "exact", "1", "33"),
        _figure(REVIEW, "amount_mad", "1 300 000", "exact", "1", "1 300 000"),
        _figure(PRESS, "amount_mad", "1 300 000", "about", "100 000", "environ 1,3 million de DH"),
        _figure(PRESS, "associations", "20", "more_than", "10", "plus de 20 associations"),
    ],
    "known_discrepancies.csv": [
        {
            "programme_id": PROGRAMME,
            "period": "2017",
            "level": "domain_table_vs_headline",
            "domain_code": "",
            "measure": "projects",
            "published_value": "33",
            "summed_value": "32",
            "difference": "-1",
            "source_document": REVIEW,
            "source_location": "SYNTHETIC Table 1 rows 1-4 against row 5 and the text",
            "explanation": f"The four domain rows sum to 32 projects; the total row and the text print 33 ({NOTE}).",
        }
    ],
}
