import openpyxl
import pytest

from ic2analysis.cleaning import read
from ic2analysis.errors import MappingError

HEADER = "title,region,kind,year,description,source_url\n"
ROW = "基因检测 Genetic testing rules,China,policy,2016年6月21日,Rules for labs.,https://x.org/a\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_csv_encodings(tmp_path, encoding):
    p = tmp_path / f"m-{encoding}.csv"
    p.write_bytes((HEADER + ROW).encode(encoding))
    frame = read.read_file(p)
    assert frame.loc[0, "title"] == "基因检测 Genetic testing rules"
    assert frame.loc[0, "date_start"] == "2016年6月21日"
    assert frame.loc[0, "_row"] == 2


def test_undecodable_file_names_file(tmp_path):
    p = tmp_path / "bad.csv"
    p.write_bytes(HEADER.encode() + b"\xff\xfe\xfa\x80\x81 broken\n" * 3)
    p.write_bytes(b"\x81\x30" + p.read_bytes())  # invalid in UTF-8 and in GB18030
    with pytest.raises(MappingError, match=r"bad\.csv.*UTF-8, UTF-16.*GB18030"):
        read.read_file(p)


def test_empty_file(tmp_path):
    p = tmp_path / "empty.csv"
    p.write_text("  \n", encoding="utf-8")
    with pytest.raises(MappingError, match=r"empty\.csv: expected a non-empty file"):
        read.read_file(p)


def test_missing_required_column_names_row_and_column(tmp_path):
    p = tmp_path / "nokind.csv"
    p.write_text(
        "title,region,year,description,source_url\nA,Europe,2016,d,https://x\n", encoding="utf-8"
    )
    with pytest.raises(MappingError) as exc:
        read.read_file(p)
    msg = str(exc.value)
    assert "nokind.csv" in msg and "row 1" in msg and "kind" in msg


def test_header_only_file(tmp_path):
    p = tmp_path / "header.csv"
    p.write_text(HEADER, encoding="utf-8")
    with pytest.raises(MappingError, match="at least one item"):
        read.read_file(p)


def test_xlsx_with_rows_above_bilingual_header(tmp_path):
    p = tmp_path / "desk.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["中国精准医学梳理 China desk"])
    ws.append(["说明 notes"])
    ws.append([])
    ws.append(
        [
            "英文名称 English title",
            "区域 Region",
            "类别 Kind",
            "发布日期 Issue date",
            "英文简介 Description (EN)",
            "来源 Source URL",
            "中文名称 Chinese title",
        ]
    )
    ws.append(
        [
            "Healthy China 2030",
            "中国",
            "政策",
            "2016年10月",
            "A plan.",
            "https://x.org",
            "“健康中国2030”规划纲要",
        ]
    )
    ws.append([None] * 7)
    ws.append(["Second", "中国", "标准", 2019, "A standard.", "https://y.org", None])
    wb.save(p)
    frame = read.read_file(p)
    assert list(frame["title"]) == ["Healthy China 2030", "Second"]
    assert list(frame["_row"]) == [5, 7]  # rows as a person sees them in the sheet
    assert frame.loc[1, "date_start"] == "2019"
    assert frame.loc[0, "title_local"] == "“健康中国2030”规划纲要"


def test_not_a_workbook(tmp_path):
    p = tmp_path / "fake.xlsx"
    p.write_text("not a zip", encoding="utf-8")
    with pytest.raises(MappingError, match=r"fake\.xlsx: expected an \.xlsx workbook"):
        read.read_file(p)


def test_raw_files_are_discovered_in_a_stable_order():
    names = [p.name for p in read.discover()]
    assert names == sorted(names) and "europe_desk.csv" in names and "china_desk.xlsx" in names
