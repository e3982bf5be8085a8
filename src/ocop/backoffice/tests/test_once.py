"""conftest.Once, which the role matrices use: the world is built once for the module, and each test still starts
from it untouched (its own savepoint, its own copy of the objects and of the files)."""

from pathlib import Path

import pytest

from ocop.registry.models import Producer


@pytest.fixture
def world(world_once, fresh):
    return fresh(world_once)


def _files(root):
    return sorted(p.relative_to(root).as_posix() for p in Path(root).rglob("*") if p.is_file())


@pytest.mark.parametrize("turn", [1, 2, 3])
def test_each_test_starts_from_the_untouched_world(world, once, settings, turn):
    assert _files(settings.MEDIA_ROOT) == _files(once.base / "files") != []  # the world's photo, document, import
    assert Producer.objects.filter(pk=world.empty_producer.pk).exists()
    assert world.producer.name != "Đổi trong bộ nhớ"
    assert not (Path(settings.MEDIA_ROOT) / "viết-trong-test.txt").exists()
    # What the previous turn did, and must not leak into the next:
    Producer.objects.filter(pk=world.empty_producer.pk).delete()
    world.producer.name = "Đổi trong bộ nhớ"
    (Path(settings.MEDIA_ROOT) / "viết-trong-test.txt").write_text("x", encoding="utf-8")
    assert Path(settings.MEDIA_ROOT) != once.base / "files"
