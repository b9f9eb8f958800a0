"""A factory-boy model factory whose call is typed as the model it makes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from factory.django import DjangoModelFactory

ModelT = TypeVar("ModelT")


class ModelFactory(DjangoModelFactory[ModelT]):
    """Subclass as `class YouthFactory(ModelFactory[Youth])`: `YouthFactory(...)` is then a `Youth`.

    factory-boy types `.create()`/`.build()` but not the call itself (its metaclass `__call__` is
    untyped, so mypy falls back to the class), hence this type-only `__new__`. At run time
    factory-boy's metaclass answers the call and `__new__` does not exist."""

    class Meta:
        abstract = True

    if TYPE_CHECKING:
        # mypy wants __new__ to return the class; factory-boy's metaclass returns the model instead.
        def __new__(cls, **kwargs: Any) -> ModelT:  # type: ignore[misc]
            ...
