"""Write schemas/figures.schema.json from data/catalogue.yaml: `python -m macros.commands.schemas`.

The build checks figures with the schema generated in memory from the catalogue; this file is the
same schema on disk, so that `# yaml-language-server: $schema=../../schemas/figures.schema.json`
at the top of each data/<year>/figures.yaml gives editors (VS Code + YAML extension) completion and
hover help. `make check` and the tests fail when the file is out of date.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from macros.core import catalogue as cat
from macros.core.errors import DataErrors
from macros.core.load import figures_schema
from macros.core.reading.validate import SCHEMA_DIR, check, schema
from macros.core.reading.yamlio import load

FIGURES_SCHEMA = "figures.schema.json"


def generated(root: Path) -> str:
    """The text schemas/figures.schema.json must have for the catalogue under root."""
    doc = load(root / "data/catalogue.yaml", "data/catalogue.yaml")
    problems = check(doc, schema("catalogue"))
    if problems:
        raise DataErrors(problems)
    return json.dumps(figures_schema(cat.from_data(doc.data)), ensure_ascii=False, indent=2) + "\n"


def stale(root: Path) -> bool:
    path = SCHEMA_DIR / FIGURES_SCHEMA
    return not path.exists() or path.read_text("utf-8") != generated(root)


def main() -> int:
    root = SCHEMA_DIR.parent
    try:
        text = generated(root)
    except DataErrors as exc:
        print(exc, file=sys.stderr)
        return 1
    (SCHEMA_DIR / FIGURES_SCHEMA).write_text(text, "utf-8")
    count = len(json.loads(text)["properties"])
    print(f"已生成 schemas/{FIGURES_SCHEMA}（{count} 个数据项）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
