"""Building bank models from data already known to validate, without validating it again.

A bank whose exact bytes passed every check before (:mod:`csintake.bank.cache`) would pass
validation again and give the same models; building pydantic's validators for it costs more
than everything else a brief does. :func:`construct` gives that same result by walking the
models' own field declarations: nested models, lists and dicts of them, the discriminated
question union and the field's ``BeforeValidator``\\s, which turn values as validation would
(``version: 1.0`` into text, an ISO date into a date). Nothing here checks anything, so it is
for trusted data only; ``tests/test_bank_trusted.py`` holds it equal to ``model_validate`` on
every bank the tests know.
"""

from __future__ import annotations

import functools
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, TypeVar, cast, get_args, get_origin

from pydantic import BaseModel, BeforeValidator
from pydantic.fields import FieldInfo

M = TypeVar("M", bound=BaseModel)
Convert = Callable[[Any], Any]


def construct(cls: type[M], data: Mapping[str, Any]) -> M:
    """``cls.model_validate(data)`` for ``data`` that is known to validate."""
    built: M = _builder(cls)(data)
    return built


def _same(value: Any) -> Any:
    return value


@functools.cache
def _builder(cls: type[BaseModel]) -> Convert:
    plan: list[tuple[str, str, Convert, Callable[[], Any]]] = []
    for name, info in cls.model_fields.items():
        key = info.alias or name
        plan.append((name, key, _field(info), _default(info)))

    def build(data: Any) -> Any:
        given = {name: convert(data[key]) for name, key, convert, _ in plan if key in data}
        # Every field is passed, so that model_construct looks up no default itself (for a
        # default factory it inspects the factory's signature, which costs more than the rest).
        values = {name: given[name] if name in given else default() for name, _, _, default in plan}
        return cls.model_construct(_fields_set=set(given), **values)

    return build


def _default(info: FieldInfo) -> Callable[[], Any]:
    factory = info.default_factory
    if factory is None:
        return info.get_default
    if isinstance(factory, type) and issubclass(factory, BaseModel):
        return lambda: _builder(factory)({})  # the model with its own defaults, unvalidated
    return cast(Callable[[], Any], factory)


def _field(info: FieldInfo) -> Convert:
    return _with_validators(_convert(info.annotation), info.metadata)


def _with_validators(convert: Convert, metadata: list[Any]) -> Convert:
    # The bank's own validators take the value alone (no validation info).
    before = [cast(Convert, m.func) for m in metadata if isinstance(m, BeforeValidator)]
    if not before:
        return convert

    def converted(value: Any) -> Any:
        # pydantic applies the innermost (last-declared) validator first.
        for func in reversed(before):
            value = func(value)
        return convert(value)

    return converted


def _convert(annotation: Any) -> Convert:
    origin = get_origin(annotation)
    if origin is typing.Annotated:
        inner, *metadata = get_args(annotation)
        discriminator = next(
            (m.discriminator for m in metadata if isinstance(m, FieldInfo) and m.discriminator),
            None,
        )
        if isinstance(discriminator, str):
            return _tagged(get_args(inner), discriminator)
        return _with_validators(_convert(inner), metadata)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _builder(annotation)
    if annotation is float:
        # Strict floats take integers, and give a float.
        return lambda value: float(value) if isinstance(value, int) else value
    if origin is list:
        (item,) = get_args(annotation)
        convert_item = _convert(item)
        if convert_item is _same:
            return list
        return lambda value: [convert_item(v) for v in value]
    if origin is dict:
        key, item = get_args(annotation)
        convert_key, convert_value = _convert(key), _convert(item)
        if convert_key is _same and convert_value is _same:
            return dict
        return lambda value: {convert_key(k): convert_value(v) for k, v in value.items()}
    if origin is typing.Union or origin is types.UnionType:
        return _union(get_args(annotation))
    return _same


def _union(members: tuple[Any, ...]) -> Convert:
    """``X | None`` and unions of plain values; a union of several models needs a tag."""
    found = (_convert(m) for m in members if m is not type(None))
    converters = [c for c in found if c is not _same]
    if not converters:
        return _same
    if len(converters) > 1:
        raise TypeError(f"cannot build a union of several models without a tag: {members}")
    (convert,) = converters
    return lambda value: None if value is None else convert(value)


def _tagged(members: tuple[Any, ...], tag: str) -> Convert:
    by_tag: dict[Any, Convert] = {}
    for member in members:
        for value in get_args(member.model_fields[tag].annotation):
            by_tag[value] = _builder(member)
    return lambda value: by_tag[value[tag]](value)
