"""Office files in: ledgers, rosters and filled collection workbooks become data-directory entries.

Pure modules (`table`, `ledger`, `roster`, `collect`) map cells to entries and decide merges; the edges
(`readers` for .docx/.xlsx/.csv, `workbook` for collection workbooks, `yamlwrite` for the data files)
do the input and output.
"""
