"""Amounts in European and Chinese notation, and dates with their order and precision (#16)."""

import datetime as dt

import pytest

from ic2analysis.cleaning.parse import amounts, dates


@pytest.mark.parametrize(
    "cell, value, currency",
    [
        ("EUR 1.000.000", 1e6, "EUR"),
        ("€1,5 Mio.", 1.5e6, "EUR"),
        ("1,5 Mrd. EUR", 1.5e9, "EUR"),
        ("1.500 Mio. EUR", 1.5e9, "EUR"),
        ("EUR 2.4 bn", 2.4e9, "EUR"),
        ("EUR 1.234,5", 1234.5, "EUR"),
        ("5千万元", 5e7, "CNY"),
        ("五千万元", 5e7, "CNY"),
        ("5000萬元", 5e7, "CNY"),
        ("3.5億元", 3.5e8, "CNY"),
        ("2亿美元", 2e8, "USD"),
        ("1亿欧元", 1e8, "EUR"),
        ("港币5亿元", 5e8, "HKD"),
        ("HK$ 300 million", 3e8, "HKD"),
        ("HKD 1.2 billion reserved", 1.2e9, "HKD"),
        ("NT$ 5 billion", 5e9, "TWD"),
        ("¥ 500 million (JPY)", 5e8, "JPY"),
        ("¥ 1,200万", 1.2e7, "CNY"),
        ("Horizon 2020 EUR 10 million", 1e7, "EUR"),
        ("Horizon 2020 funding of 10 million EUR", 1e7, "EUR"),
        ("EUR 2,500 per patient", 2500, "EUR"),
        ("1.250 million EUR", 1.25e6, "EUR"),
        # a figure never starts inside a programme year: not '030 100' x 1e8
        ("Healthy China 2030 100亿元", 1e10, "CNY"),
        ("Horizon 2020 500 million EUR", 5e8, "EUR"),
        ("EUR 1 200 000", 1.2e6, "EUR"),
    ],
)
def test_money_notations(cell, value, currency):
    a = amounts.amount(cell)
    assert a is not None and a.value == pytest.approx(value) and a.currency == currency


@pytest.mark.parametrize(
    "cell, why",
    [
        ("PLN 104-105 million", "range"),
        ("bioindustry 8-10万亿元 by 2020", "range"),
        ("CNY 5~8亿元", "range"),
        ("EUR 1.000", "decimal or a thousands mark"),
        ("EUR 1.2.3", "groups of three"),
    ],
)
def test_ambiguous_amounts_stay_empty_with_a_warning(cell, why):
    read = amounts.read_amount(cell)
    assert read.amount is None and why in read.warning


def test_a_programme_year_is_never_an_amount():
    assert amounts.amount("Horizon 2020 EUR") is None
    assert amounts.amount("Healthy China 2030 元") is None


@pytest.mark.parametrize("cell", ["11/7/2016", "3-4-2019"])
def test_ambiguous_slash_dates_are_rejected_by_default(cell):
    with pytest.raises(ValueError, match="date_order"):
        dates.period(cell)


def test_date_order_reads_ambiguous_dates_with_a_warning():
    dmy, mdy = dates.period("11/7/2016", "dmy"), dates.period("11/7/2016", "mdy")
    assert dmy.date_start == "2016-07-11" and mdy.date_start == "2016-11-07"
    assert "date_order=dmy" in dmy.warning and "date_order=mdy" in mdy.warning


def test_unambiguous_slash_dates_need_no_order():
    assert dates.period("21/03/2017").date_start == "2017-03-21"
    assert dates.period("03/21/2017").date_start == "2017-03-21"
    assert dates.period("21/03/2017").warning == ""


def test_dotted_year_month_is_month_precision():
    p = dates.period("2016.10")
    assert (p.date_start, p.precision) == ("2016-10", "month")


def test_unknown_date_order_is_an_error():
    with pytest.raises(ValueError, match="dmy, mdy, reject"):
        dates.period("2016", "ymd")


@pytest.mark.parametrize(
    "fmt, precision, iso",
    [
        ("yyyy-mm", "month", "2016-06"),
        ('yyyy"年"', "year", "2016"),
        ('yyyy"年"m"月"', "month", "2016-06"),
        ("yyyy-mm-dd", "day", "2016-06-21"),
        ("mm/dd/yy", "day", "2016-06-21"),
        ('[$-804]yyyy"年"', "year", "2016"),
    ],
)
def test_excel_number_formats_set_the_precision(fmt, precision, iso):
    assert dates.precision_of_format(fmt) == precision
    assert dates.iso_at(dt.date(2016, 6, 21), precision) == iso
