from ocop.outlets.tests.conftest import outlet_scene  # noqa: F401  # the outlets' scene, for pages above them
