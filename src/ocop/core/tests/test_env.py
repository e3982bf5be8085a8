"""The typed environment readers settings.py uses: a bad value names the variable, the value and what was expected."""

from __future__ import annotations

import pytest

from ocop.core.env import BadEnvironment, envbool, envint, envints, envlist, envmap, envnetworks


def test_readers_parse_good_values(monkeypatch):
    monkeypatch.setenv("X_BOOL", " Yes ")
    monkeypatch.setenv("X_INT", " 42 ")
    monkeypatch.setenv("X_INTS", "90, 60,,30 ")
    monkeypatch.setenv("X_LIST", " a.example , ,b.example")
    monkeypatch.setenv("X_NETS", "127.0.0.1, 10.1.2.0/24, ::1")
    monkeypatch.setenv("X_MAP", "6385-2023=70, 950=65")
    assert envbool("X_BOOL", "false") is True
    assert envbool("X_UNSET", "off") is False
    assert envint("X_INT", "0") == 42
    assert envints("X_INTS", "") == [90, 60, 30]
    assert envints("X_UNSET", "90,60,30") == [90, 60, 30]
    assert envlist("X_LIST", "") == ["a.example", "b.example"]
    assert envlist("X_UNSET", "") == []
    assert envnetworks("X_NETS", "") == ["127.0.0.1/32", "10.1.2.0/24", "::1/128"]
    assert envmap("X_MAP", "") == {"6385-2023": 70, "950": 65}


@pytest.mark.parametrize(
    ("reader", "value", "message"),
    [
        (envbool, "maybe", "Bad environment variable X_BAD='maybe': expected true or false."),
        (envint, "ten", "Bad environment variable X_BAD='ten': expected a whole number."),
        (
            envints,
            "90,sixty",
            "Bad environment variable X_BAD='90,sixty': expected whole numbers separated by commas "
            "('sixty' is not one).",
        ),
        (
            envnetworks,
            "127.0.0.1,nginx",
            "Bad environment variable X_BAD='127.0.0.1,nginx': expected IP addresses or networks separated by "
            "commas ('nginx' is not one).",
        ),
        (
            envmap,
            "6385-2023:70",
            "Bad environment variable X_BAD='6385-2023:70': expected key=number pairs separated by commas.",
        ),
    ],
)
def test_a_bad_value_names_the_variable_and_exits(monkeypatch, reader, value, message):
    monkeypatch.setenv("X_BAD", value)
    with pytest.raises(BadEnvironment) as raised:
        reader("X_BAD", "")
    assert str(raised.value) == message
    assert isinstance(raised.value, SystemExit)  # uncaught, Python prints the message (no traceback) and exits 1
    assert (raised.value.name, raised.value.value) == ("X_BAD", value)


@pytest.mark.parametrize(
    ("reader", "value", "message"),
    [
        (envint, "-5", "Bad environment variable X_BAD='-5': expected a whole number of at least 0."),
        (envints, "90,0,-30", "Bad environment variable X_BAD='90,0,-30': expected whole numbers of at least 1 "
         "separated by commas ('0' is not one)."),
        (envints, " , ", "Bad environment variable X_BAD=' , ': expected one or more whole numbers separated by "
         "commas."),
    ],
)  # fmt: skip
def test_numbers_below_their_range_are_refused(monkeypatch, reader, value, message):
    monkeypatch.setenv("X_BAD", value)
    with pytest.raises(BadEnvironment) as raised:
        reader("X_BAD", "")
    assert str(raised.value) == message


def test_a_setting_that_must_be_positive_says_so(monkeypatch):
    monkeypatch.setenv("X_LIMIT", "0")
    with pytest.raises(BadEnvironment) as raised:
        envint("X_LIMIT", "5", minimum=1)
    assert str(raised.value) == "Bad environment variable X_LIMIT='0': expected a whole number of at least 1."
    monkeypatch.setenv("X_LIMIT", "3")
    assert envint("X_LIMIT", "5", minimum=1) == 3
