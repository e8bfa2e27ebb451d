"""The 数据一览 page: every figure across the years, with the change from the year before,
and small bar charts of the key series (catalogue `key_figure: true`).

Charts are drawn at build time by pygal as inline SVG: no JavaScript (pygal's own config
script is removed), no external stylesheet or font, colours from the page (`currentColor`
and Material's `--md-*` variables) so they read in dark mode and in print. Every text from
data is escaped: in HTML by markupsafe, inside the SVG by lxml's serializer.
"""

from __future__ import annotations

import re

from markupsafe import Markup

from .data import SiteData

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


def _wrap(start, inner, end) -> Markup:  # until this module's markup moves into templates
    return Markup(start) + inner + Markup(end)


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


def _value(value) -> Markup:
    if value is None:
        return Markup('<span class="fig fig--missing">待填</span>')
    return Markup('<span class="yoy-value">{}</span>').format(value)


def table(data: SiteData) -> Markup:
    """Every catalogue figure, one column per year (oldest first), change against the year before."""
    years = sorted(data.years)
    head = Markup("").join(Markup('<th scope="col">{}年</th>').format(y) for y in years)
    rows = []
    for key, figure in data.figures.items():
        cells = []
        for index, year in enumerate(years):
            value = data.years[year].values.get(key)
            delta = change(data.years[years[index - 1]].values.get(key), value) if index else None
            badge = (
                Markup(' <span class="yoy-change yoy-change--{}" title="{}">{}</span>').format(
                    delta[0], delta[2], delta[1]
                )
                if delta
                else Markup("")
            )
            cells.append(Markup('<td data-year="{}">{}{}</td>').format(year, _value(value), badge))
        rows.append(
            Markup('<tr data-fig="{}"><th scope="row" title="{}">{}</th><td>{}</td>{}</tr>').format(
                key, key, figure.label, figure.unit, Markup("").join(cells)
            )
        )
    note = (
        Markup(
            '<p class="yoy-note">目前只有 {} 年度一个年度的数据；'
            "新增年度（make new-year）后，这里逐年对比并显示变化。</p>"
        ).format(years[0])
        if len(years) == 1
        else Markup("")
    )
    body = Markup(
        '<table><thead><tr><th scope="col">数据项</th><th scope="col">单位</th>{}</tr></thead>'
        "<tbody>{}</tbody></table>"
    ).format(head, Markup("").join(rows))
    return note + _wrap('<div class="yoy-table">', body, "</div>")


def _strip_scripts(root):
    """pygal always adds a config <script>; the site runs no chart JavaScript."""
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
    bar.uuid = "yoy-" + key.replace(".", "-").replace("_", "-")  # stable CSS scope, no random id
    bar.x_labels = [f"{y}" if v is not None else f"{y}（待填）" for y, v in zip(years, values, strict=True)]
    bar.add(figure.label, values)
    bar.xml_filters.append(_strip_scripts)
    svg = SVG_COMMENT.sub("", bar.render(is_unicode=True)).replace("\n", " ")
    svg = svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)
    return Markup(
        '<figure class="yoy-chart" data-fig="{}">{}<figcaption>{}{}<span class="yoy-chart__values">{}</span>'
        "</figcaption></figure>"
    ).format(key, Markup(svg), figure.label, f"（{figure.unit}）" if figure.unit else "", shown)


def charts(data: SiteData) -> Markup:
    if data.withheld:  # the 脱敏 build: a bar's height is its value
        return Markup('<p class="yoy-note">脱敏版不显示数据图表（柱高即数值）。</p>')
    keys = [key for key, figure in data.figures.items() if figure.key_figure and figure.type == "count"]
    return _wrap('<div class="yoy-charts">', Markup("").join(chart(data, k) for k in keys), "</div>")
