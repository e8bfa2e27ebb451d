"""The commands' argument parser, in Chinese: a wrong argument (`make new-year YEAR=abc`,
`make records-template YEAR=二〇二三`) is one Chinese line and exit code 2, not argparse's English
usage text. Also the checks every command applies to a year or a path typed by a user."""

from __future__ import annotations

import argparse
import re

from macros.core.errors import printable

YEAR = re.compile(r"\d{4}")

# argparse's own messages (Python 3.11), in the reader's words
_MESSAGES = [
    (re.compile(r"^argument (?P<arg>[^:]+): (?P<rest>.*)$", re.S), "参数 {arg}：{rest}"),
    (re.compile(r"^the following arguments are required: (?P<args>.*)$"), "缺少参数：{args}"),
    (re.compile(r"^unrecognized arguments: (?P<args>.*)$"), "无法识别的参数：{args}"),
    (re.compile(r"^one of the arguments (?P<args>.*) is required$"), "须给出以下参数之一：{args}"),
    (re.compile(r"^ambiguous option: (?P<arg>\S+) could match (?P<args>.*)$"), "参数 {arg} 有歧义，可能是：{args}"),
]
_DETAILS = [
    (re.compile(r"^invalid int value: (?P<value>.*)$"), "应为整数，实际为 {value}"),
    (re.compile(r"^invalid choice: (?P<value>.*?) \(choose from (?P<choices>.*)\)$"),
     "应为 {choices} 之一，实际为 {value}"),
    (re.compile(r"^expected one argument$"), "后面缺少取值"),
    (re.compile(r"^not allowed with argument (?P<arg>.*)$"), "不能与参数 {arg} 同时使用"),
    (re.compile(r"^ignored explicit argument (?P<value>.*)$"), "不接受取值 {value}"),
]


def chinese(message: str) -> str:
    for pattern, words in _MESSAGES:
        match = pattern.match(message)
        if match:
            parts = match.groupdict()
            if "rest" in parts:
                parts["rest"] = _detail(parts["rest"])
            return words.format(**parts)
    return _detail(message)


def _detail(message: str) -> str:
    for pattern, words in _DETAILS:
        match = pattern.match(message)
        if match:
            return words.format(**match.groupdict())
    return message


class Parser(argparse.ArgumentParser):
    """argparse.ArgumentParser whose errors are one Chinese line (and exit code 2)."""

    def error(self, message: str):
        self.exit(2, f"命令参数有误：{printable(chinese(message))}\n")


def year(text: str) -> int:
    """A year given on the command line (YEAR=2023)."""
    if not YEAR.fullmatch(text.strip()):
        raise argparse.ArgumentTypeError(f"年份应为四位数字，如 2023，实际为 “{printable(text)}”")
    return int(text)


def tilde_problem(text: str, noun: str = "路径",
                  rest: str = "（它会成为项目目录中名为 ~ 的文件夹）；请写完整路径，如 /home/用户名/…") -> str | None:
    """Why a path typed with a leading ~ is refused: make and the commands receive it unexpanded
    (quoted on the command line), so it would name a folder called ~ inside the repository. `noun`
    names the path (发布目录 …), `rest` ends the line."""
    if text.startswith("~"):
        return f"{noun} {printable(text)} 以 ~ 开头：这里不会把 ~ 展开为主目录{rest}"
    return None


def path_text(text: str) -> str:
    """An argparse type for a path a user types: refused when it starts with ~ (tilde_problem)."""
    problem = tilde_problem(text)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return text
