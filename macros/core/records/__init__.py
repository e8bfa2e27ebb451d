"""The 台账: records and the roster (model), the month-by-month grid, 谈心谈话 coverage and ticks
(ledger), the figures and checklist ticks derived from records (link), the table columns (columns)."""
