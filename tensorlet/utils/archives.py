"""Safe archive extraction for ``get_file(extract=True)``: through a temporary folder, renamed into place; tar
members that escape the destination, links out of it and devices are refused."""
from __future__ import annotations

import os
import shutil
import tarfile
import tempfile
import zipfile
from typing import Any


def _as_list(value: Any) -> list[str]:
    """None, one name or several, as a list of lower-case names."""
    if value is None:
        return []
    values = [value] if isinstance(value, str) else list(value)
    return [str(v).lower() for v in values if v]


def _non_empty_dir(path: str) -> bool:
    return os.path.isdir(path) and any(os.scandir(path))


def _inside(root: str, name: str) -> bool:
    root = os.path.realpath(root)
    return os.path.realpath(os.path.join(root, name)).startswith(root + os.sep)


def _extract_tar(archive: str, dest: str) -> None:
    with tarfile.open(archive) as tar:
        if hasattr(tarfile, "data_filter"):  # Python >= 3.10.12 / 3.11.4: refuses traversal, links out, devices
            tar.extractall(dest, filter="data")
            return
        for member in tar.getmembers():  # pragma: no cover - older Pythons
            if not _inside(dest, member.name) or member.issym() or member.islnk() or member.isdev():
                raise ValueError(f"Refusing to extract {member.name!r} from {archive}: unsafe path or link")
        tar.extractall(dest)  # pragma: no cover


def _extract(archive: str, dest: str, archive_format: Any, fresh: bool) -> str:
    """Extract ``archive`` to ``dest`` through a temporary folder; reuse ``dest`` if the archive is unchanged."""
    if os.path.isdir(dest) and not fresh:
        return dest
    formats = ["tar", "zip"] if archive_format == "auto" else _as_list(archive_format)
    tmp = tempfile.mkdtemp(prefix=f".{os.path.basename(dest)}.", suffix=".part", dir=os.path.dirname(dest))
    try:
        for fmt in formats:
            if fmt == "tar" and tarfile.is_tarfile(archive):
                _extract_tar(archive, tmp)
                break
            if fmt == "zip" and zipfile.is_zipfile(archive):
                with zipfile.ZipFile(archive) as z:
                    z.extractall(tmp)  # zipfile drops absolute and ".." parts of member names
                break
        else:
            raise ValueError(f"{archive} is not a {' or '.join(formats) or 'supported'} archive; nothing extracted")
        os.chmod(tmp, 0o755)  # mkdtemp makes it private
        if os.path.isdir(dest):
            shutil.rmtree(dest)
        os.replace(tmp, dest)
    finally:
        if os.path.isdir(tmp):
            shutil.rmtree(tmp, ignore_errors=True)
    return dest
