"""The 脱敏版 of the real site (make build-redacted), built once: the issued text, with no real value
anywhere in it. The seed (tests/fixtures/seed_2022.txt) is the issued redacted copy of the report:
the redacted report body must equal it line by line, each `*` in place; and every real value, searched
for in the sentence it stands in, must be nowhere in any file of the output."""

from __future__ import annotations

import json
import re
from html import unescape

import lxml.html
import pytest
import yaml
from docx import Document
from helpers.files import ROOT, SEED
from helpers.render import blocks, read

from macros.core.load import load_site

pytestmark = pytest.mark.e2e

# the year's values as the build has them: typed in figures.yaml or counted from the 台账
VALUES = load_site(ROOT).years[2022].values
CATALOGUE = yaml.safe_load((ROOT / "data/catalogue.yaml").read_text("utf-8"))["figures"]
DOWNLOADS = ("2022/report-2022.txt", "2022/report-2022.docx")
CONTEXT = 8  # characters of the sentence on either side of a value


def contexts(site) -> list[tuple[str, str, str]]:
    """(key, the real value in its sentence, kind): the seed line with that mask filled in."""
    found = []
    real_body = blocks(read(site, "2022/full"), root_class="report-body")
    for line, block in zip(SEED, real_body, strict=True):
        spans = [m.span() for m in re.finditer(r"\*+", line)]
        for i, ((start, end), (key, _)) in enumerate(zip(spans, block.figs, strict=True)):
            key = unescape(key)
            left = line[max(spans[i - 1][1] if i else 0, start - CONTEXT): start]
            right = line[end: min(spans[i + 1][0] if i + 1 < len(spans) else len(line), end + CONTEXT)]
            found.append((key, f"{left}{VALUES[key]}{right}", "sentence"))
    for key, spec in CATALOGUE.items():  # the overview's cards: value, unit, label
        if spec.get("key_figure"):
            found.append((key, f"{VALUES[key]}{spec.get('unit', '')}{spec['label']}", "card"))
    return found


def output_texts(site) -> dict[str, str]:
    """Every readable text of a built site: pages (text and attributes), search index, sitemap, downloads."""
    texts = {}
    for path in sorted(site.rglob("*")):
        rel = str(path.relative_to(site))
        if path.suffix == ".html":
            tree = lxml.html.fromstring(path.read_text("utf-8"))
            attributes = " ".join(v for element in tree.iter() for v in getattr(element, "attrib", {}).values())
            texts[rel] = tree.text_content() + "\n" + attributes
        elif path.name == "search_index.json":
            docs = json.loads(path.read_text("utf-8"))["docs"]
            texts[rel] = "\n".join(re.sub(r"<[^>]+>", "", d["title"] + " " + d["text"]) for d in docs)
        elif path.suffix in {".xml", ".txt", ".js"} and "assets" not in path.parts:
            texts[rel] = path.read_text("utf-8")
        elif path.suffix == ".docx":
            doc = Document(path)
            texts[rel] = "\n".join([p.text for p in doc.paragraphs] + [doc.core_properties.title or ""])
    # jieba's word separators (search index) and soft breaks are not part of the text
    return {rel: text.replace("\u200b", "").replace("\n", "") for rel, text in texts.items()}


def test_each_real_value_is_in_the_real_site_in_its_sentence(site):
    """The check below can fail: in the real build every context is found where it should be."""
    texts = output_texts(site)
    found = contexts(site)
    assert len(found) == 26 + 5
    for key, context, kind in found:
        if kind == "card":
            assert context in texts["2022/index.html"], (key, context)
            continue
        for rel in ("2022/full/index.html", "search/search_index.json", *DOWNLOADS):
            assert context in texts[rel], (key, context, rel)


def test_no_real_value_anywhere_in_the_redacted_output(site, site_redacted):
    texts = output_texts(site_redacted)
    assert {"search/search_index.json", "sitemap.xml", *DOWNLOADS} <= set(texts)
    leaks = [(key, context, rel) for key, context, _ in contexts(site) for rel, text in texts.items()
             if context in text]
    assert leaks == []


def test_redacted_body_equals_the_seed_line_by_line(site_redacted):
    assert [b.text for b in blocks(read(site_redacted, "2022/full"), root_class="report-body")] == SEED


def test_redacted_downloads_equal_the_seed(site_redacted):
    lines = (site_redacted / "2022/report-2022.txt").read_text("utf-8").splitlines()
    assert lines[0] == "【示例数据，不是正式文件；标题、主送机关、落款日期为编者补充】"  # the redacted copy says so too
    assert lines[2] == "馆党委："  # 主送机关, under the title
    assert lines[3:-2] == SEED
    assert lines[-2:] == ["机关党委办公室党支部", "2023年1月10日"]
    paragraphs = [p.text for p in Document(site_redacted / "2022/report-2022.docx").paragraphs if p.text]
    assert paragraphs[2:-2] == SEED


def test_redacted_figures_show_masks_and_labels_only(site_redacted):
    """Every fig() on every page: its text is the mask, its tooltip the label, no other attribute."""
    seen = 0
    for path in site_redacted.rglob("*.html"):
        tree = lxml.html.fromstring(path.read_text("utf-8"))
        for element in tree.xpath("//span[contains(concat(' ', @class, ' '), ' fig ')][@data-fig]"):
            key = element.get("data-fig")
            spec = CATALOGUE[key]
            expected = spec["mask"] if spec["type"] == "text" else "*" * len(str(VALUES[key]))
            assert element.text_content() == expected, (path, key)
            assert set(element.attrib) == {"class", "data-fig", "title"}, (path, key)
            assert element.get("title").startswith(spec["label"]), (path, key)
            seen += 1
    assert seen >= len(VALUES)
    cards = lxml.html.fromstring(read(site_redacted, "2022")).xpath("//div[@class='fig-card__value']/span[@data-fig]")
    assert len(cards) == 5 and all(set(card.text_content()) == {"*"} for card in cards)


def test_no_element_about_a_figure_shows_its_value(site, site_redacted):
    """Any element marked with a figure's key (a table row, a chart): no value in it, in the redacted copy."""
    def shows(element, key) -> bool:
        text = element.text_content() + " ".join(element.attrib.values())
        value = VALUES[key]
        if isinstance(value, int):
            return re.search(rf"(?<!\d){value}(?!\d)", text) is not None
        return value in text

    def marked(root):
        return [(p, e) for p in root.rglob("*.html") for e in lxml.html.fromstring(p.read_text("utf-8")).iter()
                if e.get("data-fig") in VALUES]

    assert any(shows(e, e.get("data-fig")) for _, e in marked(site))  # the check can fail
    leaks = [(str(p.relative_to(site_redacted)), e.tag, e.get("data-fig")) for p, e in marked(site_redacted)
             if shows(e, e.get("data-fig"))]
    assert leaks == []


def test_what_masks_cannot_hide_is_withheld(site_redacted):
    """数据一览: a bar's height is its value; 对标: a verdict tells how a figure compares."""
    pages = [p for p in site_redacted.rglob("*.html") if "yoy-table" in p.read_text("utf-8")]
    assert pages
    for page in pages:
        html = page.read_text("utf-8")
        assert "yoy-chart" not in html and "脱敏版不显示数据图表" in html
    for page in ("2022/checklists/compliance", ""):
        html = read(site_redacted, page)
        assert "脱敏版不显示对标结论" in html and "达标" not in html and "loop-verdict" not in html, page
    # the 编辑指南 explains the verdicts in general words; no page about the branch's year may hold one
    docs = json.loads((site_redacted / "search/search_index.json").read_text("utf-8"))["docs"]
    assert any(d["location"].startswith("guide/") and "达标" in d["text"] for d in docs)  # the check can fail
    assert [d["location"] for d in docs
            if not d["location"].startswith("guide/") and "达标" in (d["title"] + d["text"]).replace("\u200b", "")] == []


def test_redacted_download_names_say_so(site_redacted):
    assert 'download="机关党委办公室党支部关于2022年度全面从严治党工作情况的报告（脱敏版）.docx"' in read(site_redacted, "2022/full")
