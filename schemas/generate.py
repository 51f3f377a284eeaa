"""Write schemas/notice.schema.json from the pydantic models (``make schema``).

The JSON Schema is checked in so that downstream tools can validate records without
Python; tests/test_schema.py fails when it is out of date.
"""

from __future__ import annotations

import json
import os
import sys

from schemas.notice import Notice

SCHEMA_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "notice.schema.json")


def schema_text() -> str:
    schema = Notice.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "notice.schema.json"
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def main() -> int:
    from parser.writers.atomic import write_text

    write_text(SCHEMA_PATH, schema_text())
    print(f"wrote {SCHEMA_PATH}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
