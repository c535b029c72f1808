"""``get_file``: download once, verify, cache; offline-friendly (mirror folder or URL, known local copies).

Where a file is looked for, in order: the cache (``$TENSORLET_HOME`` or ``~/.tensorlet``, then ``datasets/``),
a verified copy in Keras' cache (``~/.keras/datasets``), ``$TENSORLET_DATASETS_MIRROR`` (a folder or a base URL),
extra known folders (``search_dirs``, e.g. Debian's ``/usr/share/datasets/...``), and finally ``origin``.
Downloads are written to a temporary file and renamed into place only once verified, under a lock file, so an
interrupted download never leaves a file that looks complete and two processes download once.
"""
from __future__ import annotations

import contextlib
import gzip
import hashlib
import os
import shutil
import sys
import tarfile
import tempfile
import time
import urllib.error
import urllib.request
import zipfile
from typing import Any, Iterator, Sequence


class DatasetUnavailableError(OSError):
    """A file could not be found locally nor downloaded; the message says how to place it by hand."""


def tensorlet_home() -> str:
    return os.environ.get("TENSORLET_HOME") or os.path.join(os.path.expanduser("~"), ".tensorlet")


def _hash_file(path: str, algorithm: str, gunzip: bool = False) -> str:
    h = hashlib.new(algorithm)
    opener: Any = gzip.open if gunzip else open
    with opener(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _algorithm(file_hash: str, hash_algorithm: str) -> str:
    if hash_algorithm in ("sha256", "md5"):
        return hash_algorithm
    return "sha256" if len(file_hash) == 64 else "md5"


def validate_file(path: str, hashes: Sequence[str], hash_algorithm: str = "auto",
                  content_hashes: Sequence[str] = ()) -> bool:
    """True if the file's hash is one of ``hashes``, or (for .gz files) its decompressed content's sha256 is one of
    ``content_hashes`` (the same data, compressed differently)."""
    if not hashes and not content_hashes:
        return True
    try:
        for algo in {_algorithm(h, hash_algorithm) for h in hashes}:
            if _hash_file(path, algo) in hashes:
                return True
        if content_hashes and path.endswith(".gz"):
            return _hash_file(path, "sha256", gunzip=True) in content_hashes
    except (OSError, EOFError, gzip.BadGzipFile):
        return False
    return False


@contextlib.contextmanager
def _lock(path: str) -> Iterator[None]:
    """An exclusive lock on ``path + '.lock'`` (fcntl where available)."""
    lock_path = path + ".lock"
    with open(lock_path, "a+") as f:
        try:
            import fcntl

            fcntl.flock(f.fileno(), fcntl.LOCK_EX)
        except ImportError:  # pragma: no cover - Windows: best effort
            pass
        try:
            yield
        finally:
            try:
                import fcntl

                fcntl.flock(f.fileno(), fcntl.LOCK_UN)
            except ImportError:  # pragma: no cover
                pass


def _download(url: str, dest: str, hashes: Sequence[str], hash_algorithm: str, content_hashes: Sequence[str],
              retries: int = 3, timeout: float = 30.0) -> None:
    folder = os.path.dirname(dest)
    last: Exception | None = None
    for attempt in range(retries):
        fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(dest) + ".", suffix=".part", dir=folder)
        os.close(fd)
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response, open(tmp, "wb") as out:
                total = int(response.headers.get("Content-Length") or 0)
                bar = None
                if total > (1 << 20) and sys.stdout.isatty():
                    from tensorlet.utils.progbar import Progbar

                    bar = Progbar(total, unit_name="B")
                got = 0
                while True:
                    chunk = response.read(1 << 16)
                    if not chunk:
                        break
                    out.write(chunk)
                    got += len(chunk)
                    if bar is not None:
                        bar.update(got)
                if total and got != total:
                    raise urllib.error.ContentTooShortError(f"got {got} of {total} bytes", None)
            if not validate_file(tmp, hashes, hash_algorithm, content_hashes):
                actual = _hash_file(tmp, _algorithm(hashes[0], hash_algorithm)) if hashes else "?"
                os.remove(tmp)
                raise ValueError(f"The file downloaded from {url} does not match its published checksum (expected "
                                 f"{' or '.join(hashes)}, got {actual}); it was removed. The download may be "
                                 "corrupted or the origin changed: try again, or place a verified copy by hand.")
            os.replace(tmp, dest)
            return
        except ValueError:
            raise
        except (urllib.error.URLError, OSError, ConnectionError) as e:
            last = e
            if os.path.exists(tmp):
                os.remove(tmp)
            if attempt + 1 < retries:
                time.sleep(0.2 * (2**attempt))
    raise last if last is not None else OSError(f"download of {url} failed")


def get_file(fname: str | None = None, origin: str | None = None, untar: bool = False, md5_hash: str | None = None,
             file_hash: Any = None, cache_subdir: str = "datasets", hash_algorithm: str = "auto",
             extract: bool = False, archive_format: str = "auto", cache_dir: str | None = None,
             force_download: bool = False, content_hash: Any = None, search_dirs: Sequence[str] = (),
             mirror_names: Sequence[str] = ()) -> str:
    """Return the local path of ``fname``, downloading it from ``origin`` if needed (Keras' signature).

    Args:
        fname: file name in the cache (defaults to the last part of ``origin``).
        origin: the canonical URL.
        file_hash: the published sha256 (or md5) — a string or a list of acceptable hashes.
        extract / untar: also extract a tar or zip archive next to the file (returns the extraction folder).
        cache_dir / cache_subdir: where to cache (default ``$TENSORLET_HOME`` or ``~/.tensorlet``, ``datasets``).
        force_download: download again even if a verified copy exists.
        content_hash: sha256 of a .gz file's decompressed content (accepts equivalent re-compressed files).
        search_dirs / mirror_names: extra folders to look in and other names the file may have in a mirror.
    """
    if origin is None and fname is None:
        raise ValueError("get_file needs `fname` or `origin`")
    fname = fname or os.path.basename(str(origin))
    if untar:
        extract = True
    hashes = [h.lower() for h in ([file_hash] if isinstance(file_hash, str) else list(file_hash or []))]
    if md5_hash:
        hashes.append(md5_hash.lower())
    content_hashes = [h.lower() for h in ([content_hash] if isinstance(content_hash, str) else
                                          list(content_hash or []))]
    base = cache_dir or tensorlet_home()
    datadir = os.path.join(base, cache_subdir)
    os.makedirs(datadir, exist_ok=True)
    target = os.path.join(datadir, fname)
    looked: list[str] = [target]
    with _lock(target):
        if os.path.exists(target) and not force_download:
            if validate_file(target, hashes, hash_algorithm, content_hashes):
                return _maybe_extract(target, extract, archive_format)
            os.remove(target)  # a stale or corrupted copy
        candidates = [os.path.join(os.path.expanduser("~"), ".keras", cache_subdir, fname)]
        mirror = os.environ.get("TENSORLET_DATASETS_MIRROR")
        names = [fname] + list(mirror_names)
        if mirror and not mirror.startswith(("http://", "https://", "file://")):
            candidates += [os.path.join(mirror, n) for n in names]
        candidates += [os.path.join(d, n) for d in search_dirs for n in names]
        for path in candidates:
            looked.append(path)
            if os.path.isfile(path) and validate_file(path, hashes, hash_algorithm, content_hashes):
                fd, tmp = tempfile.mkstemp(prefix="." + fname + ".", suffix=".part", dir=datadir)
                os.close(fd)
                shutil.copyfile(path, tmp)
                os.replace(tmp, target)
                return _maybe_extract(target, extract, archive_format)
        urls = []
        if mirror and mirror.startswith(("http://", "https://", "file://")):
            urls += [mirror.rstrip("/") + "/" + n for n in names]
        if origin:
            urls.append(origin)
        errors = []
        for url in urls:
            looked.append(url)
            try:
                _download(url, target, hashes, hash_algorithm, content_hashes)
                return _maybe_extract(target, extract, archive_format)
            except ValueError:
                raise
            except (urllib.error.URLError, OSError, ConnectionError) as e:
                errors.append(f"{url}: {e}")
    expected = " or ".join(hashes or content_hashes) or "(no checksum published)"
    raise DatasetUnavailableError(
        f"Could not find or download {fname!r}.\nLooked in:\n  " + "\n  ".join(looked) +
        ("\nDownload errors:\n  " + "\n  ".join(errors) if errors else "") +
        f"\nExpected checksum: {expected}\nTo use it offline, place a verified copy at {target} (or in a folder "
        "named by TENSORLET_DATASETS_MIRROR).")


def _safe_members(tar: tarfile.TarFile, dest: str) -> list[tarfile.TarInfo]:
    root = os.path.realpath(dest)
    members = []
    for m in tar.getmembers():
        path = os.path.realpath(os.path.join(dest, m.name))
        if not path.startswith(root + os.sep) and path != root:
            raise ValueError(f"Refusing to extract {m.name!r}: it would land outside {dest}")
        if m.issym() or m.islnk() or m.isdev():
            raise ValueError(f"Refusing to extract the link or device {m.name!r}")
        members.append(m)
    return members


def _maybe_extract(path: str, extract: bool, archive_format: str = "auto") -> str:
    if not extract:
        return path
    folder = path
    for suffix in (".tar.gz", ".tgz", ".tar", ".zip"):
        if folder.endswith(suffix):
            folder = folder[: -len(suffix)]
            break
    else:
        folder = path + "_extracted"
    if os.path.isdir(folder):
        return folder
    tmp = tempfile.mkdtemp(prefix=".extract.", dir=os.path.dirname(path))
    try:
        if tarfile.is_tarfile(path) and archive_format in ("auto", "tar"):
            with tarfile.open(path) as tar:
                tar.extractall(tmp, members=_safe_members(tar, tmp))
        elif zipfile.is_zipfile(path) and archive_format in ("auto", "zip"):
            with zipfile.ZipFile(path) as z:
                for name in z.namelist():
                    if os.path.isabs(name) or ".." in name.split("/"):
                        raise ValueError(f"Refusing to extract {name!r}: unsafe path")
                z.extractall(tmp)
        else:
            raise ValueError(f"{path} is not a tar or zip archive")
        os.replace(tmp, folder)
    finally:
        if os.path.isdir(tmp):
            shutil.rmtree(tmp, ignore_errors=True)
    return folder
