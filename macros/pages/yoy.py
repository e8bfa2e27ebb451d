"""The 数据一览 page: every figure across the years, with the change from the year before,
and small bar charts of the key series (catalogue `key_figure: true`).

Charts are drawn at build time by pygal as inline SVG: no JavaScript (pygal's own config
script is removed), no external stylesheet or font, colours from the page (`currentColor`
and Material's `--md-*` variables) so they read in dark mode and in print. Every text from
data is escaped: in HTML by the templates (macros/pages/templates/yoy_*.html), inside the SVG by lxml's
serializer.
"""

from __future__ import annotations

import re

from markupsafe import Markup

from macros.core.load import SiteData
from macros.core.upstream import require
from macros.pages.templating import render

# pygal's Style arguments (pygal itself is imported only when a chart is drawn)
CHART_STYLE = dict(
    background="transparent",
    plot_background="transparent",
    foreground="currentColor",
    foreground_strong="currentColor",
    foreground_subtle="currentColor",
    colors=("var(--md-primary-fg-color)",),
    value_colors=("currentColor",),
    font_family="inherit",
    label_font_size=13,
    major_label_font_size=13,
    value_font_size=14,
    opacity="1",
    opacity_hover="1",
)
SVG_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def change(before, after) -> tuple[str, str, str] | None:
    """(css modifier, shown text, explanation) of a count's change; None when not comparable."""
    if not isinstance(before, int) or not isinstance(after, int) or isinstance(before, bool):
        return None
    diff = after - before
    if diff == 0:
        return "same", "→ 持平", "与上年相同"
    arrow, word, kind = ("↑", "增加", "up") if diff > 0 else ("↓", "减少", "down")
    if before == 0:
        return kind, f"{arrow} 新增", f"比上年{word} {abs(diff)}（上年为 0，无百分比）"
    percent = f"{abs(diff) / before * 100:.1f}".removesuffix(".0")
    return kind, f"{arrow} {percent}%", f"比上年{word} {abs(diff)}，即 {percent}%"


def table(data: SiteData) -> Markup:
    """Every catalogue figure, one column per year (oldest first), change against the year before."""
    years = sorted(data.years)
    rows = []
    for key, figure in data.figures.items():
        values = [data.years[year].values.get(key) for year in years]
        deltas = [None] + [change(before, after) for before, after in zip(values, values[1:], strict=False)]
        rows.append((figure, list(zip(years, values, deltas, strict=True))))
    return render("yoy_table.html", years=years, rows=rows)


def _strip_scripts(root):
    """pygal always adds a config script; the site runs no chart JavaScript. The chart is decorative
    (its values are written out in the caption): hidden from screen readers, keyboard focus and the
    search index (Material's `data-search-exclude`; its texts are bar positions such as 104.0599…)."""
    root.set("aria-hidden", "true")
    root.set("focusable", "false")
    root.set("data-search-exclude", "")
    for parent in list(root.iter()):
        for child in list(parent):
            tag = child.tag.rsplit("}", 1)[-1] if isinstance(child.tag, str) else ""
            if tag in ("script", "title") or "tooltip-overlay" in (child.get("class") or ""):
                parent.remove(child)
    return root


def chart(data: SiteData, key: str) -> Markup:
    """A small bar chart of one figure over the years, as inline SVG."""
    figure = data.figures[key]
    years = sorted(data.years)
    return _draw(figure, years, [data.years[y].values.get(key) for y in years])


def _draw(figure, years: list[int], values: list) -> Markup:
    import pygal
    from pygal.style import Style

    key = figure.key
    shown = "、".join(f"{y}年 {'待填' if v is None else v}" for y, v in zip(years, values, strict=True))
    bar = pygal.Bar(
        style=Style(**CHART_STYLE),
        js=[],
        disable_xml_declaration=True,
        width=max(220, 90 * len(years)),
        height=170,
        margin=8,
        show_legend=False,
        show_y_labels=False,
        show_y_guides=False,
        print_values=True,
        print_values_position="top",
        include_x_axis=True,
        truncate_label=-1,  # "2023（待填）" in full
        range=(0, max([v for v in values if v is not None] or [1]) * 1.25),
        explicit_size=False,
    )
    # pygal scopes each chart's CSS by a random uuid attribute (not a documented option): a stable one
    # keeps the built pages the same from build to build.
    require("pygal", "3.1.3", "macros/pages/yoy.py（图表的 uuid 属性）")
    bar.uuid = "yoy-" + key.replace(".", "-").replace("_", "-")
    bar.x_labels = [f"{y}" if v is not None else f"{y}（待填）" for y, v in zip(years, values, strict=True)]
    bar.add(figure.label, values)
    bar.xml_filters.append(_strip_scripts)
    svg = SVG_COMMENT.sub("", bar.render(is_unicode=True)).replace("\n", " ")
    return render("yoy_chart.html", figure=figure, svg=Markup(svg), values=shown)


def charts(data: SiteData) -> Markup:
    """Small bar charts of the key counts; none in the 脱敏 build (a bar's height is its value)."""
    keys = [key for key, figure in data.figures.items() if figure.key_figure and figure.type == "count"]
    drawn = [] if data.withheld else [chart(data, key) for key in keys]
    return render("yoy_charts.html", withheld=data.withheld, charts=drawn)
