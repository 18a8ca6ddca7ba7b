"""The fold's own ``replace`` (issue 18: dataclasses.replace was a third of a site's first
read) must give what :func:`dataclasses.replace` gives, and refuse what it refuses."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import pytest

from infusion_app.logic.infusion_state import InfusionState
from infusion_app.logic.transitions import replace


def test_a_state_replaced_equals_dataclasses_replace_and_leaves_the_old_one_as_it_was() -> None:
    before = InfusionState(last_seq=3, patient="P001", notes=("first",))
    after = replace(before, last_seq=4, notes=(*before.notes, "second"))
    assert after == dataclasses.replace(before, last_seq=4, notes=("first", "second"))
    assert (before.last_seq, before.notes) == (3, ("first",))
    assert type(after) is InfusionState and hash(after) == hash(after)
    with pytest.raises(dataclasses.FrozenInstanceError):
        after.last_seq = 5  # type: ignore[misc]


def test_a_name_that_is_not_a_field_is_refused_as_dataclasses_refuses_it() -> None:
    with pytest.raises(TypeError):
        replace(InfusionState(), last_sequence=4)


@dataclass(frozen=True)
class _Checked:
    value: int

    def __post_init__(self) -> None:
        if self.value < 0:
            raise ValueError("negative")


@dataclass(frozen=True)
class _Derived:
    value: int
    twice: int = field(init=False, default=0)


def test_a_class_that_checks_or_derives_fields_goes_through_dataclasses_replace() -> None:
    with pytest.raises(ValueError, match="negative"):
        replace(_Checked(1), value=-1)  # its __post_init__ runs
    derived = object.__new__(_Derived)
    object.__setattr__(derived, "value", 1)
    object.__setattr__(derived, "twice", 2)
    # dataclasses.replace makes it anew: the init=False field back at its default
    assert replace(derived, value=3) == dataclasses.replace(derived, value=3) == _Derived(3)
