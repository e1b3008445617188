"""Community catalogs: pack a folder, publish it over HTTP, install and update it, and refuse bad archives.

Every download goes to a real HTTP server on 127.0.0.1 (the standard
library's, in a fixture); nothing here leaves the machine.
"""

from __future__ import annotations

import hashlib
import http.server
import io
import os
import socket
import stat
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from filmguide.catalogs import archive, install
from filmguide.catalogs.archive import CatalogError, Limits
from filmguide.catalogs.fetch import check_url, download
from filmguide.catalogs.publish import pack
from filmguide.errors import InvalidDossier

from .conftest import write_dossier

# --- a real server on loopback ---------------------------------------------------------------------


class Server:
    """Serves ``files`` (path to bytes); ``hang`` paths never answer until the server stops."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.status: dict[str, int] = {}
        self.hang: set[str] = set()
        self.requests: list[str] = []
        self.stop = threading.Event()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.requests.append(self.path)
                if self.path in outer.hang:
                    outer.stop.wait(30)
                    return
                code = outer.status.get(self.path, 200 if self.path in outer.files else 404)
                body = outer.files.get(self.path, b"") if code == 200 else b"no"
                self.send_response(code)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def publish(self, name: str, data: bytes, checksum: bytes | None = None) -> str:
        self.files[f"/{name}"] = data
        digest = hashlib.sha256(data).hexdigest().encode()
        self.files[f"/{name}.sha256"] = checksum if checksum is not None else digest + f"  {name}\n".encode()
        return f"{self.base}/{name}"

    def close(self) -> None:
        self.stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server() -> Iterator[Server]:
    s = Server()
    yield s
    s.close()


@pytest.fixture(autouse=True)
def short_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    # A server that never answers must fail the test in a second, not in twenty.
    monkeypatch.setenv("FILMGUIDE_NETWORK_TIMEOUT_SECONDS", "1")


def folder_of(tmp_path: Path, name: str, *films: str) -> Path:
    folder = tmp_path / name
    folder.mkdir(parents=True, exist_ok=True)
    for film in films:
        write_dossier(folder, film)
    return folder


def packed(tmp_path: Path, name: str, *films: str) -> bytes:
    folder = folder_of(tmp_path / "src", name, *films) if films else tmp_path / "src" / name
    out = tmp_path / "out" / f"{name}.zip"
    out.parent.mkdir(parents=True, exist_ok=True)
    pack(folder, out)
    return out.read_bytes()


def zip_of(entries: dict[str, bytes], index: dict | None = None, **info_attrs: int) -> bytes:
    import json

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        films = index if index is not None else {"format": 1, "name": "evil", "made": "2026", "count": 0, "films": []}
        zf.writestr("index.json", json.dumps(films))
        for name, data in entries.items():
            info = zipfile.ZipInfo(name)
            for k, v in info_attrs.items():
                setattr(info, k, v)
            zf.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


# --- pack ------------------------------------------------------------------------------------------


def test_pack_writes_the_archive_its_index_and_checksum(tmp_path) -> None:
    folder = folder_of(tmp_path, "noir", "the-big-sleep-1946", "laura-1944")
    out = tmp_path / "noir.zip"
    result = pack(folder, out)
    assert result.count == 2
    assert (tmp_path / "noir.zip.sha256").read_text() == f"{hashlib.sha256(out.read_bytes()).hexdigest()}  noir.zip\n"
    p = archive.read(out.read_bytes())
    assert p.name == "noir"
    assert sorted(p.files) == ["laura-1944.yaml", "the-big-sleep-1946.yaml"]
    assert [(f.id, f.year) for f in p.films] == [("laura-1944", 1944), ("the-big-sleep-1946", 1946)]


def test_pack_is_deterministic(tmp_path) -> None:
    folder = folder_of(tmp_path, "noir", "the-big-sleep-1946", "laura-1944")
    pack(folder, tmp_path / "a.zip")
    os.utime(tmp_path / "a.zip", (0, 0))
    pack(folder, tmp_path / "b.zip")
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()


def test_pack_refuses_an_invalid_or_leaky_folder_and_writes_nothing(tmp_path) -> None:
    folder = folder_of(tmp_path, "noir", "laura-1944")
    (folder / "broken-2001.yaml").write_text("schema: 1\nid: broken-2001\n", encoding="utf-8")
    write_dossier(folder, "leaky-2002", secrets="[rosebud]", premise="It was rosebud all along.")
    with pytest.raises(InvalidDossier) as err:
        pack(folder, tmp_path / "noir.zip")
    files = {Path(p.file).name for p in err.value.problems}
    assert files == {"broken-2001.yaml", "leaky-2002.yaml"}
    assert not (tmp_path / "noir.zip").exists()
    assert not (tmp_path / "noir.zip.sha256").exists()


# --- install and update ----------------------------------------------------------------------------


def test_install_then_update_reports_added_changed_removed(tmp_path, server, isolated) -> None:
    url = server.publish("noir.zip", packed(tmp_path / "v1", "noir", "laura-1944", "the-big-sleep-1946"))
    change = install.install(install.fetch_pack(url), url)
    assert (change.added, change.changed, change.removed) == (("laura-1944", "the-big-sleep-1946"), (), ())
    folder = isolated / "data" / "catalogs" / "noir"
    assert sorted(p.name for p in folder.glob("*.yaml")) == ["laura-1944.yaml", "the-big-sleep-1946.yaml"]

    v2 = folder_of(tmp_path / "v2" / "src", "noir", "laura-1944", "out-of-the-past-1947")
    write_dossier(v2, "laura-1944", runtime=88)
    pack(v2, tmp_path / "v2" / "out.zip")
    server.publish("noir.zip", (tmp_path / "v2" / "out.zip").read_bytes())
    change = install.install(install.fetch_pack(url), url, expect="noir")
    assert change.added == ("out-of-the-past-1947",)
    assert change.changed == ("laura-1944",)
    assert change.removed == ("the-big-sleep-1946",)
    assert sorted(p.name for p in folder.glob("*.yaml")) == ["laura-1944.yaml", "out-of-the-past-1947.yaml"]
    # The old version's folder is gone; only the link and the live folder remain.
    assert len([p for p in folder.parent.iterdir() if p.is_dir() and not p.is_symlink()]) == 1


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def installed_v1(tmp_path, server, isolated) -> tuple[str, dict[str, bytes], Path]:
    url = server.publish("noir.zip", packed(tmp_path / "v1", "noir", "laura-1944"))
    install.install(install.fetch_pack(url), url)
    root = isolated / "data" / "catalogs"
    return url, snapshot(root), root


def test_a_wrong_checksum_changes_nothing(tmp_path, server, installed_v1) -> None:
    url, before, root = installed_v1
    server.publish("noir.zip", packed(tmp_path / "v2", "noir", "laura-1944", "gilda-1946"), checksum=b"0" * 64)
    with pytest.raises(CatalogError, match=r"does not match its \.sha256"):
        install.fetch_pack(url)
    assert snapshot(root) == before


def test_a_tampered_archive_changes_nothing(tmp_path, server, installed_v1) -> None:
    url, before, root = installed_v1
    good = packed(tmp_path / "v2", "noir", "laura-1944", "gilda-1946")
    digest = hashlib.sha256(good).hexdigest().encode()
    middle = len(good) // 2
    tampered = good[:middle] + bytes([good[middle] ^ 0x20]) + good[middle + 1 :]
    assert tampered != good
    server.publish("noir.zip", tampered, checksum=digest)
    with pytest.raises(CatalogError, match="does not match"):
        install.fetch_pack(url)
    assert snapshot(root) == before


def test_a_missing_checksum_file_is_an_http_error(tmp_path, server, installed_v1) -> None:
    url, before, root = installed_v1
    del server.files["/noir.zip.sha256"]
    with pytest.raises(CatalogError, match="HTTP 404"):
        install.fetch_pack(url)
    assert snapshot(root) == before


@pytest.mark.parametrize(
    "entry",
    ["../escape.yaml", "/etc/evil.yaml", "films/../../escape.yaml", "..\\escape.yaml", "C:/evil.yaml"],
)
def test_a_path_escape_is_refused(entry) -> None:
    with pytest.raises(CatalogError, match="outside the catalog"):
        archive.read(zip_of({entry: b"schema: 1\n"}))


def test_a_symlink_entry_is_refused() -> None:
    data = zip_of({"films/link.yaml": b"/etc/passwd"}, external_attr=(stat.S_IFLNK | 0o777) << 16, create_system=3)
    with pytest.raises(CatalogError, match="link or a special file"):
        archive.read(data)


def test_a_zip_bomb_is_refused_before_it_is_unpacked() -> None:
    bomb = zip_of({"films/bomb-2000.yaml": b"a" * (8 * 1024 * 1024)})
    assert len(bomb) < 64 * 1024
    with pytest.raises(CatalogError, match=r"larger than|expands"):
        archive.read(bomb)
    many = zip_of({f"films/f{i}.yaml": b"x" for i in range(30)})
    with pytest.raises(CatalogError, match="more than 20 entries"):
        archive.read(many, Limits(files=20))
    with pytest.raises(CatalogError, match="unpacks to more than"):
        archive.read(
            zip_of({f"films/f{i}.yaml": os.urandom(600 * 1024) for i in range(3)}), Limits(total_bytes=1 << 20)
        )


def test_only_yaml_at_the_top_or_under_films_is_taken() -> None:
    index = {"format": 1, "name": "mixed", "made": "2026", "count": 0, "films": []}
    data = zip_of(
        {
            "top-2000.yaml": b"a",
            "films/in-2000.yaml": b"b",
            "deep/x/y-2000.yaml": b"c",
            "run.sh": b"rm",
            ".h.yaml": b"d",
        },
        index,
    )
    assert sorted(archive.read(data).files) == ["in-2000.yaml", "top-2000.yaml"]


@pytest.mark.parametrize(
    ("index", "message"),
    [
        ({"format": 2, "name": "x", "made": "2026", "count": 0, "films": []}, "format 2"),
        ({"name": "x", "made": "2026", "count": 0, "films": []}, "no format version"),
        ({"format": 1, "name": "../x", "made": "2026", "count": 0, "films": []}, "name"),
        ({"format": 1, "name": "x", "made": "2026", "count": 3, "films": []}, "count"),
    ],
)
def test_a_bad_index_is_refused(index, message) -> None:
    with pytest.raises(CatalogError, match=message):
        archive.read(zip_of({}, index))


def test_not_a_zip_is_one_clear_error() -> None:
    with pytest.raises(CatalogError, match="not a zip archive"):
        archive.read(b"<html>moved</html>")


def test_the_server_down_is_one_clear_error(server) -> None:
    url = f"{server.base}/noir.zip"
    server.close()
    with pytest.raises(CatalogError, match="connection was refused"):
        download(url, 1 << 20, timeout=1)


def test_a_slow_server_times_out(server) -> None:
    server.hang.add("/noir.zip")
    with pytest.raises(CatalogError, match="timed out"):
        download(f"{server.base}/noir.zip", 1 << 20, timeout=0.5)


def test_an_http_error_status_is_named(server) -> None:
    server.status["/noir.zip"] = 503
    with pytest.raises(CatalogError, match="HTTP 503"):
        download(f"{server.base}/noir.zip", 1 << 20, timeout=1)


def test_a_download_over_the_limit_is_refused(server) -> None:
    server.files["/big.zip"] = b"x" * 300_000
    with pytest.raises(CatalogError, match="larger than"):
        download(f"{server.base}/big.zip", 100_000, timeout=1)


def test_dns_failure_is_named(monkeypatch) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise socket.gaierror(socket.EAI_NONAME, "unknown")

    monkeypatch.setattr(socket, "getaddrinfo", fail)
    with pytest.raises(CatalogError, match="could not be looked up"):
        download("https://catalog.invalid/noir.zip", 1 << 20, timeout=1)


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://example.org/c.zip", True),
        ("http://127.0.0.1:8000/c.zip", True),
        ("http://localhost/c.zip", True),
        ("http://[::1]/c.zip", True),
        ("file:///tmp/c.zip", True),
        ("http://example.org/c.zip", False),
        ("ftp://example.org/c.zip", False),
        ("example.org/c.zip", False),
    ],
)
def test_https_only_except_loopback_and_file(url, ok) -> None:
    if ok:
        assert check_url(url) == url
    else:
        with pytest.raises(CatalogError):
            check_url(url)


def test_a_file_url_installs_too(tmp_path, isolated) -> None:
    data = packed(tmp_path, "local", "laura-1944")
    path = tmp_path / "out" / "local.zip"
    change = install.install(install.fetch_pack(path.as_uri()), path.as_uri())
    assert change.added == ("laura-1944",)
    assert data == path.read_bytes()


# --- the commands ----------------------------------------------------------------------------------


def test_pack_command_writes_the_archive_and_says_so(run, tmp_path) -> None:
    folder = folder_of(tmp_path, "noir", "laura-1944")
    r = run("pack", str(folder), "--output", str(tmp_path / "noir.zip"))
    assert r.code == 0, r
    assert r.out == ""
    assert "packed 1 film into" in r.err
    assert (tmp_path / "noir.zip.sha256").exists()


def test_pack_command_refuses_a_leaky_folder_with_exit_6(run, tmp_path) -> None:
    folder = folder_of(tmp_path, "noir", "laura-1944")
    write_dossier(folder, "leaky-2002", secrets="[rosebud]", premise="It was rosebud all along.")
    r = run("pack", str(folder), "--output", str(tmp_path / "noir.zip"))
    assert r.code == 6
    assert "leaky-2002.yaml" in r.err
    assert not (tmp_path / "noir.zip").exists()


def test_update_from_installs_records_and_lists_the_catalog(run, tmp_path, server, isolated) -> None:
    url = server.publish("noir.zip", packed(tmp_path, "noir", "laura-1944", "the-big-sleep-1946"))
    r = run("update", "--from", url)
    assert r.code == 0, r
    assert r.out == "noir: 2 films (2 added, 0 changed, 0 removed)\n  + laura-1944\n  + the-big-sleep-1946\n"
    assert "added catalog 'noir' to config.toml" in r.err
    config = (isolated / "config" / "config.toml").read_text()
    assert f'[[catalogs]]\nname = "noir"\nurl = "{url}"\n' in config

    listed = run("list", "--source", "noir")
    assert [line.split("\t")[0] for line in listed.out.splitlines()] == ["laura-1944", "the-big-sleep-1946"]
    assert "all-of-us-strangers-2023" in run("list", "--source", "built-in").out
    assert run("list", "--source", "nosuch").code == 2
    paths = run("paths").out
    assert "catalog noir, updated today\t" in paths
    origins = [line.split("\t")[0] for line in paths.splitlines()]
    assert origins.index("catalog noir, updated today") < origins.index("built-in")

    # A second update, from the config: nothing changed; the file is not written again.
    again = run("update")
    assert again.code == 0, again
    assert again.out == "noir: 2 films (0 added, 0 changed, 0 removed)\n"
    assert (isolated / "config" / "config.toml").read_text() == config


def test_update_failure_keeps_the_old_catalog_and_exits_7(run, tmp_path, server, isolated) -> None:
    url = server.publish("noir.zip", packed(tmp_path / "v1", "noir", "laura-1944"))
    assert run("update", "--from", url).code == 0
    server.publish("noir.zip", packed(tmp_path / "v2", "noir", "gilda-1946"), checksum=b"f" * 64)
    r = run("update")
    assert r.code == 7
    assert r.err == "filmguide: noir: the archive does not match its .sha256 checksum; nothing was changed\n"
    assert run("show", "laura").code == 0


def test_update_with_nothing_to_update_says_how_to_add_one(run) -> None:
    r = run("update")
    assert r.code == 7
    assert "filmguide update --from URL" in r.err


def test_only_update_touches_the_network_and_old_catalogs_get_a_reminder(run, tmp_path, server, isolated) -> None:
    url = server.publish("noir.zip", packed(tmp_path, "noir", "laura-1944"))
    assert run("update", "--from", url).code == 0
    before = len(server.requests)
    for args in (["list"], ["show", "laura"], ["search", "somebody"], ["paths"]):
        assert run(*args).code == 0
    assert len(server.requests) == before

    config = isolated / "config" / "config.toml"
    config.write_text("auto_update_days = 3\n" + config.read_text())
    assert "catalogs older" not in run("list").err
    source = isolated / "data" / "catalogs" / "noir" / "source.json"
    source.write_text('{"url": "x", "installed": "2000-01-01T00:00:00Z"}')
    r = run("list")
    assert r.code == 0
    assert r.err.startswith("filmguide: catalogs older than auto_update_days: noir (")
    assert len(server.requests) == before


def test_update_at_a_terminal_shows_a_progress_bar(tmp_path, server, isolated) -> None:
    import sys

    import pexpect

    url = server.publish("noir.zip", packed(tmp_path, "noir", "laura-1944"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("FILMGUIDE_")}
    env.update(FILMGUIDE_HOME=str(isolated), TERM="xterm-256color", FILMGUIDE_PAGER="")
    child = pexpect.spawn(
        sys.executable, ["-m", "filmguide", "update", "--from", url], env=env, timeout=30, encoding="utf-8"
    )
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    assert "updating http://127.0.0.1" in child.before
    assert "noir: 1 film (1 added, 0 changed, 0 removed)" in child.before
