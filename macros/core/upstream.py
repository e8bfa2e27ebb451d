"""Interventions in other packages' internals declare the version they were written against.

Each place that relies on something a package does not promise (a private attribute, the text of a
minified script, a server's internals) calls `require(package, version, where)`; on any other
installed version the build stops with one Chinese line saying what to re-check, instead of
breaking silently. Every such place is listed in ARCHITECTURE.md (依赖上游内部实现之处).
"""

from __future__ import annotations

from importlib import metadata

from macros.core.errors import Refusal


class UpstreamChanged(Refusal):
    """An installed package is not the version a reach into its internals was written for."""


def require(package: str, version: str, where: str) -> None:
    installed = metadata.version(package)
    if installed != version:
        raise UpstreamChanged(
            f"{where} 针对 {package} {version} 编写，当前安装的是 {installed}："
            f"请核对该处代码仍然适用后，更新其中的版本号（见 ARCHITECTURE.md“依赖上游内部实现之处”）。"
        )
