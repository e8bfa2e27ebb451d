"""Bad pages and bad data are small sites built in a subprocess: they must fail loudly, in Chinese."""

from __future__ import annotations

import re

from conftest import build


def edit(path, old, new):
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_unknown_key_fails_naming_page_key_and_closest(project, tmp_path):
    edit(project / "docs/2022/work/political.md", 'fig("study.sessions")', 'fig("study.sesions")')
    out = tmp_path / "out"
    result = build(project, out, strict=False)  # even a non-strict build refuses
    assert result.returncode != 0
    assert "docs/2022/work/political.md:5: 页面引用了未知数据项 study.sesions；是否是 study.sessions？" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not out.exists(), "nothing is written when the data is wrong"


def test_unfilled_value_renders_placeholder_and_blocks_strict_build(project, tmp_path):
    edit(project / "data/2022/figures.yaml", "study.sessions: 24", "study.sessions: 待填")
    draft = build(project, tmp_path / "draft", strict=False)
    assert draft.returncode == 0, draft.stderr
    html = (tmp_path / "draft/2022/work/political/index.html").read_text("utf-8")
    assert re.search(r'<span class="fig fig--missing" data-fig="study.sessions"[^>]*>待填</span>次', html)

    strict = build(project, tmp_path / "strict", strict=True)
    assert strict.returncode != 0
    assert "data/2022/figures.yaml:6: 组织党员学习次数 (study.sessions)：待填" in strict.stderr
    assert "严格模式拒绝发布" in strict.stderr
    assert not (tmp_path / "strict").exists()


def test_null_value_is_unfilled_too(project, tmp_path):
    edit(project / "data/2022/figures.yaml", "care.symposiums: 2", "care.symposiums:")
    result = build(project, tmp_path / "out", strict=True)
    assert result.returncode != 0
    assert "召开座谈会次数 (care.symposiums)：待填" in result.stderr


def test_html_in_a_text_datum_is_escaped(project, tmp_path):
    edit(
        project / "data/2022/figures.yaml",
        "publicity.newspaper: 机关",
        'publicity.newspaper: "<script>alert(1)</script><b>x</b>"',
    )
    result = build(project, tmp_path / "out", strict=True)
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "out/2022/work/standards/index.html").read_text("utf-8")
    assert "&lt;script&gt;alert&#40;1&#41;&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;</span>报发表文章" in html
    assert "<script>alert(1)" not in html


def test_wrong_type_is_reported_with_file_line_and_label(project, tmp_path):
    edit(project / "data/2022/figures.yaml", "study.sessions: 24", "study.sessions: 十二")
    result = build(project, tmp_path / "out", strict=True)
    assert result.returncode != 0
    expected = r'data/2022/figures.yaml:6: 组织党员学习次数 \(study.sessions\)：应为非负整数，实际为 "十二"'
    assert re.search(expected, result.stderr)
    assert not (tmp_path / "out").exists()


def test_undefined_macro_fails_the_build(project, tmp_path):
    edit(project / "docs/2022/problems.md", "# 二、存在主要问题", "# 二、存在主要问题\n\n{{ no_such_macro() }}")
    result = build(project, tmp_path / "out", strict=False)
    assert result.returncode != 0
    assert "docs/2022/problems.md:3: 页面调用了未定义的宏 no_such_macro" in result.stderr
    assert not (tmp_path / "out").exists()
