"""get_file against a local HTTP server on 127.0.0.1 started by the test."""
from __future__ import annotations

import hashlib
import http.server
import os
import subprocess
import sys
import threading

import pytest

from tensorlet.utils.file_utils import DatasetUnavailableError, get_file

PAYLOAD = os.urandom(200_000)
SHA = hashlib.sha256(PAYLOAD).hexdigest()


class Server:
    def __init__(self, truncate_first=0):
        self.requests = 0
        self.truncate_first = truncate_first
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                outer.requests += 1
                self.send_response(200)
                self.send_header("Content-Length", str(len(PAYLOAD)))
                self.end_headers()
                if outer.truncate_first > 0:
                    outer.truncate_first -= 1
                    self.wfile.write(PAYLOAD[:1000])
                    self.wfile.flush()
                    self.connection.shutdown(2)
                    return
                self.wfile.write(PAYLOAD)

            def log_message(self, *a):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/data.bin"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("TENSORLET_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("TENSORLET_DATASETS_MIRROR", raising=False)
    return tmp_path / "home" / "datasets"


def test_download_verify_and_cache(home):
    s = Server()
    try:
        path = get_file("data.bin", origin=s.url, file_hash=SHA)
        assert open(path, "rb").read() == PAYLOAD
        get_file("data.bin", origin=s.url, file_hash=SHA)
        assert s.requests == 1
    finally:
        s.close()


def test_checksum_mismatch_rejects_and_removes(home):
    s = Server()
    try:
        with pytest.raises(ValueError, match="checksum"):
            get_file("data.bin", origin=s.url, file_hash="0" * 64)
        assert not [f for f in os.listdir(home) if not f.endswith(".lock")]
    finally:
        s.close()


def test_interrupted_transfer_leaves_nothing_and_next_call_succeeds(home):
    s = Server(truncate_first=3)  # every retry of the first call is cut short
    try:
        with pytest.raises(OSError):
            get_file("data.bin", origin=s.url, file_hash=SHA)
        assert not [f for f in os.listdir(home) if not f.endswith(".lock")]
        assert open(get_file("data.bin", origin=s.url, file_hash=SHA), "rb").read() == PAYLOAD
    finally:
        s.close()


def test_server_down_gives_a_clear_offline_message(home):
    s = Server()
    url = s.url
    s.close()
    with pytest.raises(DatasetUnavailableError) as e:
        get_file("data.bin", origin=url, file_hash=SHA)
    msg = str(e.value)
    assert "data.bin" in msg and SHA in msg and "place a verified copy" in msg and str(home) in msg


def test_two_processes_download_once(home, tmp_path):
    s = Server()
    try:
        code = ("import sys; from tensorlet.utils.file_utils import get_file; "
                f"print(get_file('data.bin', origin={s.url!r}, file_hash={SHA!r}))")
        env = dict(os.environ)
        procs = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, env=env) for _ in range(2)]
        outs = [p.communicate(timeout=60)[0] for p in procs]
        assert all(p.returncode == 0 for p in procs)
        assert outs[0] == outs[1]
        assert s.requests == 1
    finally:
        s.close()


def test_mirror_folder_and_extract(home, tmp_path, monkeypatch):
    import tarfile

    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / "data.bin").write_bytes(PAYLOAD)
    monkeypatch.setenv("TENSORLET_DATASETS_MIRROR", str(mirror))
    assert open(get_file("data.bin", origin="http://127.0.0.1:9/none", file_hash=SHA), "rb").read() == PAYLOAD
    with tarfile.open(mirror / "a.tar.gz", "w:gz") as t:
        t.add(mirror / "data.bin", arcname="inner/data.bin")
    folder = get_file("a.tar.gz", origin=None, extract=True)
    assert os.path.exists(os.path.join(folder, "inner", "data.bin"))
