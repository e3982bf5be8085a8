from ocop.outlets.tests.conftest import shop  # noqa: F401  # the outlets' scene, for the plans above them
