import datetime as dt
import subprocess
import sys

from django.template import Context, Template
from django.utils import formats, translation


def test_vietnamese_dates_numbers_and_money():
    with translation.override("vi"):
        assert formats.date_format(dt.date(2027, 12, 31), "SHORT_DATE_FORMAT") == "31/12/2027"
        assert formats.number_format(1234567, force_grouping=True) == "1.234.567"
        assert Template("{% load ocop_format %}{{ v|vnd }}").render(Context({"v": 1234567})) == "1.234.567 ₫"
    with translation.override("en"):
        assert formats.date_format(dt.date(2027, 12, 31), "SHORT_DATE_FORMAT") == "31/12/2027"
        assert Template("{% load ocop_format %}{{ v|vnd }}").render(Context({"v": 1234567})) == "1,234,567 ₫"


def test_malformed_environment_stops_start_up_with_a_message(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", "import ocop.settings"],
        env={"DEBUG": "perhaps", "OCOP_DATA_DIR": str(tmp_path), "PATH": "/usr/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stderr) == (
        1,  # SystemExit with the message: Python prints it and exits 1
        "Bad environment variable DEBUG='perhaps': expected true or false.\n",
    )
    result = subprocess.run(
        [sys.executable, "-c", "import ocop.settings"],
        env={"OCOP_IMPORT_MAX_ROWS": "many", "DEBUG": "true", "OCOP_DATA_DIR": str(tmp_path), "PATH": "/usr/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "OCOP_IMPORT_MAX_ROWS" in result.stderr
