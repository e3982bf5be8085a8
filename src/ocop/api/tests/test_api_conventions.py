"""The OpenAPI document's conventions, read from the document itself: each enum one named schema (ocop.api.enums)
holding the domain's values, every error declared with ErrorOut, the outlets' GeoJSON typed, the cached reads'
304 declared."""

import importlib
from enum import Enum

import jsonschema
import pytest
from django.test import Client

from ocop.api import enums
from ocop.certificates import enums as certificates
from ocop.evaluation import enums as evaluation
from ocop.outlets import enums as outlets
from ocop.outlets.tests.conftest import outlet_scene  # noqa: F401
from ocop.places.models import CommuneKind
from ocop.promotion.enums import EventKind
from ocop.registry import enums as registry
from ocop.reporting.models import RunState
from ocop.supervision import enums as supervision

# Each API enum and the domain values it mirrors (exactly, in order); None: the API's own (no domain twin).
MIRRORS = {
    "CertificateStatus": certificates.Status.values,
    "CertificateStatusFilter": ["current", *certificates.Status.values],
    "LogEvent": certificates.LogEvent.values,
    "ConsumerReportKind": certificates.ReportKind.values,
    "IssuingLevel": certificates.IssuingLevel.values,
    "LegalBasis": certificates.LegalBasis.values,
    "CommuneKind": CommuneKind.values,
    "ProducerKind": registry.ProducerKind.values,
    "ProductStatus": registry.ProductStatus.values,
    "DataFlag": registry.DataFlag.values,
    "OutletKind": outlets.OutletKind.values,
    "OutletStatus": outlets.OutletStatus.values,
    "Provenance": evaluation.Provenance.values,
    "Part": evaluation.Part.values,
    "RoundLevel": evaluation.RoundLevel.values,
    "DossierKind": evaluation.DossierKind.values,
    "DossierState": evaluation.DossierState.values,
    "SheetState": evaluation.SheetState.values,
    "EventKind": EventKind.values,
    "ReportState": RunState.values,
    "PlanIndicator": lambda: list(importlib.import_module("ocop.planning.indicators").INDICATORS),
    "InspectionState": supervision.InspectionState.values,
    "CheckArea": supervision.CheckArea.values,
    "CheckResult": supervision.CheckResult.values,
    "Severity": supervision.Severity.values,
    "FindingState": supervision.FindingState.values,
    "SanctionKind": supervision.SanctionKind.values,
    "RiskReason": supervision.RiskReason.values,
    "WebhookEvent": lambda: importlib.import_module("ocop.webhooks.enums").EventType.values,
    "DeliveryStatus": lambda: importlib.import_module("ocop.webhooks.enums").DeliveryStatus.values,
    "ErrorCode": None,
}


@pytest.fixture
def document(db):
    return Client().get("/api/v1/openapi.json").json()


def _api_enums():
    return {
        name: cls
        for name, cls in vars(enums).items()
        if isinstance(cls, type) and issubclass(cls, Enum) and cls.__module__ == enums.__name__
    }


def test_each_api_enum_holds_the_domain_values():
    found = _api_enums()
    assert set(found) <= set(MIRRORS), "name each new enum's domain twin in MIRRORS"
    for name, cls in found.items():
        values = [m.value for m in cls]
        mirror = MIRRORS[name]
        if mirror is not None:
            assert values == list(mirror() if callable(mirror) else mirror), name
        assert issubclass(cls, str), name


def _enum_places(node, where=()):
    """Where the document holds an `enum` list, as paths of keys."""
    if isinstance(node, dict):
        if "enum" in node:
            yield where
        for key, value in node.items():
            yield from _enum_places(value, (*where, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _enum_places(value, (*where, i))


def test_enums_are_named_schemas_used_by_reference(document):
    places = list(_enum_places(document))
    inline = [p for p in places if len(p) != 3 or p[:2] != ("components", "schemas")]
    assert inline == [], "an inline enum: use (or add) a class of ocop.api.enums"
    named = {p[2] for p in places}
    assert named <= set(_api_enums())
    schemas = document["components"]["schemas"]
    assert schemas["CertificateStatus"]["enum"] == certificates.Status.values
    assert schemas["CertificateOut"]["properties"]["status"]["$ref"] == "#/components/schemas/CertificateStatus"
    filters = {p["name"]: p for p in document["paths"]["/api/v1/certificates"]["get"]["parameters"]}
    assert filters["status"]["schema"]["anyOf"][0] == {"$ref": "#/components/schemas/CertificateStatusFilter"}
    assert schemas["ProducerIn"]["properties"]["kind"] == {"$ref": "#/components/schemas/ProducerKind"}
    assert schemas["ProducerOut"]["properties"]["kind"] == {"$ref": "#/components/schemas/ProducerKind"}


def test_every_operation_declares_its_errors_with_error_out(document):
    codes = document["components"]["schemas"]["ErrorCode"]["enum"]
    assert {"not_found", "forbidden", "invalid", "unauthorized", "bad_request", "method_not_allowed"} <= set(codes)
    open_ones = 0
    for path, item in document["paths"].items():
        for method, operation in item.items():
            for status in ("400", "401", "403", "404", "422"):
                content = operation["responses"][status]["content"]
                assert content == {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}, (
                    path,
                    method,
                    status,
                )
            open_ones += "security" not in operation
    assert open_ones >= 12  # the public reads among them


def test_the_outlets_are_typed_geojson(document, outlet_scene, client):  # noqa: F811
    from ocop.outlets.models import Outlet
    from ocop.outlets.queries import map_feature
    from ocop.outlets.tests.conftest import recognised

    ok = document["paths"]["/api/v1/outlets"]["get"]["responses"]["200"]
    assert ok["content"] == {"application/geo+json": {"schema": {"$ref": "#/components/schemas/OutletCollection"}}}
    schemas = document["components"]["schemas"]
    assert schemas["OutletPoint"]["properties"]["type"]["const"] == "Point"
    assert schemas["OutletProperties"]["properties"]["kind"] == {"$ref": "#/components/schemas/OutletKind"}
    with_phone, _ = recognised(outlet_scene, n=2)
    Outlet.objects.filter(pk=with_phone.pk).update(phone="0243.826.1234")
    with_phone.refresh_from_db()
    Outlet.objects.filter(pk=with_phone.pk).update(map_feature=map_feature(with_phone))
    response = client.get("/api/v1/outlets")
    assert response["Content-Type"] == "application/geo+json"
    body = response.json()
    assert [sorted(f["properties"]) for f in body["features"]] == [
        ["address", "approximate", "code", "hours", "kind", "name", "open", "phone", "tel"],
        ["address", "approximate", "code", "hours", "kind", "name", "open"],
    ]
    validator = jsonschema.Draft202012Validator(
        {"$ref": "#/components/schemas/OutletCollection", "components": document["components"]}
    )
    validator.validate(body)
    broken = {**body, "features": [{**body["features"][0], "geometry": {"type": "Point", "coordinates": [1]}}]}
    assert not validator.is_valid(broken)


CACHED = [
    "/api/v1/certificates",
    "/api/v1/certificates/{code}",
    "/api/v1/keys",
    "/api/v1/provinces",
    "/api/v1/provinces/{code}/communes",
    "/api/v1/criteria",
    "/api/v1/criteria/{version_id}/sets",
    "/api/v1/criteria/{version_id}/sets/{set_code}",
    "/api/v1/outlets",
]


def test_the_cached_reads_declare_their_304(document):
    for path in CACHED:
        operation = document["paths"][path]["get"]
        assert operation["responses"]["304"] == {"description": "Not Modified"}, path
        assert "security" not in operation, path  # open to everyone
