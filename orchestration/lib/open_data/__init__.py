"""Open-data files beside the Parquet exports, rebuilt by every refresh: a Frictionless Data
Package describing the published tables (`data_package`), CSV copies of them for spreadsheet
users (`csv_copies`), and a 360Giving JSON package of a register of agreements
(`three_sixty_giving`); `staging` writes them beside the old ones and swaps them in."""
