"""The 422 messages of ocop.api.errors, from pydantic's own errors: in Vietnamese, with no English of pydantic's
left in them (an enum's or a Literal's allowed values listed by us, a fractional number refused as one)."""

from enum import StrEnum
from typing import Literal

import pydantic
import pytest
from django.utils import translation

from ocop.api.errors import allowed_values, schema_errors


class State(StrEnum):
    PLANNED = "planned"
    DONE = "done"


class Body(pydantic.BaseModel):
    state: State | None = None
    kind: Literal["a, b", "it's", 'say "or"', 3] | None = None
    revenue: int | None = None
    tags: list[str] | None = pydantic.Field(None, min_length=2, max_length=3)


def _errors(data):
    with pytest.raises(pydantic.ValidationError) as caught:
        Body.model_validate(data)
    with translation.override("vi"):
        return schema_errors(caught.value.errors(include_url=False))


def test_an_enum_lists_its_values_without_pydantic_english():
    assert _errors({"state": "lost"}) == [
        {"field": "state", "message": "Không thuộc các giá trị cho phép: planned, done."}
    ]


def test_a_literal_lists_its_values_even_with_commas_quotes_and_or_in_them():
    assert _errors({"kind": "x"}) == [
        {"field": "kind", "message": 'Không thuộc các giá trị cho phép: a, b, it\'s, say "or", 3.'}
    ]
    assert allowed_values({"expected": "'planned' or 'done'"}) == ["planned", "done"]
    assert allowed_values({}) == []


def test_a_fractional_number_for_a_whole_one_is_named_so():
    assert _errors({"revenue": 1.5}) == [{"field": "revenue", "message": "Hãy nhập một số nguyên."}]
    assert _errors({"revenue": "1.5"}) == [{"field": "revenue", "message": "Hãy nhập một số nguyên."}]
    with translation.override("en"):
        errors = pydantic.TypeAdapter(Body).validate_python
        with pytest.raises(pydantic.ValidationError) as caught:
            errors({"revenue": 2.25})
        assert schema_errors(caught.value.errors()) == [{"field": "revenue", "message": "Enter a whole number."}]


def test_a_list_too_short_or_too_long_says_how_many_items():
    """The lists of the API name what is missing (test_api_sales, test_api_webhooks); any other says the count."""
    assert _errors({"tags": ["a"]}) == [{"field": "tags", "message": "Tối thiểu 2 mục."}]
    assert _errors({"tags": ["a", "b", "c", "d"]}) == [{"field": "tags", "message": "Tối đa 3 mục."}]
