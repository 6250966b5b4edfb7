"""The one cattrs converter that turns plan TOML into the model.

Built in one place, as lsprotocol does: :func:`make_converter` registers
every hook. Unknown keys are errors (a misspelt optional key must not be
silently ignored) and scalars are strict: cattrs' default hooks would turn
``13`` into ``"13"`` or ``"5"`` into ``5`` without a word.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import cattrs
from cattrs.gen import make_dict_structure_fn

from plancheck.plans import model

T = TypeVar("T")


def _strict_str(value: Any, _: type) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {type(value).__name__} {value!r}")
    return unicodedata.normalize("NFC", value)  # one spelling of every id and name (issue 21)


def _strict_int(value: Any, _: type) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected a whole number, got {type(value).__name__} {value!r}")
    return value


def _strict_float(value: Any, _: type) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"expected a number, got {type(value).__name__} {value!r}")
    return float(value)


def _strict_bool(value: Any, _: type) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"expected true or false, got {type(value).__name__} {value!r}")
    return value


def _strict_date(value: Any, _: type) -> date:
    # TOML has real dates (2024-03-12, unquoted); a datetime is not a date here.
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"expected a TOML date such as 2024-03-12, got {value!r}")
    return value


def _register_scalars(converter: cattrs.Converter) -> None:
    converter.register_structure_hook(str, _strict_str)
    converter.register_structure_hook(int, _strict_int)
    converter.register_structure_hook(float, _strict_float)
    converter.register_structure_hook(bool, _strict_bool)
    converter.register_structure_hook(date, _strict_date)


def _register_classes(converter: cattrs.Converter) -> None:
    # forbid_extra_keys on every attrs class the converter meets, nested ones included:
    # the plan model, programmes, and the classes other rooms read through this converter
    # (waiver files, fidelity exceptions), with no list here that must know them.
    import attrs

    converter.register_structure_hook_factory(
        attrs.has, lambda cls: make_dict_structure_fn(cls, converter, _cattrs_forbid_extra_keys=True)
    )


def _register_unstructure(converter: cattrs.Converter) -> None:
    converter.register_unstructure_hook(date, lambda d: d.isoformat())


@cache
def make_converter() -> cattrs.Converter:
    """The converter for plan files (and for writing plans back as JSON)."""
    import attrs

    attrs.resolve_types(model.Condition)
    converter = cattrs.Converter(forbid_extra_keys=True, omit_if_default=False)
    _register_scalars(converter)
    _register_classes(converter)
    _register_unstructure(converter)
    return converter


def _format_exception(exc: BaseException, type_: Any) -> str:
    if isinstance(exc, KeyError):
        return "required field missing"
    if isinstance(exc, cattrs.ForbiddenExtraKeysError):
        return f"unknown keys: {', '.join(sorted(exc.extra_fields))}"
    if "not in literal" in str(exc):
        allowed = ", ".join(repr(a) for a in getattr(type_, "__args__", ()))
        got = str(exc).split(" not in literal")[0]
        return f"invalid value {got!r}, expected one of: {allowed}"
    if isinstance(exc, TypeError) and str(exc).startswith("expected"):
        return str(exc)
    return cattrs.v.format_exception(exc, type_)


def structure_errors(exc: BaseException, *, prefix: str) -> list[str]:
    """Readable lines (``prefix: message @ $.path``) for a cattrs failure."""
    if isinstance(exc, cattrs.BaseValidationError):
        lines = cattrs.transform_error(exc, path="$", format_exception=_format_exception)
        return [f"{prefix}: {line}" for line in lines]
    return [f"{prefix}: {exc}"]


def structure_toml_file(path: str | Path, cls: type[T]) -> T:
    """Read a TOML file into ``cls``; InputError (``file: message @ $.path``) for every problem.

    The one way plan files, waiver files and fidelity exceptions are read.
    """
    import tomllib

    from plancheck.errors import InputError

    name = str(path)
    try:
        with Path(path).open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise InputError([f"{name}: file not found"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError([f"{name}: not valid TOML: {exc}"]) from None
    except UnicodeDecodeError as exc:
        raise InputError([f"{name}: not UTF-8 text: {exc}"]) from None
    except OSError as exc:
        raise InputError([f"{name}: cannot read: {exc.strerror}"]) from None
    except RecursionError:
        raise InputError([f"{name}: not a plan: arrays or tables nested too deeply"]) from None
    try:
        return make_converter().structure(data, cls)
    except Exception as exc:  # cattrs wraps every structuring failure
        raise InputError(structure_errors(exc, prefix=name)) from None
