"""JSON Schemas of the content files, generated from the content contract (contract.py).

Editors with a YAML language server read them (``schemas/*.json``, ``.vscode/settings.json``)
to complete keys and underline mistakes while typing (#14). They describe the shape of a
file (keys, types, required keys, choices); what needs more than one file or the EDTF and
BCP 47 grammars is checked only by ``karabakh-site check`` (see docs/content.md).
"""

from __future__ import annotations

import json
from pathlib import Path

from karabakh_site.content.contract import (
    AREA, BOOLEAN, CHOICE, DATE, DOCUMENTS, LANGUAGE, LANGUAGES, MAPPING, MAPPINGS, MAX_AREA_KM2, NAMES, REPLACEMENT, SLUG, TEXT,
    TEXTS, TEXTS_OR_MAPPINGS, URL, Field,
)

DRAFT_07 = "http://json-schema.org/draft-07/schema#"
"""Draft 7: the version YAML language servers support best."""
PLAIN_TEXT = r"^(?=[\s\S]*\S)[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]*$"
"""Not blank, no control characters (a form feed pasted from a PDF), as model.py checks."""
HTTP_URL = r"^\s*[Hh][Tt][Tt][Pp][Ss]?://[^/?#\s]"
SLUG_TEXT = r"^\s*[a-z0-9]+(?:-[a-z0-9]+)*\s*$"
"""model.py trims the value before matching it, so spaces around it are allowed."""


def json_schema(kind: str) -> dict:
    """Return the JSON Schema of one kind of content file: 'article', 'page', 'chronology' or 'site'."""
    if kind not in DOCUMENTS:
        raise ValueError(f"unknown schema {kind!r}; expected one of {', '.join(DOCUMENTS)}")
    title, fields = DOCUMENTS[kind]
    return {"$schema": DRAFT_07, "title": title, **_object(fields)}


def schema_text(kind: str) -> str:
    """Return the JSON Schema of ``kind`` as the text of its file in schemas/."""
    return json.dumps(json_schema(kind), indent=2, ensure_ascii=False) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    """Write every schema into ``folder`` as <kind>.json; return the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for kind in DOCUMENTS:
        path = folder / f"{kind}.json"
        path.write_text(schema_text(kind), encoding="utf-8", newline="\n")
        paths.append(path)
    return paths


def _object(fields: dict[str, Field], one_of_required: tuple[str, ...] = ()) -> dict:
    schema = {
        "type": "object",
        "properties": {name: _property(field) for name, field in fields.items()},
        "additionalProperties": False,
    }
    required = [name for name, field in fields.items() if field.required]
    if required:
        schema["required"] = required
    if one_of_required:
        schema["anyOf"] = [{"required": [name], "properties": {name: {"type": "string"}}} for name in one_of_required]
    return schema


def _property(field: Field) -> dict:
    """The schema of one key: its value's shape, then its description, default and examples."""
    schema = _value(field)
    if not field.required and field.kind != BOOLEAN:
        schema = _nullable(schema)  # `summary:` with nothing after it is a key left out
    schema["description"] = field.description
    if field.default is not None:
        schema["default"] = field.default
    if field.examples:
        schema["examples"] = list(field.examples)
    return schema


def _value(field: Field) -> dict:
    kind = field.kind
    if kind in (TEXT, LANGUAGE):
        return {"type": "string", "pattern": PLAIN_TEXT}
    if kind == SLUG:
        return {"type": "string", "pattern": SLUG_TEXT}
    if kind == URL:
        return {"type": "string", "pattern": PLAIN_TEXT, "allOf": [{"pattern": HTTP_URL}]}
    if kind == CHOICE:
        return {"type": "string", "enum": list(field.choices)}
    if kind == DATE:
        return {"type": ["string", "integer"]}
    if kind == BOOLEAN:
        return {"type": "boolean"}
    if kind == AREA:
        return {"type": "number", "minimum": 0, "maximum": MAX_AREA_KM2}
    if kind == REPLACEMENT:
        return {"type": ["string", "null"]}
    if kind == LANGUAGES:
        return {"type": "array", "items": {"type": "string", "pattern": PLAIN_TEXT}, "minItems": 1, "uniqueItems": True}
    if kind == NAMES:
        return {"type": "object", "additionalProperties": {"type": "string", "pattern": PLAIN_TEXT}}
    if kind == TEXTS:
        return {"type": "array", "items": {"type": "string", "pattern": PLAIN_TEXT}}
    if kind == MAPPING:
        return _object(field.fields, field.one_of_required)
    if kind == MAPPINGS:
        schema = {"type": "array", "items": _object(field.fields)}
        return {**schema, "minItems": field.min_items} if field.min_items else schema
    if kind == TEXTS_OR_MAPPINGS:
        return {"type": "array", "items": {"anyOf": [{"type": "string", "pattern": PLAIN_TEXT}, _object(field.fields)]}}
    raise ValueError(f"unknown field kind {kind!r}")


def _nullable(schema: dict) -> dict:
    kinds = schema.get("type")
    if kinds is None or "null" in kinds:
        return schema
    schema = {**schema, "type": [*([kinds] if isinstance(kinds, str) else kinds), "null"]}
    if "enum" in schema:
        schema["enum"] = [*schema["enum"], None]
    return schema
