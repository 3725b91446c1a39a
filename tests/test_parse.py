import pytest

from ic2analysis import text
from ic2analysis.cleaning import dedupe
from ic2analysis.cleaning.parse import amounts, dates, places, vocab


@pytest.mark.parametrize(
    "cell, start, precision, end",
    [
        ("2016", "2016", "year", None),
        ("2016-06", "2016-06", "month", None),
        ("2016-06-21", "2016-06-21", "day", None),
        ("20161222", "2016-12-22", "day", None),
        ("March 2017", "2017-03", "month", None),
        ("21 March 2017", "2017-03-21", "day", None),
        ("2016年6月21日", "2016-06-21", "day", None),
        ("2016年06月21日", "2016-06-21", "day", None),
        ("2016年", "2016", "year", None),
        ("２０１６年６月", "2016-06", "month", None),
        ("2016-2030", "2016", "year", 2030),
        ("2016–2030", "2016", "year", 2030),
        ("2019—2030", "2019", "year", 2030),
        ("2015 to 2017", "2015", "year", 2017),
    ],
)
def test_period_forms(cell, start, precision, end):
    p = dates.period(cell)
    assert (p.date_start, p.precision, p.year_end) == (start, precision, end)
    assert p.year_start == int(start[:4])


@pytest.mark.parametrize("cell", ["soon", "2016-13-01", "20160230", "2030-2016", "16/2016x"])
def test_period_rejects(cell):
    with pytest.raises(ValueError):
        dates.period(cell)


def test_empty_period_is_unknown_not_guessed():
    assert dates.period("").year_start is None


@pytest.mark.parametrize(
    "cell, value, currency",
    [
        ("6.4亿元", 6.4e8, "CNY"),
        ("5331万元", 5.331e7, "CNY"),
        ("€370 m", 3.7e8, "EUR"),
        ("EUR 2.4 bn", 2.4e9, "EUR"),
        ("RMB 640 million", 6.4e8, "CNY"),
        ("£300 million", 3e8, "GBP"),
        ("8万亿元", 8e12, "CNY"),
        ("¥ 1,200万", 1.2e7, "CNY"),
        ("budget of USD 225 m rising later", 2.25e8, "USD"),
        ("DKK 1 200 000", 1.2e6, "DKK"),
    ],
)
def test_amounts(cell, value, currency):
    a = amounts.amount(cell)
    assert a is not None and a.value == pytest.approx(value) and a.currency == currency


@pytest.mark.parametrize("cell", ["", "512 891 participants", "121 rare diseases"])
def test_counts_are_not_money(cell):
    assert amounts.amount(cell) is None


@pytest.mark.parametrize(
    "cell, code",
    [
        ("Germany", "DE"),
        ("德国", "DE"),
        ("EU", "EU"),
        ("International", "INT"),
        ("全国", "CN"),
        ("national", "CN"),
        ("上海市", "CN-SH"),
        ("Shanghai", "CN-SH"),
        ("广东省深圳市", "CN-GD"),
        ("Shenzhen", "CN-GD"),
        ("Sichuan (Chengdu)", "CN-SC"),
        ("湖北省、湖南省", "CN-HB"),
        ("United Kingdom", "GB"),
    ],
)
def test_places(cell, code):
    assert places.place(cell)[0] == code


def test_unknown_place_raises():
    with pytest.raises(ValueError, match="province or city"):
        places.place("Atlantis")


@pytest.mark.parametrize(
    "cell, titles, status",
    [
        ("", ("人类遗传资源管理条例（试行）",), "trial"),
        ("", ("数据安全管理办法（征求意见稿）",), "draft for comment"),
        ("暂行", (), "interim"),
        ("现行", (), "in force"),
        ("in force", (), "in force"),
        ("", ("Plain title",), ""),
    ],
)
def test_status(cell, titles, status):
    assert vocab.status(cell, *titles) == status


def test_status_unknown_raises():
    with pytest.raises(ValueError, match="status"):
        vocab.status("maybe")


@pytest.mark.parametrize(
    "cell, kind",
    [
        ("政策", "policy"),
        ("Program", "programme"),
        ("标准", "standard"),
        ("行动", "initiative"),
        ("POLICY", "policy"),
    ],
)
def test_kinds(cell, kind):
    assert vocab.kind(cell) == kind


def test_unknown_kind_raises():
    with pytest.raises(ValueError, match="policy, programme, standard, initiative"):
        vocab.kind("polcy")


def test_text_width_folds_and_collapses():
    assert text.fold("（试行）  ＡＢＣ　１２\n") == "(试行) ABC 12"


def test_title_key_simplifies_traditional():
    assert dedupe.title_key("《精準醫療》") == dedupe.title_key("精准医疗")


@pytest.mark.parametrize("cell", ["国办发[2016]47号", "国办发【2016】47号", "国办发(2016)47号"])
def test_doc_numbers(cell):
    assert vocab.doc_no(cell) == "国办发〔2016〕47号"


def test_perspectives_primary_first_and_deduplicated():
    assert vocab.perspectives("TRANS、DATA;trans") == ("TRANS", "DATA")
    with pytest.raises(ValueError):
        vocab.perspectives("BOGUS")
