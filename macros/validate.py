"""Schema checks (JSON Schema, via jsonschema) turned into Chinese one-line errors."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import jsonschema

from .errors import DataError, hint
from .yamlio import Doc, parse, read_bytes

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"

TYPE_NAMES = {
    "integer": "整数",
    "number": "数字",
    "string": "文字",
    "boolean": "true 或 false",
    "object": "“键: 值”形式的映射",
    "array": "列表（每行以“- ”开头）",
    "null": "空",
}


def schema(name: str) -> dict:
    """A schema file from schemas/; read again when the file changes (an edit under make serve)."""
    path = SCHEMA_DIR / f"{name}.schema.json"
    stat = path.stat()
    return _read_schema(path, stat.st_mtime_ns, stat.st_size)


@cache
def _read_schema(path: Path, mtime_ns: int, size: int) -> dict:  # keyed by everything the content depends on
    return json.loads(path.read_text("utf-8"))


class _Typed(str):
    """A non-text value shown exactly as it was typed."""


def shown(value) -> str:
    """A value as the editor typed it, for messages."""
    if isinstance(value, _Typed):
        return str(value) if value else "空"
    if value is None:
        return "空"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # "十二", as typed, quotes escaped
    if isinstance(value, (dict, list)):
        return "一组数据"
    return str(value)


def _label(schema_node: dict, key: str | None) -> str:
    title = schema_node.get("title") if isinstance(schema_node, dict) else None
    if title and key:
        return f"{title} ({key})："
    if key:
        return f"{key}："
    return ""


def _key(path: list) -> str | None:
    return ".".join(str(p) for p in path) if path else None


def _unknown_keys(error: jsonschema.ValidationError) -> list[tuple[str, tuple]]:
    """For an additionalProperties error: (message, key path) per unknown key."""
    allowed = list(error.schema.get("properties", {}))
    found = []
    for name in error.instance:
        if name not in allowed:
            found.append(
                (f"未知数据项 {name}{hint(str(name), allowed)}", tuple(error.absolute_path) + (name,))
            )
    return found


def _message(error: jsonschema.ValidationError, typed: str | None = None) -> tuple[str, str | None]:
    """(message, offending key) for one jsonschema error; `typed` is the value as written in the file."""
    key = _key(list(error.absolute_path))
    if typed is not None and not isinstance(error.instance, str):
        error.instance = _Typed(typed)  # yes → "yes", not true; 1e3 → "1e3", not 1000.0
    v = error.validator
    if v == "required":
        missing = error.message.split("'")[1] if "'" in error.message else "?"
        title = error.schema.get("properties", {}).get(missing, {}).get("title", "")
        return f"缺少必填项 {missing}{'（' + title + '）' if title else ''}", key
    label = _label(error.schema, key)
    if v == "type":
        want = error.validator_value
        want = [want] if isinstance(want, str) else want
        names = "或".join(TYPE_NAMES.get(w, w) for w in want)
        return f"{label}应为{names}，实际为 {shown(error.instance)}", key
    if v in ("enum", "const"):
        options = error.validator_value if v == "enum" else [error.validator_value]
        return (
            f"{label}应为 {'、'.join(map(str, options))} 之一，实际为 {shown(error.instance)}"
            f"{hint(str(error.instance), map(str, options))}",
            key,
        )
    if v == "minimum":
        return f"{label}不能小于 {error.validator_value}，实际为 {shown(error.instance)}", key
    if v == "maximum":
        return f"{label}不能大于 {error.validator_value}，实际为 {shown(error.instance)}", key
    if v == "format":
        return f"{label}日期应写成 2023-01-10 的形式且真实存在，实际为 {shown(error.instance)}", key
    if v in ("minLength", "minProperties", "minItems"):
        return f"{label}不能为空", key
    if v == "pattern":
        return f"{label}格式不对（应匹配 {error.validator_value}），实际为 {shown(error.instance)}", key
    if v == "propertyNames":
        return f"键名 {shown(error.instance)} 格式不对：应为英文小写加点号，如 study.sessions", key
    if v == "anyOf" or v == "oneOf":
        rule = error.schema.get("x-rule") or error.schema.get("description", "取值不符合要求")
        return f"{label}{rule}，实际为 {shown(error.instance)}", key
    return f"{label}{error.message}", key


def check(doc: Doc, schema_node: dict) -> list[DataError]:
    """All schema problems of one document, in file order."""
    validator = jsonschema.Draft202012Validator(
        schema_node, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    found = []
    for error in validator.iter_errors(doc.data):
        # For if/then/else and anyOf, report the most specific sub-error.
        if error.validator in ("if", "then", "else", "allOf") and error.context:
            error = min(error.context, key=lambda e: len(e.absolute_path))
        if error.validator == "additionalProperties" and error.schema.get("properties"):
            for message, path in _unknown_keys(error):
                found.append(DataError(doc.path, doc.line(*path), _key(list(path)), message))
            continue
        message, key = _message(error, doc.raw.get(tuple(error.absolute_path)))
        found.append(DataError(doc.path, doc.line(*error.absolute_path), key, message))
    return sorted(found, key=lambda e: e.line)


def load_checked(path: Path, root: Path, schema: dict, errors: list):
    """Read, parse and schema-check one data file: its Doc, or None with the problems added to `errors`."""
    shown = path.relative_to(root).as_posix()
    try:
        doc = parse(read_bytes(path, shown), shown)
    except DataError as exc:
        errors.extend(exc.all)  # e.g. every duplicated key of the file, not just the first
        return None
    if not isinstance(doc.data, dict):
        errors.append(DataError(shown, 1, None, "文件内容应为“键: 值”形式的映射"))
        return None
    problems = check(doc, schema)
    errors.extend(problems)
    return None if problems else doc
