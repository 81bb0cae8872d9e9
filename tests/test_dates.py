import datetime

import pytest

from karabakh_site.text.dates import (
    DateError, DateWords, format_date, is_approximate, is_exact, machine_date, parse_date, timestamp,
)


@pytest.mark.parametrize(
    "text, words, machine",
    [
        ("2025-07-19", "19 July 2025", "2025-07-19"),
        ("2021-07", "July 2021", "2021-07"),
        ("2021-07~", "July 2021 (approx.)", "2021-07"),
        ("2017~", "2017 (approx.)", "2017"),
        ("1993-04-02?", "2 April 1993 (uncertain)", "1993-04-02"),
        ("1994", "1994", "1994"),
        ("1988/1992", "1988–1992", None),
        ("2023-07-21/2023-07-22", "21–22 July 2023", None),
        ("2023-09-19/2023-10-02", "19 September – 2 October 2023", None),
        ("2020-11/2023-09", "November 2020 – September 2023", None),
        ("1992~/1993", "1992 (approx.) – 1993", None),
        # Issue 12: a text that gives only a lower bound ("on July 20", after November 2020).
        ("2021-07-20/..", "20 July 2021 or later", None),
        ("2021-07~/..", "July 2021 (approx.) or later", None),
    ],
)
def test_parse_and_format(text, words, machine):
    date = parse_date(text)
    assert date.text == text
    assert format_date(date) == words
    assert machine_date(date) == machine


def test_bounds_cover_the_whole_period():
    date = parse_date("1988/1992")
    assert date.earliest == datetime.date(1988, 1, 1)
    assert date.latest == datetime.date(1992, 12, 31)
    assert parse_date("2021-02").latest == datetime.date(2021, 2, 28)


def test_undated_and_approximate():
    assert format_date(None) == "undated"
    assert is_approximate(parse_date("2021-07~"))
    assert not is_approximate(parse_date("2021-07"))
    assert not is_approximate(None)


@pytest.mark.parametrize(
    "value, message",
    [
        ("2023-02-30", "invalid EDTF date '2023-02-30': not a real date or not EDTF"),
        ("19 July 2025", "invalid EDTF date '19 July 2025': not a real date or not EDTF"),
        ("199X", "EDTF date '199X' is valid but not supported here; use a day (2025-07-19), a month "
                 "(2021-07) or a year (1994), optionally followed by ~ or ?, a range (1988/1992) or a range with an "
                 "open end (2021-07-20/..)"),
        ("1995/1990", "date range '1995/1990' ends before it starts"),
        (3.5, "date must be a quoted EDTF string such as '2025-07-19', not float 3.5"),
        # Issue 11: month and day 00 read as absent, non-ASCII digits read by int().
        ("2020-01-00", "invalid EDTF date '2020-01-00': months and days start at 01; for a month or a year "
                       "alone leave the rest out (2020-01, 2020)"),
        ("2020-00", "invalid EDTF date '2020-00': months and days start at 01; for a month or a year "
                    "alone leave the rest out (2020-01, 2020)"),
        ("2020-00-05", "invalid EDTF date '2020-00-05': months and days start at 01; for a month or a year "
                       "alone leave the rest out (2020-01, 2020)"),
        ("1990/2020-01-00~", "invalid EDTF date '1990/2020-01-00~': months and days start at 01; for a month "
                             "or a year alone leave the rest out (2020-01, 2020)"),
        ("\u0662\u0660\u0662\u0660", "invalid EDTF date '\u0662\u0660\u0662\u0660': write the digits as 0-9 "
                                 "(EDTF uses ASCII digits only)"),
        ("\u06f1\u06f9\u06f9\u06f4", "invalid EDTF date '\u06f1\u06f9\u06f9\u06f4': write the digits as 0-9 "
                                 "(EDTF uses ASCII digits only)"),
        ("\uff12\uff10\uff12\uff10-\uff10\uff11", "invalid EDTF date '\uff12\uff10\uff12\uff10-\uff10\uff11': "
                                              "write the digits as 0-9 (EDTF uses ASCII digits only)"),
        ("1994\n", "invalid EDTF date '1994\\n': remove the spaces or line breaks around it"),
        (" 1994", "invalid EDTF date ' 1994': remove the spaces or line breaks around it"),
        ("2021-07-20/", "EDTF date '2021-07-20/' is valid but not supported here; use a day (2025-07-19), a "
                        "month (2021-07) or a year (1994), optionally followed by ~ or ?, a range (1988/1992) or a "
                        "range with an open end (2021-07-20/..); for 'this day or later' write 2021-07-20/.. "
                        "(an open end)"),
        ("../2021", "EDTF date '../2021' is valid but not supported here; use a day (2025-07-19), a month "
                    "(2021-07) or a year (1994), optionally followed by ~ or ?, a range (1988/1992) or a range "
                    "with an open end (2021-07-20/..); ranges with an open or unknown start are not supported"),
        ("2021-07-20/..x", "invalid EDTF date '2021-07-20/..x': not a real date or not EDTF"),
        ("0000", "EDTF date '0000' is valid but not supported here; use a day (2025-07-19), a month "
                 "(2021-07) or a year (1994), optionally followed by ~ or ?, a range (1988/1992) or a range with an "
                 "open end (2021-07-20/..)"),
    ],
)
def test_invalid_dates_are_explained(value, message):
    with pytest.raises(DateError) as caught:
        parse_date(value)
    assert str(caught.value) == message


def test_sort_key_orders_ranges_after_their_start():
    keys = sorted(parse_date(t).sort_key for t in ["1993", "1992-05-08", "1988/1992", "1993-04-02"])
    assert [k[2] for k in keys] == ["1988/1992", "1992-05-08", "1993", "1993-04-02"]


@pytest.mark.parametrize("text", ["2024-02", "2023-02", "1900-02", "2000-02~", "1993-04-02?", "1988/1992", "1992-05%",
                                  "2020-09-27/2020-11-10", "1993~/1994-03", "2025-12-31", "1994"])
def test_fast_calendar_path_agrees_with_the_edtf_library(text):
    from edtf import parse_edtf
    parsed = parse_edtf(text)
    date = parse_date(text)
    assert (date.earliest, date.latest) == (datetime.date(*parsed.lower_strict()[:3]),
                                            datetime.date(*parsed.upper_strict()[:3]))


def test_first_and_last_days_of_the_calendar():
    """Years 1 to 9999 are dates like any other; the chart and the data files must cope with them."""
    first, last = parse_date("0001-01-01"), parse_date("9999-12-31")
    assert (format_date(first), format_date(last)) == ("1 January 1", "31 December 9999")
    assert (machine_date(first), machine_date(last)) == ("0001-01-01", "9999-12-31")
    whole = parse_date("0001/9999")
    assert (whole.earliest, whole.latest) == (datetime.date.min, datetime.date.max)


def test_an_open_end_has_a_first_day_and_no_last():
    date = parse_date("2021-07-20/..")
    assert (date.earliest, date.latest, date.open_end, date.is_range) == (datetime.date(2021, 7, 20), None, True, True)
    assert not is_exact(date) and not date.is_exact_day and not is_approximate(date)


def test_an_open_end_sorts_after_every_date_that_starts_on_its_day():
    """Documented in docs/content.md: by its first possible day, then as the latest possible end."""
    texts = ["2023-07-23", "2021-07-20/..", "2021-07-20", "2021-07-20/2021-12", "2021-07", "2021-07-21"]
    ordered = sorted(texts, key=lambda t: parse_date(t).sort_key)
    assert ordered == ["2021-07", "2021-07-20", "2021-07-20/2021-12", "2021-07-20/..", "2021-07-21", "2023-07-23"]


def test_or_later_is_said_in_the_interface_language():
    words = DateWords(months=tuple(f"M{n}" for n in range(1, 13)), or_later="ab {date}")
    assert format_date(parse_date("2021-07-20/.."), words=words) == "ab 20 M7 2021"


@pytest.mark.parametrize("text, exact", [("2025-07-19", True), ("2021-07", True), ("1994", True),
                                         ("2021-07~", False), ("1993-04-02?", False), ("1988/1992", False),
                                         ("2021-07-20/..", False)])
def test_exact_dates_are_single_and_unqualified(text, exact):
    assert is_exact(parse_date(text)) is exact
    assert not is_exact(None)


@pytest.mark.parametrize("text", ["2021-07~", "2021-07", "1994", "1988/1992", "2021-07-20/..", "2023-07-21/2023-07-22"])
def test_a_feed_time_stamp_is_refused_for_anything_but_one_exact_day(text):
    with pytest.raises(ValueError, match="not one exact day"):
        timestamp(parse_date(text))
    assert timestamp(parse_date("2025-07-19")) == "2025-07-19T00:00:00Z"
