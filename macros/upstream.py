"""Interventions in other packages' internals declare the version they were written against.

Each place that relies on something a package does not promise (a private attribute, the text of a
minified script) calls `require(package, version, where)`; on any other installed version the build
stops with one Chinese line saying what to re-check, instead of breaking silently.
"""

from __future__ import annotations

from importlib import metadata

from mkdocs.exceptions import PluginError


def require(package: str, version: str, where: str) -> None:
    installed = metadata.version(package)
    if installed != version:
        raise PluginError(
            f"{where} 针对 {package} {version} 编写，当前安装的是 {installed}："
            f"请核对该处代码仍然适用后，更新其中的版本号（见 ARCHITECTURE.md“依赖上游内部实现之处”）。"
        )
