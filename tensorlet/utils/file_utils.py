"""``get_file``: fetch a file once, verify it, cache it, and keep working offline.

A file is looked for in this order, and the first copy that verifies wins:

1. the cache, ``<cache_dir>/<cache_subdir>/<fname>`` (``cache_dir`` defaults to ``$TENSORLET_HOME`` or
   ``~/.tensorlet``);
2. Keras' cache (``$KERAS_HOME`` or ``~/.keras``), reused only when the copy there verifies;
3. ``$TENSORLET_DATASETS_MIRROR`` when it names a folder (``<mirror>/<subfolder>/<fname>``, then
   ``<mirror>/<fname>``);
4. folders where a system package installs the data (``KNOWN_LOCATIONS``, e.g. Debian's Fashion-MNIST);
5. ``$TENSORLET_DATASETS_MIRROR`` when it is a URL, then ``origin``.

Copies and downloads go to a temporary file next to the target (``.<name>.part``, one name per target, so a killed
download leaves at most one and the next attempt replaces it) and are renamed into place only once verified,
under a per-file lock, so an interrupted download never leaves a file that looks complete and processes that ask
at the same time download once. Standard library only; docs/datasets.md says why.
"""
from __future__ import annotations

import bz2
import contextlib
import gzip
import hashlib
import http.client
import lzma
import os
import re
import shutil
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from collections.abc import Iterable
from typing import IO, Any

from tensorlet.utils.archives import _as_list, _extract, _non_empty_dir  # noqa: F401
from tensorlet.utils.file_lock import file_lock  # noqa: F401  (re-exported)

HOME_ENV = "TENSORLET_HOME"
MIRROR_ENV = "TENSORLET_DATASETS_MIRROR"
# Sub-folder of the cache (below ``datasets/``) -> (folder, what installs it): where a system package puts the files.
KNOWN_LOCATIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "fashion-mnist": (("/usr/share/datasets/fashion-mnist", "Debian package dataset-fashion-mnist"),),
    "fortunes": (("/usr/share/games/fortunes", "Debian package fortunes"),),
}
RETRIES = 3
RETRY_DELAY = 0.5  # seconds before the second attempt, doubled after each failure
TIMEOUT = 30.0  # seconds without progress before a connection is given up
PROGRESS_MIN_BYTES = 1 << 20  # show a progress bar for downloads at least this large
_CHUNK = 1 << 16
_USER_AGENT = "tensorlet-get_file (Python urllib)"
_TRANSFER_ERRORS = (urllib.error.URLError, http.client.HTTPException, OSError)


class DatasetUnavailableError(OSError):
    """No verified copy of a file was found or downloaded; the message says where to place one by hand."""


class ChecksumMismatchError(ValueError):
    """A downloaded file did not match its published checksum; it was removed."""


def tensorlet_home() -> str:
    """The cache root: ``$TENSORLET_HOME``, or ``~/.tensorlet``."""
    return os.path.expanduser(os.environ.get(HOME_ENV) or os.path.join("~", ".tensorlet"))


def _keras_home() -> str:
    return os.path.expanduser(os.environ.get("KERAS_HOME") or os.path.join("~", ".keras"))


def _algorithm(file_hash: str, hash_algorithm: str) -> str:
    if hash_algorithm in ("sha256", "md5"):
        return hash_algorithm
    if hash_algorithm != "auto":
        raise ValueError(f"hash_algorithm must be 'auto', 'sha256' or 'md5', got {hash_algorithm!r}")
    return "sha256" if len(file_hash) == 64 else "md5"


def _hash_stream(stream: IO[bytes], algorithm: str, chunk_size: int = _CHUNK) -> str:
    hasher = hashlib.new(algorithm)
    for chunk in iter(lambda: stream.read(chunk_size), b""):
        hasher.update(chunk)
    return hasher.hexdigest()


def hash_file(fpath: str, algorithm: str = "sha256", chunk_size: int = 65535) -> str:
    """The hex digest (``"sha256"`` or ``"md5"``) of a file's bytes."""
    with open(fpath, "rb") as f:
        return _hash_stream(f, algorithm, chunk_size)


_DECOMPRESSORS: tuple[tuple[bytes, Any], ...] = ((b"\x1f\x8b", gzip.open), (b"BZh", bz2.open),
                                                 (b"\xfd7zXZ\x00", lzma.open))


def _decompressed(fpath: str) -> IO[bytes] | None:
    """The decompressed stream of a gzip/bzip2/xz file (recognised by its magic bytes), else None."""
    with open(fpath, "rb") as f:
        head = f.read(6)
    for magic, opener in _DECOMPRESSORS:
        if head.startswith(magic):
            return opener(fpath, "rb")
    return None


def validate_file(fpath: str, file_hash: Any, algorithm: str = "auto", chunk_size: int = 65535,
                  content_hash: Any = None) -> bool:
    """True if the file matches one of ``file_hash`` (sha256 or md5 digests; ``algorithm="auto"`` tells them
    apart by length) or, for a gzip/bzip2/xz file, if the sha256 of its decompressed content is one of
    ``content_hash`` (the same data compressed differently). True when no hash is given at all."""
    hashes, contents = _as_list(file_hash), _as_list(content_hash)
    if not hashes and not contents:
        return True
    try:
        for algo in sorted({_algorithm(h, algorithm) for h in hashes}):
            if hash_file(fpath, algo, chunk_size) in hashes:
                return True
        stream = _decompressed(fpath) if contents else None
        if stream is not None:
            with stream:
                return _hash_stream(stream, "sha256", chunk_size) in contents
    except (OSError, EOFError, zlib.error, lzma.LZMAError):
        return False
    return False


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _temp_path(folder: str, name: str) -> str:
    """The partial file for ``name``: ``.<name>.part`` in ``folder``, emptied and created with the user's umask.
    One name per target, used under the target's lock, so a killed download leaves at most one, which the next
    attempt reuses; the randomly named ones of older releases (``.<name>.<random>.part``) are removed."""
    legacy = re.compile(r"\." + re.escape(name) + r"\.[A-Za-z0-9_]{8}\.part\Z")
    with contextlib.suppress(OSError):
        for entry in os.listdir(folder):
            if legacy.match(entry):
                with contextlib.suppress(OSError):
                    os.remove(os.path.join(folder, entry))
    tmp = os.path.join(folder, f".{name}.part")
    with contextlib.suppress(FileNotFoundError):
        os.remove(tmp)
    os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    return tmp


def _fetch(url: str, tmp: str) -> None:
    """Stream ``url`` into ``tmp``; raise if the transfer stops short of the announced length."""
    request = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT})
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response, open(tmp, "wb") as out:
        total = int(response.headers.get("Content-Length") or 0)
        bar = None
        if total >= PROGRESS_MIN_BYTES:
            from tensorlet.utils.progbar import Progbar

            bar = Progbar(total, unit_name="B", stream=sys.stderr)
        received = 0
        for chunk in iter(lambda: response.read(_CHUNK), b""):
            out.write(chunk)
            received += len(chunk)
            if bar is not None:
                bar.update(received, finalize=False)
        if total and received != total:
            raise ConnectionError(f"transfer interrupted: got {received} of {total} bytes")
        if bar is not None:
            bar.update(received, finalize=True)


def _download(url: str, folder: str, name: str) -> str:
    """Download ``url`` to a temporary file in ``folder`` (retrying), and return its path."""
    _log(f"Downloading data from {url}")
    delay = RETRY_DELAY
    for attempt in range(1, RETRIES + 1):
        tmp = _temp_path(folder, name)
        try:
            _fetch(url, tmp)
            return tmp
        except _TRANSFER_ERRORS as e:
            os.remove(tmp)
            client_error = isinstance(e, urllib.error.HTTPError) and 400 <= e.code < 500
            if client_error or attempt == RETRIES:
                raise
            _log(f"Download failed ({e}); retrying in {delay:g}s ({attempt}/{RETRIES - 1})")
            time.sleep(delay)
            delay *= 2
        except BaseException:  # KeyboardInterrupt included: never leave a partial file behind
            os.remove(tmp)
            raise
    raise AssertionError("unreachable")  # pragma: no cover


def _copy_into(src: str, target: str) -> None:
    tmp = _temp_path(os.path.dirname(target), os.path.basename(target))
    try:
        shutil.copyfile(src, tmp)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


def _subfolder(cache_subdir: str) -> str:
    """``datasets/fashion-mnist`` -> ``fashion-mnist``: where the file sits inside a datasets mirror."""
    if os.path.isabs(cache_subdir):
        return ""
    parts = [p for p in cache_subdir.replace("\\", "/").split("/") if p not in ("", ".")]
    return "/".join(parts[1:] if parts[:1] == ["datasets"] else parts)


def _is_url(location: str) -> bool:
    return urllib.parse.urlsplit(location).scheme in ("http", "https", "ftp", "file")


def _local_candidates(cache_subdir: str, names: list[str], force_download: bool) -> list[tuple[str, str]]:
    sub, mirror = _subfolder(cache_subdir), os.environ.get(MIRROR_ENV, "")
    found: list[tuple[str, str]] = []
    if not force_download and not os.path.isabs(cache_subdir):
        found += [(os.path.join(_keras_home(), cache_subdir, n), "Keras cache") for n in names]
    if mirror and not _is_url(mirror):
        for folder in _unique([os.path.join(mirror, sub) if sub else "", mirror]):
            found += [(os.path.join(folder, n), MIRROR_ENV) for n in names]
    for folder, source in KNOWN_LOCATIONS.get(sub, ()):
        found += [(os.path.join(folder, n), f"known location: {source}") for n in names]
    return found


def _remote_candidates(cache_subdir: str, names: list[str], origin: str | None) -> list[tuple[str, str]]:
    sub, mirror = _subfolder(cache_subdir), os.environ.get(MIRROR_ENV, "")
    urls: list[tuple[str, str]] = []
    if mirror and _is_url(mirror):
        base = mirror.rstrip("/") + "/"
        prefixes = [sub + "/", ""] if sub else [""]
        urls += [(base + urllib.parse.quote(p + n), MIRROR_ENV) for p in prefixes for n in names]
    if origin:
        urls.append((origin, "origin"))
    return urls


def _explain(target: str, looked: list[str], hashes: list[str], contents: list[str], algorithm: str,
             origin: str | None) -> str:
    name = os.path.basename(target)
    expected = [f"{_algorithm(h, algorithm)} {h}" for h in hashes]
    expected += [f"sha256 of the decompressed content {h}" for h in contents]
    how = f"download {origin} on a machine with network access" if origin else "get the file"
    return "\n".join([
        f"Could not find or download a verified copy of {name!r}.",
        "Looked in:", *[f"  {entry}" for entry in looked],
        "Expected checksum (any of):" if expected else "Expected checksum: none published.",
        *[f"  {e}" for e in expected],
        f"To place it by hand: {how}, check it (e.g. `sha256sum {name}`), then either copy it to",
        f"  {target}",
        f"or put it in a folder and set {MIRROR_ENV}=/path/to/that/folder.",
    ])


def _writable_root(cache_dir: str | None) -> str:
    root = os.path.expanduser(cache_dir) if cache_dir else tensorlet_home()
    with contextlib.suppress(OSError):
        os.makedirs(root, exist_ok=True)
    if os.access(root, os.W_OK):
        return root
    return os.path.join(tempfile.gettempdir(), ".tensorlet")  # read-only home: cache in the temp folder


def get_file(fname: str | None = None, origin: str | None = None, untar: bool = False,
             md5_hash: str | None = None, file_hash: Any = None, cache_subdir: str = "datasets",
             hash_algorithm: str = "auto", extract: bool = False, archive_format: Any = "auto",
             cache_dir: str | None = None, force_download: bool = False, *, content_hash: Any = None,
             alt_names: Iterable[str] = ()) -> str:
    """Return the local path of a verified copy of a file, fetching it if needed (Keras' ``get_file``).

    Args:
        fname: the file's name in the cache; defaults to the last part of ``origin``. With ``extract``, a name
            with a dot is the archive's name (extracted to ``<stem>_extracted``), one without is the extraction
            folder (as in Keras 3).
        origin: the canonical URL.
        untar: deprecated alias of ``extract`` for tar archives.
        md5_hash: deprecated alias of ``file_hash`` for md5 digests.
        file_hash: the published sha256 (or md5) digest, or a list of acceptable digests. None skips checks.
        cache_subdir: folder below ``cache_dir`` (an absolute path is used as is).
        hash_algorithm: ``"auto"``, ``"sha256"`` or ``"md5"``.
        extract: extract the archive (tar, tar.gz, tar.bz2, zip) and return the extraction folder. A non-empty
            extraction folder without its archive (extracted by hand) is returned as is.
        archive_format: ``"auto"`` (tar then zip), ``"tar"``, ``"zip"`` or a list of them.
        cache_dir: the cache root; defaults to ``$TENSORLET_HOME`` or ``~/.tensorlet``.
        force_download: fetch again even when the cache holds a verified copy.
        content_hash: (tensorlet) sha256 of the decompressed content of a compressed file, so that the same data
            compressed differently (e.g. Debian's re-gzipped files) is accepted.
        alt_names: (tensorlet) other names the file may have in a mirror or in Keras' cache.

    Returns:
        The path of the file, or of the extraction folder with ``extract``/``untar``.

    Raises:
        ChecksumMismatchError: a download did not match ``file_hash`` (it was removed).
        DatasetUnavailableError: nothing verified was found; the message lists where it looked and how to place
            the file by hand.

    Example:
        >>> path = get_file("mnist.npz", "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz",
        ...                 file_hash="731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1")  # doctest: +SKIP
    """
    if md5_hash is not None and file_hash is None:
        file_hash, hash_algorithm = md5_hash, "md5"
    hashes, contents = _as_list(file_hash), _as_list(content_hash)
    for h in hashes:
        _algorithm(h, hash_algorithm)  # reject a bad algorithm name early
    given = os.fspath(fname) if fname else ""
    origin_name = os.path.basename(urllib.parse.urlsplit(origin).path) if origin else ""
    name = given or origin_name
    if not name:
        raise ValueError("get_file needs `fname`, or an `origin` URL that ends with a file name")
    datadir = os.path.join(_writable_root(cache_dir), cache_subdir)
    head, tail = os.path.split(os.path.join(datadir, name))
    os.makedirs(head, exist_ok=True)
    extracting = bool(extract or untar)
    if not extracting:
        target, extract_dir = os.path.join(head, tail), ""
    elif given and "." in tail:
        target, extract_dir = os.path.join(head, tail), os.path.join(head, tail.split(".")[0] + "_extracted")
    else:
        target, extract_dir = os.path.join(head, tail + "_archive"), os.path.join(head, tail)
    names = _unique([os.path.basename(target), tail, origin_name, *alt_names])
    with file_lock(os.path.join(head, f".{os.path.basename(target)}.lock")):
        if extracting and not force_download and not os.path.exists(target) and _non_empty_dir(extract_dir):
            return extract_dir  # extracted by hand, or its archive deleted to save space: nothing to verify it with
        fresh = _ensure(target, names, origin, hashes, contents, hash_algorithm, cache_subdir, force_download)
        if not extracting:
            return target
        return _extract(target, extract_dir, "tar" if untar else archive_format, fresh)


def _ensure(target: str, names: list[str], origin: str | None, hashes: list[str], contents: list[str],
            hash_algorithm: str, cache_subdir: str, force_download: bool) -> bool:
    """Make ``target`` a verified copy; return True if it was (re)placed, False if the cached copy was good."""
    def ok(path: str) -> bool:
        return validate_file(path, hashes, hash_algorithm, content_hash=contents)

    looked: list[str] = []
    if os.path.isfile(target) and not force_download:
        if ok(target):
            return False
        _log(f"The cached {target} does not match its checksum (incomplete or outdated); fetching it again.")
        os.remove(target)
        looked.append(f"{target} (cache): checksum mismatch, removed")
    else:
        looked.append(f"{target} (cache): " + ("skipped (force_download)" if force_download else "not found"))
    for path, where in _local_candidates(cache_subdir, names, force_download):
        if os.path.abspath(path) == os.path.abspath(target):
            continue
        if not os.path.isfile(path):
            looked.append(f"{path} ({where}): not found")
        elif ok(path):
            _copy_into(path, target)
            return True
        else:
            looked.append(f"{path} ({where}): present, but its checksum does not match")
    mismatch, unreachable = False, set()
    folder = os.path.dirname(target)
    for url, where in _remote_candidates(cache_subdir, names, origin):
        host = urllib.parse.urlsplit(url).netloc
        if host in unreachable:
            looked.append(f"{url} ({where}): skipped, {host} did not answer")
            continue
        try:
            tmp = _download(url, folder, os.path.basename(target))
        except _TRANSFER_ERRORS as e:
            if host and not isinstance(e, urllib.error.HTTPError):
                unreachable.add(host)
            looked.append(f"{url} ({where}): {getattr(e, 'reason', None) or e}")
            continue
        if ok(tmp):
            os.replace(tmp, target)
            return True
        actual = hash_file(tmp, _algorithm(hashes[0], hash_algorithm)) if hashes else "?"
        os.remove(tmp)
        mismatch = True
        looked.append(f"{url} ({where}): downloaded, but its checksum is {actual}; the file was removed "
                      "(corrupted transfer, or the file changed upstream)")
    if not origin and not os.environ.get(MIRROR_ENV):
        looked.append(f"(no origin URL, and {MIRROR_ENV} is not set)")
    error = ChecksumMismatchError if mismatch else DatasetUnavailableError
    raise error(_explain(target, looked, hashes, contents, hash_algorithm, origin))
