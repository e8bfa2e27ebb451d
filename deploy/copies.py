"""The two other copies of the site: `make build-redacted` (脱敏版) and `make offline` (离线副本 zip).

- `redacted DEST`: the redacted build (REDACTED=true) published to DEST exactly as `make publish`
  does (deploy/publish.py: refusals, lock, temporary folder next to DEST, atomic swap, one Chinese line
  on a full or read-only disk, DEST untouched on failure).
- `offline ZIP`: a strict build with OFFLINE=true into a temporary folder next to ZIP, 404.html
  dropped (only a web server uses it), zipped as site/… into a temporary file in that folder, then
  renamed onto ZIP. Whatever fails (the build, a full disk), the temporary folder is removed, ZIP is as
  it was, and one Chinese line says why.

Run from the repository root (the Makefile does): `python -m deploy.copies redacted site-redacted`.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

from deploy.publish import (
    EXIT_FAILED,
    EXIT_REFUSED,
    REPO,
    TILDE,
    Build,
    mkdocs_build,
    publish,
    shown,
    source_folder,
)
from macros.commands.cli import Parser, tilde_problem
from macros.core.errors import os_reason


def redacted(dest: Path, config: Path, build: Build = mkdocs_build) -> int:
    os.environ["REDACTED"] = "true"  # read by mkdocs.yml (extra.redacted) in the build's process
    return publish(dest, config, build)


def _zip_folder(folder: Path, archive: Path) -> None:
    """`python -m zipfile -c archive site` (what make offline used to run): site/ and everything in it."""
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:  # compressed, as the command is
        def add(path: Path, name: str) -> None:
            if path.is_file():
                zf.write(path, name)
            elif path.is_dir():
                if name:
                    zf.write(path, name)
                for child in sorted(os.listdir(path)):
                    add(path / child, os.path.join(name, child))

        add(folder, folder.name)


def offline(target: Path, config: Path, build: Build = mkdocs_build) -> int:
    why = tilde_problem(str(target), "离线副本", TILDE)
    target = target.absolute()
    inside = source_folder(target.resolve(), [config.parent.resolve(), REPO])
    if inside:
        why = (f"离线副本 {shown(target)} 在代码仓库的源文件夹 {inside} 之内："
               "请改用其他位置，如 offline/site-offline.zip。")
    if why:
        print(f"拒绝生成：{why}", file=sys.stderr)
        return EXIT_REFUSED
    if target.is_dir():
        print(f"拒绝生成：{shown(target)} 是一个目录，离线副本应是 .zip 文件的路径。", file=sys.stderr)
        return EXIT_REFUSED
    work = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
        os.environ["OFFLINE"] = "true"  # read by mkdocs.yml (the offline plugin, BuildContext.offline)
        code = build(config, work / "site")
        if code != 0 or not (work / "site" / "index.html").is_file():
            print(f"离线副本未生成：构建未通过（见上方错误），{shown(target)} 保持原样。", file=sys.stderr)
            return code or EXIT_FAILED
        (work / "site" / "404.html").unlink(missing_ok=True)  # absolute links: of no use from disk
        _zip_folder(work / "site", work / "site-offline.zip")
        os.replace(work / "site-offline.zip", target)
    except OSError as error:
        print(f"离线副本未生成：{os_reason(error)}，{shown(target)} 保持原样，临时文件已删除。", file=sys.stderr)
        return EXIT_FAILED
    finally:
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
    print(f"离线副本：{shown(target)}")
    return 0


def main(argv=None) -> int:
    parser = Parser(prog="make build-redacted / make offline", description="脱敏版与离线副本")
    parser.add_argument("--config", type=Path, default=Path("mkdocs.yml"), help="mkdocs.yml 的路径")
    sub = parser.add_subparsers(dest="copy", required=True)
    sub.add_parser("redacted", help="脱敏版，原子地替换 DEST").add_argument("dest", type=Path)
    sub.add_parser("offline", help="离线副本 .zip").add_argument("zip", type=Path)
    args = parser.parse_args(argv)
    if not args.config.is_file():
        parser.error(f"找不到 {shown(args.config)}")
    config = args.config.resolve()
    return redacted(args.dest, config) if args.copy == "redacted" else offline(args.zip, config)


if __name__ == "__main__":
    sys.exit(main())
