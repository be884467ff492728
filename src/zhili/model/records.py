"""Validated data as light records: the form in which the cache gives a registry back to commands.

A record holds one validated model's fields as plain attributes, and the models with behaviour have a
twin here that inherits it from `zhili.model.behaviour`, as the pydantic model does. Importing this
module loads no pydantic, which is what lets a command on unchanged data start quickly.
"""

from __future__ import annotations

import copy
from typing import Any

from zhili.model.behaviour import EvaluationMethods, EvaluationRulesMethods, RuleMethods


class Record:
    """The fields of one validated model, by the same names (`not_`, `in_` for the aliased ones)."""

    def __init__(self, **fields: Any):
        self.__dict__.update(fields)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self.__dict__.items())})"


class Rule(RuleMethods, Record):
    pass


class Evaluation(EvaluationMethods, Record):
    pass


class EvaluationRules(EvaluationRulesMethods, Record):
    pass


# the record class for a model class name; models without behaviour use Record itself
TWINS: dict[str, type[Record]] = {cls.__name__: cls for cls in (Rule, Evaluation, EvaluationRules)}


class Light:
    """A validated entry of a large data file, as the registry keeps it: the fields of its pydantic model
    in slots (no `__dict__`, no set of the fields given), and the model's behaviour from the same mixins.
    Pydantic decided that the values are valid; a light record only holds them. The classes are made from
    the models by `zhili.loading.lighten`. A model that allows extra fields (an evaluation's stage results)
    keeps them in a `__dict__`, as attributes."""

    __slots__ = ()
    _fields: tuple[str, ...] = ()  # the model's field names, in its order
    _model: Any = None  # the pydantic model class

    def _asdict(self) -> dict[str, Any]:
        """The fields, then the extra fields."""
        out = {name: getattr(self, name) for name in self._fields}
        out.update(getattr(self, "__dict__", None) or {})
        return out

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self._asdict().items())})"

    # the two questions code asks of a pydantic model besides its fields, answered the same way

    def model_copy(self, *, update: dict[str, Any] | None = None, deep: bool = False) -> Any:
        """A copy with some fields replaced (not validated, as with pydantic's `model_copy`)."""
        fields = {**self._asdict(), **(update or {})}
        if deep:
            fields = copy.deepcopy(fields)
        new = object.__new__(type(self))
        for name, value in fields.items():
            setattr(new, name, value)
        return new

    def model_dump(self, **options: Any) -> Any:
        """What the pydantic model with these values dumps (the same options)."""
        return _model_of(self).model_dump(**options)


def _model_of(value: Any) -> Any:
    """The pydantic model a light record was made from, with these values (not validated again)."""
    if isinstance(value, Light):
        return value._model.model_construct(**{k: _model_of(v) for k, v in value._asdict().items()})
    kind = type(value)
    if kind is list:
        return [_model_of(v) for v in value]
    if kind is dict:
        return {k: _model_of(v) for k, v in value.items()}
    if kind is tuple:
        return tuple(_model_of(v) for v in value)
    return value


def light_class(model: Any, fields: tuple[str, ...], mixins: tuple[type, ...], extra: bool) -> type[Light]:
    """A light record class for a pydantic `model`, named like it, with its fields as slots (and a `__dict__` for extra
    fields when the model allows them)."""
    name = model.__name__
    body: dict[str, Any] = {"__slots__": fields + (("__dict__",) if extra else ()), "_fields": fields, "_model": model,
                            "__module__": __name__, "__qualname__": name}
    if extra:  # where pydantic keeps them, for the code that asks a model for its extra fields
        body["__pydantic_extra__"] = property(lambda self: self.__dict__)
    return type(name, mixins + (Light,), body)
