"""Validated data as light records: the form in which the cache gives a registry back to commands.

A record holds one validated model's fields as plain attributes, and the models with behaviour have a
twin here that inherits it from `zhili.model.behaviour`, as the pydantic model does. Importing this
module loads no pydantic, which is what lets a command on unchanged data start quickly.
"""

from __future__ import annotations

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
