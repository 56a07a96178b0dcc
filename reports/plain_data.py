"""A tree of frozen dataclasses to JSON-ready data and back, exactly.

The results model is stored at publication and read back for every published page and export,
so what is read must equal what was built: `load(Report, dump(report)) == report`. Types come
from the dataclasses' own annotations; only the kinds of value the model holds are supported.
"""

import dataclasses
import datetime
import enum
import hashlib
import json
import types
import typing
from decimal import Decimal
from functools import cache


def dump(value):
    if dataclasses.is_dataclass(value):
        return {f.name: dump(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (tuple, list, frozenset, set)):
        items = [dump(v) for v in value]
        return sorted(items) if isinstance(value, (frozenset, set)) else items
    if isinstance(value, dict):
        return {str(k): dump(v) for k, v in value.items()}
    if isinstance(value, (datetime.date, Decimal)):
        return str(value) if isinstance(value, Decimal) else value.isoformat()
    if isinstance(value, str):
        return str(value)  # a TextChoices member is stored as its plain value
    return value


@cache
def _hints(cls) -> dict:
    return typing.get_type_hints(cls)


def load(kind, data):
    """Rebuild a value of type `kind` from what dump() made of it."""
    if data is None:
        return None
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin in (typing.Union, types.UnionType):
        (inner,) = [a for a in args if a is not type(None)]
        return load(inner, data)
    if dataclasses.is_dataclass(kind):
        hints = _hints(kind)
        # A field the model gained after a record was stored takes its default.
        return kind(
            **{
                f.name: load(hints[f.name], data[f.name])
                for f in dataclasses.fields(kind)
                if f.name in data or not _has_default(f)
            }
        )
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(load(args[0], item) for item in data)
        return tuple(load(a, item) for a, item in zip(args, data, strict=True))
    if origin in (frozenset, set):
        return frozenset(load(args[0], item) for item in data)
    if origin is list:
        return [load(args[0], item) for item in data]
    if origin is dict:
        return {key: load(args[1], item) for key, item in data.items()}
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return kind(data)
    if kind is Decimal:
        return Decimal(data)
    if kind is datetime.date:
        return datetime.date.fromisoformat(data)
    return data


def _has_default(field: dataclasses.Field) -> bool:
    return (
        field.default is not dataclasses.MISSING or field.default_factory is not dataclasses.MISSING
    )


def canonical_json(data) -> str:
    """One spelling of the data, so equal results always have equal checksums."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def checksum(data) -> str:
    return hashlib.sha256(canonical_json(data).encode()).hexdigest()
