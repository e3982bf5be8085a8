"""A generated client names its functions after the operations' ids: each is its view function's name, unique."""

from collections import Counter

from ocop.api.urls import api


def test_each_operation_id_is_its_function_name_and_unique():
    doc = api.get_openapi_schema()
    ids = [op["operationId"] for methods in doc["paths"].values() for op in methods.values()]
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    assert doc["paths"]["/api/v1/certificates/{code}"]["get"]["operationId"] == "get_certificate"
    assert doc["paths"]["/api/v1/products"]["post"]["operationId"] == "create_product"
