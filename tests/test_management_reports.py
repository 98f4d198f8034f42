"""The demo home's reports read back as a manager gets them: the PDFs carry the figures of
`sroi summary --json` (forecast, category split, people) in Dutch notation, the HTML reports
link region -> municipality -> contract and back, the contract report shows its chart in a
real browser, and `sroi export` gives analysts a typed workbook."""

from __future__ import annotations

import io
import json
import re
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pdfplumber
import pytest
from openpyxl import load_workbook
from PIL import Image

from domain.dutch import euro, number_nl
from tests.browser import headless_page
from tests.cli import sroi

pytestmark = pytest.mark.slow
QUARTER = "2026Q3"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, prefect_api: str) -> Path:
    home = tmp_path_factory.mktemp("demo") / "home"
    result = sroi("demo", "--home", str(home), api=prefect_api, cwd=home.parent)
    assert result.returncode == 0, result.stderr
    return home


@pytest.fixture(scope="module")
def summary(demo: Path, prefect_api: str) -> dict[str, Any]:
    result = sroi("summary", "--home", str(demo), "--quarter", QUARTER, "--json",
                  api=prefect_api, cwd=demo)  # fmt: skip
    assert result.returncode == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def pdf_text(path: Path) -> str:
    """The PDF's text with runs of white space (line breaks) as one space."""
    with pdfplumber.open(path) as pdf:
        return " ".join(" ".join(page.extract_text() or "" for page in pdf.pages).split())


def money(value: float) -> str:
    return euro(Decimal(str(value)))


def whole(value: float) -> str:
    return f"€ {number_nl(Decimal(str(value)), 0)}"


def test_contract_pdfs_carry_the_summary_figures(demo: Path, summary: dict[str, Any]) -> None:
    folder = demo / "reports" / QUARTER / "contracts"
    for contract in summary["contracts"]:
        text = pdf_text(folder / f"{contract['contract_id']}.pdf")
        name = contract["contract_id"]
        forecast_row = "Prognose aan het einde (met de lopende plaatsingen) "
        assert forecast_row + money(contract["forecast_at_end"]) in text, name
        shortfall_row = "Nog te vinden volgens de prognose "
        assert shortfall_row + money(contract["forecast_shortfall"]) in text, name
        categories = contract["by_category"]
        assert f"Plaatsingen {money(categories['plaatsingen'])}" in text, name
        assert f"Inkoop bij sociale ondernemingen {money(categories['inkoop'])}" in text, name
        assert f"Activiteiten (MVO) {money(categories['activiteiten'])}" in text, name
        assert f"Geplaatste personen {contract['people']}" in text, name
        participatiewet = contract["people_participatiewet"]
        assert f"waarvan uit de Participatiewet {participatiewet}" in text, name
        if contract["fine"]:
            assert f"Boete (niet gerealiseerd bedrag) {money(contract['fine'])}" in text


def test_the_demo_has_the_figures_the_tests_rely_on(summary: dict[str, Any]) -> None:
    """Not vacuous: the demo places people, some of the Participatiewet, buys and has MVO."""
    contracts = summary["contracts"]
    assert sum(c["people"] for c in contracts) > 10
    assert sum(c["people_participatiewet"] for c in contracts) > 3
    assert any(c["by_category"]["inkoop"] for c in contracts)
    assert any(c["by_category"]["activiteiten"] for c in contracts)
    assert any(c["forecast_shortfall"] for c in contracts)
    for contract in contracts:
        assert round(sum(contract["by_category"].values()), 2) == contract["realized_to_date"]
        assert contract["forecast_at_end"] >= contract["realized_to_date"]


def test_municipality_pdfs_carry_the_summary_figures(demo: Path, summary: dict[str, Any]) -> None:
    folder = demo / "reports" / QUARTER / "gemeenten"
    for municipality in summary["municipalities"]:
        text = pdf_text(folder / f"{municipality['municipality']}.pdf")
        forecast_row = "Prognose aan het einde (met de lopende plaatsingen) "
        assert forecast_row + money(municipality["forecast_at_end"]) in text
        assert f"Geplaatste personen {municipality['people']}" in text
        assert f'Nog te realiseren ("in het vat") {money(municipality["remaining"])}' in text


def test_the_verdict_is_one_plain_sentence(demo: Path, summary: dict[str, Any]) -> None:
    behind = next(c for c in summary["contracts"] if c["status"] == "achter")
    expected = (
        f"Ligt achter op schema; met de lopende plaatsingen wordt naar verwachting "
        f"{whole(behind['forecast_at_end'])} van {whole(behind['net_obligation'])} gehaald: "
        f"nog {whole(behind['forecast_shortfall'])} te vinden."
    )
    folder = demo / "reports" / QUARTER / "contracts"
    assert expected in pdf_text(folder / f"{behind['contract_id']}.pdf")
    html = (folder / f"{behind['contract_id']}.html").read_text("utf-8")
    assert expected in " ".join(html.split())


def test_the_region_report_is_the_infosheet(demo: Path, summary: dict[str, Any]) -> None:
    html = " ".join((demo / "reports" / QUARTER / "regio.html").read_text("utf-8").split())

    def tile(figure: str, caption: str) -> str:
        return f'<span class="figure">{figure}</span><span class="caption">{caption}'

    contracts = summary["contracts"]
    assert tile(str(len(contracts)), "contracten met een SROI-opgave gemonitord") in html
    purchases = sum(Decimal(str(c["by_category"]["inkoop"])) for c in contracts)
    assert tile(whole(float(purchases)), "ingekocht bij sociale ondernemingen") in html
    assert re.search(tile(r"\d+", r"mensen geplaatst, waarvan \d+ uit de Participatiewet"), html)
    assert html.count('<svg class="chart"') == 1
    text = pdf_text(demo / "reports" / QUARTER / "regio.pdf")
    net = sum(Decimal(str(c["net_obligation"])) for c in contracts)
    assert f"Netto verplichting {euro(net)}" in text
    for caption in ("SROI-opgave", "gemonitord", "ingekocht bij sociale", "ondernemingen"):
        assert caption in text
    for municipality in summary["municipalities"]:
        assert municipality["municipality"].replace("-", "") in text.replace("-", "")


def test_municipal_contracts_needing_a_conversation_come_first(demo: Path) -> None:
    html = (demo / "reports" / QUARTER / "gemeenten" / "Almelo.html").read_text("utf-8")
    statuses = re.findall(r'<span class="status status-(\w+)">', html)
    order = [
        "achter",
        "afgerond_tekort",
        "aandacht",
        "op_schema",
        "nog_niet_gestart",
        "gerealiseerd",
    ]
    positions = [order.index(status) for status in statuses]
    assert positions == sorted(positions) and len(positions) == 2


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def links(path: Path) -> set[Path]:
    parser = _Links()
    parser.feed(path.read_text("utf-8"))
    return {(path.parent / unquote(href)).resolve() for href in parser.hrefs}


def test_html_reports_link_region_municipality_contract_and_back(demo: Path) -> None:
    folder = (demo / "reports" / QUARTER).resolve()
    region, index = folder / "regio.html", folder / "index.html"
    hengelo = folder / "gemeenten" / "Hengelo.html"
    contract = folder / "contracts" / "TW-2025-014.html"
    assert hengelo in links(region)
    assert contract in links(hengelo) and region in links(hengelo)
    assert hengelo in links(contract) and region in links(contract) and index in links(contract)
    pages = [*folder.rglob("*.html")]
    assert links(index) >= {p for p in pages if p != index} | {
        p.with_suffix(".pdf") for p in pages if p != index
    }
    for page in pages:
        for target in links(page):
            assert target.exists(), f"{page.name} links to a missing {target}"
    with pdfplumber.open(folder / "regio.pdf") as pdf:
        assert not [link for page in pdf.pages for link in page.hyperlinks]


def test_approved_lines_show_their_approver(demo: Path) -> None:
    text = pdf_text(demo / "reports" / QUARTER / "contracts" / "DUO-2025-003.pdf")
    assert "goedgekeurd door R. de Boer" in text and "(gemeente Diemen)" in text


def test_the_contract_report_shows_its_chart_in_a_browser(demo: Path) -> None:
    page_file = demo / "reports" / QUARTER / "contracts" / "TW-2025-014.html"
    with headless_page(width=1200, height=1400) as page:
        page.open(page_file)
        box = page.evaluate(
            """(() => {
              const svg = document.querySelector('svg.chart');
              if (!svg) return null;
              const r = svg.getBoundingClientRect(), s = getComputedStyle(svg);
              return {x: r.x, y: r.y, width: r.width, height: r.height,
                      visibility: s.visibility, display: s.display, opacity: s.opacity,
                      lines: svg.querySelectorAll('path').length, viewport: window.innerHeight};
            })()"""
        )
        screenshot = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    assert box is not None, "no chart in the page"
    assert box["width"] > 500 and box["height"] > 200
    assert box["visibility"] == "visible" and box["display"] != "none" and box["opacity"] == "1"
    assert box["y"] >= 0 and box["y"] + box["height"] <= box["viewport"]
    assert box["lines"] > 10
    white = sum(screenshot.convert("L").histogram()[246:])
    assert white < 0.97 * screenshot.width * screenshot.height, "the page looks blank"
    left, top = int(box["x"]), int(box["y"])
    chart = screenshot.crop((left, top, left + int(box["width"]), top + int(box["height"])))
    data = chart.tobytes()
    blue = sum(
        1
        for i in range(0, len(data), 3)
        if abs(data[i] - 0x15) < 40
        and abs(data[i + 1] - 0x42) < 40
        and abs(data[i + 2] - 0x73) < 40
    )
    assert blue > 200, "the realisation line (dark blue) is not drawn in the chart's box"


def test_the_export_opens_with_real_types(
    demo: Path, summary: dict[str, Any], prefect_api: str
) -> None:
    target = demo / "analyse.xlsx"
    result = sroi("export", "--home", str(demo), "--quarter", QUARTER, "-o", str(target),
                  api=prefect_api, cwd=demo)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(
        rf"\d+ lines of {QUARTER} \(8 contracts\) in .*analyse\.xlsx\n", result.stdout
    )
    workbook = load_workbook(target)
    lines = workbook["Regels"]
    headings = [cell.value for cell in lines[1]]
    rows = [dict(zip(headings, row, strict=True)) for row in lines.iter_rows(min_row=2)]
    assert len(rows) > 20 and lines.freeze_panes == "A2" and lines.auto_filter.ref
    for row in rows:
        assert row["Regel"].data_type == "n"
        assert row["Contract"].value in {c["contract_id"] for c in summary["contracts"]}
        value = row[f"Waarde t/m {QUARTER}"]
        assert value.data_type == "n" and value.number_format.startswith('"€"')
        if row["Datum"].value is not None:
            assert row["Datum"].is_date
        for cell in row.values():
            if isinstance(cell.value, str):
                assert not re.search(r"\b\d{9}\b", cell.value), cell.value  # no BSN
    people = (Path(__file__).resolve().parents[1] / "sroi" / "demo" / "home.yaml").read_text(
        "utf-8"
    )
    names = re.findall(r"^  ([A-Z][a-z]+ [A-Za-z ]+): ", people.split("people:")[1], re.M)
    text = " ".join(str(c.value) for row in workbook["Regels"].iter_rows() for c in row)
    assert names and not [name for name in names if name in text]
    contracts = workbook["Contracten"]
    header = [cell.value for cell in contracts[1]]
    exported = {row[0]: dict(zip(header, row, strict=True))
                for row in contracts.iter_rows(min_row=2, values_only=True)}  # fmt: skip
    for contract in summary["contracts"]:
        row = exported[contract["contract_id"]]
        assert row["Prognose einde"] == contract["forecast_at_end"]
        assert row["Personen"] == contract["people"]
        assert row["Inkoop"] == contract["by_category"]["inkoop"]


def test_a_future_quarter_is_refused_by_the_export(demo: Path, prefect_api: str) -> None:
    result = sroi("export", "--home", str(demo), "--quarter", "2099Q1", "-o", str(demo / "x.xlsx"),
                  api=prefect_api, cwd=demo)  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"sroi: error: Invalid value for --quarter: 2099Q1 has not begun yet"
        f" (today is {__import__('datetime').date.today():%d-%m-%Y})"
    ]
    assert not (demo / "x.xlsx").exists()


def test_the_readme_shows_the_report_pictures() -> None:
    root = Path(__file__).resolve().parents[1]
    readme = (root / "README.md").read_text("utf-8")
    pictures = re.findall(r"\]\((docs/reports/[\w-]+\.png)\)", readme)
    assert {
        "docs/reports/contract.png",
        "docs/reports/gemeente.png",
        "docs/reports/regio.png",
    } <= set(pictures)
    for picture in pictures:
        image = Image.open(root / picture)
        assert image.width > 500 and image.height > 700
