"""get_file: downloads from a local HTTP server on 127.0.0.1 started by the test, mirrors, caches, extraction."""
from __future__ import annotations

import gzip
import hashlib
import http.server
import io
import os
import subprocess
import sys
import tarfile
import threading
import time
import zipfile
from pathlib import Path

import pytest

from tensorlet.utils import file_utils
from tensorlet.utils.file_utils import ChecksumMismatchError, DatasetUnavailableError, file_lock, get_file

ROOT = Path(__file__).resolve().parents[2]
PAYLOAD = bytes(range(256)) * 800  # 204,800 bytes
SHA = hashlib.sha256(PAYLOAD).hexdigest()


class Server:
    """Serves ``files`` (URL path -> bytes); can cut transfers short or answer slowly; counts requests."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self.files, self.requests, self.truncate, self.delay = files, [], 0, 0.0
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the http.server hook name
                outer.requests.append(self.path)
                body = outer.files.get(self.path)
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                time.sleep(outer.delay)
                if outer.truncate > 0:  # announce the full length, send a third, hang up
                    outer.truncate -= 1
                    self.wfile.write(body[: len(body) // 3])
                    self.close_connection = True
                    return
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.02,), daemon=True)
        self.thread.start()

    def url(self, path: str = "/data.bin") -> str:
        return self.base + path

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch):
    """Cache, home and Keras home in tmp_path, no mirror, no retry pauses; returns the datasets cache folder."""
    monkeypatch.setenv("TENSORLET_HOME", str(tmp_path / "tensorlet_home"))
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    monkeypatch.delenv("KERAS_HOME", raising=False)
    monkeypatch.delenv("TENSORLET_DATASETS_MIRROR", raising=False)
    monkeypatch.setattr(file_utils, "RETRY_DELAY", 0.0)
    return tmp_path / "tensorlet_home" / "datasets"


@pytest.fixture
def server():
    s = Server({"/data.bin": PAYLOAD})
    yield s
    s.close()


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_download_is_verified_cached_and_reused(server, cache):
    path = get_file("data.bin", origin=server.url(), file_hash=SHA)
    assert path == str(cache / "data.bin") and Path(path).read_bytes() == PAYLOAD
    assert get_file(origin=server.url(), file_hash=SHA) == path  # fname defaults to the URL's last part
    assert server.requests == ["/data.bin"]
    assert listing(cache) == ["data.bin"]  # no temporary or lock file left
    assert os.stat(path).st_mode & 0o777 == 0o644


def test_checksum_mismatch_rejects_and_removes_the_file(server, cache):
    wrong = "0" * 64
    with pytest.raises(ChecksumMismatchError) as error:
        get_file("data.bin", origin=server.url(), file_hash=wrong)
    message = str(error.value)
    assert f"its checksum is {SHA}; the file was removed" in message and wrong in message
    assert listing(cache) == []


def test_interrupted_transfer_leaves_no_partial_file_and_the_next_call_succeeds(server, cache):
    server.truncate = file_utils.RETRIES  # every attempt of the first call is cut short
    with pytest.raises(DatasetUnavailableError, match="transfer interrupted"):
        get_file("data.bin", origin=server.url())  # even without a checksum to catch it
    assert listing(cache) == []
    assert Path(get_file("data.bin", origin=server.url(), file_hash=SHA)).read_bytes() == PAYLOAD
    assert len(server.requests) == file_utils.RETRIES + 1


def test_a_single_interruption_is_retried(server):
    server.truncate = 1
    assert Path(get_file("data.bin", origin=server.url(), file_hash=SHA)).read_bytes() == PAYLOAD
    assert len(server.requests) == 2


def test_server_down_gives_a_clear_offline_message(cache):
    down = Server({})
    url = down.url()
    down.close()
    with pytest.raises(DatasetUnavailableError) as error:
        get_file("data.bin", origin=url, file_hash=SHA)
    message = str(error.value)
    assert "Could not find or download a verified copy of 'data.bin'" in message
    assert f"{cache / 'data.bin'} (cache): not found" in message  # where it looked
    assert f"{url} (origin): " in message and "refused" in message.lower()
    assert f"sha256 {SHA}" in message  # the expected checksum
    assert f"copy it to\n  {cache / 'data.bin'}" in message and "TENSORLET_DATASETS_MIRROR=" in message
    assert listing(cache) == []


def test_a_missing_file_is_not_retried(server):
    with pytest.raises(DatasetUnavailableError, match="Not Found"):
        get_file("other.bin", origin=server.url("/other.bin"), file_hash=SHA)
    assert server.requests == ["/other.bin"]


def test_two_processes_fetching_at_once_download_once(server, cache):
    server.delay = 0.5  # the first download is still running when the second process asks
    code = ("import sys; from tensorlet.utils.file_utils import get_file; print('ready', flush=True); "
            "sys.stdin.readline(); print(get_file('data.bin', origin=sys.argv[1], file_hash=sys.argv[2]))")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    procs = [subprocess.Popen([sys.executable, "-c", code, server.url(), SHA], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) for _ in range(2)]
    assert [p.stdout.readline() for p in procs] == [b"ready\n"] * 2  # both imported: start them together
    for p in procs:
        p.stdin.write(b"go\n")
        p.stdin.close()
    results = [(p.stdout.read(), p.stderr.read(), p.wait(timeout=60)) for p in procs]
    assert [code for _, _, code in results] == [0, 0], [err.decode() for _, err, _ in results]
    assert {out.decode().strip() for out, _, _ in results} == {str(cache / "data.bin")}
    assert server.requests == ["/data.bin"]
    assert (cache / "data.bin").read_bytes() == PAYLOAD and listing(cache) == ["data.bin"]


def test_file_lock_excludes_threads_and_cleans_up(tmp_path):
    lock, inside, overlaps = str(tmp_path / ".x.lock"), [], []

    def work():
        with file_lock(lock):
            inside.append(1)
            overlaps.append(len(inside))
            time.sleep(0.01)
            inside.pop()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert overlaps == [1, 1, 1, 1] and not os.path.exists(lock)


def test_mirror_folder_is_tried_before_the_origin(server, tmp_path, monkeypatch):
    mirror = tmp_path / "mirror"
    (mirror / "sub").mkdir(parents=True)
    (mirror / "data.bin").write_bytes(PAYLOAD)
    (mirror / "sub" / "nested.bin").write_bytes(PAYLOAD)
    monkeypatch.setenv("TENSORLET_DATASETS_MIRROR", str(mirror))
    assert Path(get_file("data.bin", origin=server.url(), file_hash=SHA)).read_bytes() == PAYLOAD
    assert Path(get_file("nested.bin", origin=server.url(), file_hash=SHA, cache_subdir="datasets/sub")).is_file()
    assert server.requests == []


def test_mirror_url_is_tried_before_the_origin(server, monkeypatch):
    server.files["/mirror/data.bin"] = PAYLOAD
    monkeypatch.setenv("TENSORLET_DATASETS_MIRROR", server.url("/mirror/"))
    assert Path(get_file("data.bin", origin="http://127.0.0.1:9/data.bin", file_hash=SHA)).read_bytes() == PAYLOAD
    assert server.requests == ["/mirror/data.bin"]


def test_a_verified_keras_copy_is_reused_and_a_wrong_one_ignored(server, tmp_path, cache):
    keras = tmp_path / "user" / ".keras" / "datasets"
    keras.mkdir(parents=True)
    (keras / "data.bin").write_bytes(PAYLOAD)
    assert Path(get_file("data.bin", origin=server.url(), file_hash=SHA)).read_bytes() == PAYLOAD
    assert server.requests == []
    (cache / "data.bin").unlink()
    (keras / "data.bin").write_bytes(b"something else")
    assert Path(get_file("data.bin", origin=server.url(), file_hash=SHA)).read_bytes() == PAYLOAD
    assert server.requests == ["/data.bin"]


def test_a_corrupted_cache_entry_is_fetched_again(server, cache, capsys):
    cache.mkdir(parents=True)
    (cache / "data.bin").write_bytes(PAYLOAD[:100])
    assert Path(get_file("data.bin", origin=server.url(), file_hash=SHA)).read_bytes() == PAYLOAD
    assert "does not match its checksum" in capsys.readouterr().err


def test_force_download_and_the_hash_options(server):
    md5 = hashlib.md5(PAYLOAD).hexdigest()
    get_file("data.bin", origin=server.url(), md5_hash=md5)
    get_file("data.bin", origin=server.url(), file_hash=md5, hash_algorithm="md5", force_download=True)
    get_file("data.bin", origin=server.url(), file_hash=["f" * 64, SHA])  # any of several
    assert len(server.requests) == 2
    with pytest.raises(ValueError, match="hash_algorithm"):
        get_file("data.bin", origin=server.url(), file_hash=SHA, hash_algorithm="sha1")


def test_content_hash_accepts_the_same_data_compressed_differently(tmp_path, monkeypatch):
    published = gzip.compress(PAYLOAD, compresslevel=9, mtime=0)
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / "data.gz").write_bytes(gzip.compress(PAYLOAD, compresslevel=1, mtime=1591315200))
    monkeypatch.setenv("TENSORLET_DATASETS_MIRROR", str(mirror))
    file_hash = hashlib.sha256(published).hexdigest()
    with pytest.raises(DatasetUnavailableError, match="present, but its checksum does not match"):
        get_file("data.gz", file_hash=file_hash)
    path = get_file("data.gz", file_hash=file_hash, content_hash=SHA)
    assert gzip.decompress(Path(path).read_bytes()) == PAYLOAD


def test_known_locations_are_searched_and_reported(tmp_path, monkeypatch):
    folder = tmp_path / "usr" / "share" / "things"
    monkeypatch.setattr(file_utils, "KNOWN_LOCATIONS", {"things": ((str(folder), "package things-data"),)})
    with pytest.raises(DatasetUnavailableError, match=r"known location: package things-data\): not found"):
        get_file("data.bin", file_hash=SHA, cache_subdir="datasets/things")
    folder.mkdir(parents=True)
    (folder / "data.bin").write_bytes(PAYLOAD)
    assert Path(get_file("data.bin", file_hash=SHA, cache_subdir="datasets/things")).read_bytes() == PAYLOAD


def tar_gz(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def test_extract_follows_keras_3_layout(server, cache):
    server.files["/pack.tar.gz"] = tar_gz({"pack/a.txt": b"a"})
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as z:
        z.writestr("inner/b.txt", "b")
    server.files["/pack.zip"] = zipped.getvalue()
    # a name with a dot names the archive, extracted to <stem>_extracted
    folder = get_file("pack.tar.gz", origin=server.url("/pack.tar.gz"), extract=True)
    assert folder == str(cache / "pack_extracted") and (cache / "pack_extracted" / "pack" / "a.txt").is_file()
    # a name without a dot names the folder; the archive is kept as <name>_archive
    folder = get_file("unpacked", origin=server.url("/pack.tar.gz"), untar=True)
    assert folder == str(cache / "unpacked") and (cache / "unpacked_archive").is_file()
    assert (cache / "unpacked" / "pack" / "a.txt").read_bytes() == b"a"
    folder = get_file("z.zip", origin=server.url("/pack.zip"), extract=True)
    assert (Path(folder) / "inner" / "b.txt").read_text() == "b"
    assert get_file("z.zip", origin=server.url("/pack.zip"), extract=True) == folder
    assert not [name for name in listing(cache) if name.startswith(".")]


def test_an_extracted_folder_placed_by_hand_is_used(cache):
    (cache / "pack" / "inner").mkdir(parents=True)
    (cache / "pack" / "inner" / "a.txt").write_text("a")
    assert get_file("pack", origin="http://127.0.0.1:9/pack.tar.gz", file_hash=SHA, extract=True) == str(
        cache / "pack")
    with pytest.raises(DatasetUnavailableError):  # force_download insists on the archive
        get_file("pack", origin="http://127.0.0.1:9/pack.tar.gz", file_hash=SHA, extract=True, force_download=True)


def test_unsafe_archive_members_are_refused(server, tmp_path):
    server.files["/evil.tar.gz"] = tar_gz({"../escaped.txt": b"x"})
    with pytest.raises(tarfile.TarError):
        get_file("evil.tar.gz", origin=server.url("/evil.tar.gz"), extract=True)
    assert not list(tmp_path.rglob("escaped.txt"))


def test_large_downloads_show_a_progress_bar(server, monkeypatch, capsys):
    monkeypatch.setattr(file_utils, "PROGRESS_MIN_BYTES", 100_000)
    get_file("data.bin", origin=server.url(), file_hash=SHA)
    err = capsys.readouterr().err
    assert f"Downloading data from {server.url()}" in err and f"{len(PAYLOAD)}/{len(PAYLOAD)} [" in err


def test_a_killed_download_leaves_one_part_file_which_the_next_download_replaces(server, cache):
    cache.mkdir(parents=True)
    (cache / ".data.bin.part").write_bytes(PAYLOAD[:1000])  # left by a download killed with SIGKILL
    (cache / ".data.bin.k3j_x9az.part").write_bytes(b"x")  # the random names of older releases
    (cache / ".other.bin.part").write_bytes(b"y")  # another file's: not ours to remove
    path = get_file("data.bin", origin=server.url(), file_hash=SHA)
    assert Path(path).read_bytes() == PAYLOAD
    assert listing(cache) == [".other.bin.part", "data.bin"]


def test_the_part_file_has_one_name_next_to_the_target(server, cache, monkeypatch):
    seen = []
    fetch = file_utils._fetch

    def spy(url, tmp):
        seen.append(tmp)
        return fetch(url, tmp)

    monkeypatch.setattr(file_utils, "_fetch", spy)
    server.truncate = 1  # the first attempt is cut short and retried
    get_file("data.bin", origin=server.url(), file_hash=SHA)
    assert seen == [str(cache / ".data.bin.part")] * 2
