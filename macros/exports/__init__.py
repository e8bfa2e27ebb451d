"""Files that leave the site: the report as .docx and .txt, the 台账 as .xlsx, the download cache.
No MkDocs: a second builder or a command can use them."""
