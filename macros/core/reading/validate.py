"""Schema checks (JSON Schema, via jsonschema) turned into Chinese one-line errors."""

from __future__ import annotations

import json
import re
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

import jsonschema
from jsonschema import ValidationError

from macros.core.errors import DataError, hint
from macros.core.reading.safe_read import read_bytes
from macros.core.reading.yaml_errors import char_name
from macros.core.reading.yamlio import Doc, parse

# Inside a one-line text (every text field unless its schema says "x-multiline": true): line
# breaks and tabs, which YAML lets through in quotes ("a\nb") or in | blocks, would end the
# sentence the text is put into, or start a new Markdown block. (yamlio refuses the other
# control characters in every value.)
NOT_IN_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")

SCHEMA_DIR = Path(__file__).resolve().parents[3] / "schemas"

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


def _type_message(error) -> str:
    want = error.validator_value
    names = "或".join(TYPE_NAMES.get(w, w) for w in ([want] if isinstance(want, str) else want))
    return f"应为{names}，实际为 {shown(error.instance)}"


def _choice_message(error) -> str:
    options = error.validator_value if error.validator == "enum" else [error.validator_value]
    return (
        f"应为 {'、'.join(map(str, options))} 之一，实际为 {shown(error.instance)}"
        f"{hint(str(error.instance), map(str, options))}"
    )


def _rule_message(error) -> str:
    rule = error.schema.get("x-rule") or error.schema.get("description", "取值不符合要求")
    return f"{rule}，实际为 {shown(error.instance)}"


# What follows the field's label, per JSON Schema keyword (and our own singleline/blank).
MESSAGES = {
    "type": _type_message,
    "enum": _choice_message,
    "const": _choice_message,
    "minimum": lambda e: f"不能小于 {e.validator_value}，实际为 {shown(e.instance)}",
    "maximum": lambda e: f"不能大于 {e.validator_value}，实际为 {shown(e.instance)}",
    "format": lambda e: f"日期应写成 2023-01-10 的形式且真实存在，实际为 {shown(e.instance)}",
    "minLength": lambda e: "不能为空",
    "maxLength": lambda e: f"不能超过 {e.validator_value} 个字，实际为 {len(e.instance)} 个字",
    "maxItems": lambda e: f"最多 {e.validator_value} 项，实际为 {len(e.instance)} 项",
    "uniqueItems": lambda e: "各项不能重复",
    "exclusiveMinimum": lambda e: f"应大于 {e.validator_value}，实际为 {shown(e.instance)}",
    "exclusiveMaximum": lambda e: f"应小于 {e.validator_value}，实际为 {shown(e.instance)}",
    "maxProperties": lambda e: f"最多 {e.validator_value} 项",
    "dependentRequired": lambda e: _dependent(e),
    "minProperties": lambda e: "不能为空",
    "minItems": lambda e: "不能为空",
    "pattern": lambda e: _rule_message(e) if e.schema.get("x-rule") else
    f"格式不对（应匹配 {e.validator_value}），实际为 {shown(e.instance)}",
    "anyOf": _rule_message,
    "oneOf": _rule_message,
}


def _dependent(error) -> str:
    missing = [f"写了 {key} 时须同时写 {'、'.join(d for d in deps if d not in error.instance)}"
               for key, deps in error.validator_value.items()
               if key in error.instance and any(d not in error.instance for d in deps)]
    return "；".join(missing) or "缺少相关的必填项"


def _unknown_rule(error) -> str:
    """A rule without a sentence in MESSAGES: our own validators' (singleline, blank) are Chinese
    already; for any other, the field's x-rule, never jsonschema's English."""
    if error.validator in ("singleline", "blank"):
        return error.message
    return _rule_message(error)


def _message(error: jsonschema.ValidationError, typed: str | None = None) -> tuple[str, str | None]:
    """(message, offending key) for one jsonschema error; `typed` is the value as written in the file."""
    key = _key(list(error.absolute_path))
    # true/yes or 12.0 where a whole number belongs
    inexact = "；true、yes 等是“是/否”，不是数字" if isinstance(error.instance, bool) else (
        "；请写不带小数点的整数" if isinstance(error.instance, float) else ""
    )
    if typed is not None and not isinstance(error.instance, str):
        error.instance = _Typed(typed)  # yes → "yes", not true; 1e3 → "1e3", not 1000.0
    v = error.validator
    if v == "required":
        missing = error.message.split("'")[1] if "'" in error.message else "?"
        title = error.schema.get("properties", {}).get(missing, {}).get("title", "")
        return f"缺少必填项 {missing}{'（' + title + '）' if title else ''}", key
    if v == "propertyNames":
        return f"键名 {shown(error.instance)} 格式不对：应为英文小写加点号，如 study.sessions", key
    label = _label(error.schema, key)
    if inexact and _whole_number_expected(error):
        return f"{label}应为整数，实际为 {shown(error.instance)}{inexact}", key
    return label + MESSAGES.get(v, _unknown_rule)(error), key


def _type(validator, types, instance, schema_node):
    """JSON Schema's `type`, plus what every text field needs: one line, not only spaces."""
    yield from _BASE.VALIDATORS["type"](validator, types, instance, schema_node)
    if not isinstance(instance, str) or "string" not in ([types] if isinstance(types, str) else types):
        return
    if not schema_node.get("x-multiline"):
        bad = NOT_IN_ONE_LINE.search(instance)
        if bad:
            what = "换行" if bad.group() in "\n\r\u2028\u2029" else "制表符（Tab）" if bad.group() == "\t" else None
            yield ValidationError(
                f"应为一行文字，不能含有{what or char_name(bad.group())}", validator="singleline"
            )
    if instance and not instance.strip() and schema_node.get("minLength", 0) >= 1:
        yield ValidationError("不能只有空格", validator="blank")


_BASE = jsonschema.Draft202012Validator
# `integer` is a whole number as typed: 12, not 12.0 (JSON Schema counts 12.0 as an integer; the
# page would print "12.0次"), and not true/false.
_TYPES = _BASE.TYPE_CHECKER.redefine(
    "integer", lambda checker, instance: isinstance(instance, int) and not isinstance(instance, bool)
)
Validator = jsonschema.validators.extend(_BASE, validators={"type": _type}, type_checker=_TYPES)
# Sub-errors of an anyOf that say more than the rule of the whole (x-rule).
SPECIFIC = ("maximum", "singleline", "blank", "minLength")


def _specific(error: ValidationError) -> ValidationError | None:
    """Of an anyOf's failed branches, the one worth reporting instead of the anyOf's rule."""
    for sub in error.context or ():
        if sub.validator in SPECIFIC and not sub.relative_path:
            return sub
    return None


def _whole_number_expected(error: ValidationError) -> bool:
    """A type error (or a failed anyOf) where a plain integer was one of the choices."""
    if error.validator == "type":
        want = error.validator_value
        return want == "integer" or (isinstance(want, list) and "integer" in want)
    if error.validator in ("anyOf", "oneOf"):
        return any(branch.get("type") == "integer" for branch in error.validator_value if isinstance(branch, dict))
    return False


def check(doc: Doc, schema_node: dict) -> list[DataError]:
    """All schema problems of one document, in file order."""
    validator = Validator(schema_node, format_checker=_BASE.FORMAT_CHECKER)
    found = []
    for error in validator.iter_errors(doc.data):
        # For if/then/else and anyOf, report the most specific sub-error.
        if error.validator in ("if", "then", "else", "allOf") and error.context:
            error = min(error.context, key=lambda e: len(e.absolute_path))
        if error.validator in ("anyOf", "oneOf"):
            sub = _specific(error)
            if sub is not None:
                sub.schema = {**sub.schema, "title": error.schema.get("title")}  # the field's name
                error = sub
        if error.validator == "additionalProperties" and error.schema.get("properties"):
            for message, path in _unknown_keys(error):
                found.append(DataError(doc.path, doc.line(*path), _key(list(path)), message))
            continue
        message, key = _message(error, doc.raw.get(tuple(error.absolute_path)))
        found.append(DataError(doc.path, doc.line(*error.absolute_path), key, message))
    return sorted(found, key=lambda e: e.line)


def load_checked(path: Path, root: Path, schema: dict, errors: list) -> Doc | None:
    """Read, parse and schema-check one data file: its Doc, or None with the problems added to `errors`."""
    shown = path.relative_to(root).as_posix()
    try:
        raw = read_bytes(path, shown, root)
    except DataError as exc:
        errors.append(exc)
        return None
    return checked(raw, shown, schema, errors)


# Under `make serve` the same process rebuilds on every save. The plugin keeps, for the session, each
# file that passed (path -> bytes, schema, Doc); load_site hands it in with `reusing`, and a file whose
# bytes and schema are unchanged is not parsed and checked again. Measured gain (make bench, 预览,
# 50 years): 28%, 7%, 11% and 16% of a preview refresh in four runs. Outside load_site nothing is kept.
_KEPT: ContextVar[dict | None] = ContextVar("kept", default=None)


@contextmanager
def reusing(kept: dict | None):
    token = _KEPT.set(kept)
    try:
        yield
    finally:
        _KEPT.reset(token)


def checked(raw: bytes, shown: str, schema: dict, errors: list) -> Doc | None:
    """Parse and schema-check a data file's bytes (the 编辑指南's error examples check a slip in memory)."""
    kept = _KEPT.get()
    if kept is not None:
        schema_key = json.dumps(schema, sort_keys=True, ensure_ascii=False)
        if kept.get(shown, (None, None))[:2] == (raw, schema_key):
            return kept[shown][2]
    try:
        doc = parse(raw, shown)
    except DataError as exc:
        errors.extend(exc.all)  # e.g. every duplicated key of the file, not just the first
        return None
    if doc.data is None or not isinstance(doc.data, dict):
        errors.append(DataError(doc.path, 1, None, "文件内容应为“键: 值”形式的映射"))
        return None
    problems = check(doc, schema)
    errors.extend(problems)
    if problems:
        return None
    if kept is not None:
        kept[shown] = (raw, schema_key, doc)
    return doc
