"""The command-line tools behind make: check, new-year, schemas, the 台账 Excel template and import."""
