"""What the API accepts in paths and queries, declared once as constrained types: ninja validates them and an
out-of-range or hostile value is a 422 in the API's error shape (ocop.api.errors), before any query runs.

- ids: 1 to MAX_ID (18 digits, as the pages' `<id:...>` URLs take them); a 19-digit id would overflow the
  database's integer (PostgreSQL answers with an error, SQLite's driver raises OverflowError);
- page numbers: 1 to MAX_PAGE (beyond the last page the list is empty; the offset always fits);
- text (codes, search words): one line, a control character refused as in the write schemas (ocop.api.text),
  and a length bound: PostgreSQL refuses a NUL outright, and a megabyte of search words is not a search.
"""

from __future__ import annotations

from typing import Annotated

from ninja import Field, Path
from pydantic import BeforeValidator

from ocop.api.text import clean_line
from ocop.core.converters import MAX_ID

MAX_PAGE = 1_000_000  # 50 million rows at 50 a page
MAX_CODE = 32  # the longest code we hold (a product set's); provinces and communes have 8, QR codes 16
MAX_WORDS = 100  # search words, as the pages cut them

# In a path: /producers/{producer_id}
PathId = Annotated[int, Path(ge=1, le=MAX_ID, description="a record id (1 to 18 digits)")]
PathCode = Annotated[str, Path(max_length=MAX_CODE), BeforeValidator(clean_line)]

# In a query schema or a body: `page: PageNumber = 1`
Id = Annotated[int, Field(ge=1, le=MAX_ID, description="a record id (1 to 18 digits)")]
PageNumber = Annotated[int, Field(ge=1, le=MAX_PAGE, description="from 1; beyond the last page the list is empty")]
# (the bound before the validator: pydantic then checks it on the cleaned text, as a string's length)
Code = Annotated[str, Field(max_length=MAX_CODE), BeforeValidator(clean_line)]
Words = Annotated[str, Field(max_length=MAX_WORDS), BeforeValidator(clean_line)]
