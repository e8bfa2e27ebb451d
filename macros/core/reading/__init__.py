"""Reading data files safely: size and type limits, YAML with line numbers and only plain data,
JSON Schema checks with Chinese rules (`validate.load_checked` is the one way in)."""
