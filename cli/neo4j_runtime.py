"""Run a real Neo4j Community server from Maven Central jars, without Docker.

The jars are fetched once by Maven into a cache outside the repository; the server is
started directly with ``org.neo4j.server.CommunityEntryPoint`` (not the ``bin/neo4j``
launcher, which the jars do not ship), so the JVM gets the heap and the flags of the
shipped ``neo4j.conf`` on its own command line. ``eskg neo4j start|stop|status`` and the
test fixtures call :func:`start`, :func:`stop` and :func:`status`.
"""

from __future__ import annotations

import dataclasses
import fcntl
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from neo4j import GraphDatabase
from neo4j.exceptions import DriverError, Neo4jError

from eskg.config import Settings, get_settings
from eskg.errors import ConfigurationError, StoreUnavailableError

MAIN_CLASS = "org.neo4j.server.CommunityEntryPoint"
# The active server.jvm.additional lines of the neo4j.conf shipped with 5.26, in its
# order; the bin/neo4j launcher adds -Dfile.encoding=UTF-8 itself, so we do too.
# fmt: off
JVM_FLAGS = (
    "-XX:+UseG1GC", "-XX:-OmitStackTraceInFastThrow", "-XX:+AlwaysPreTouch",
    "-XX:+UnlockExperimentalVMOptions", "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC", "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true", "-Djdk.tls.ephemeralDHKeySize=2048",
    "-Djdk.tls.rejectClientInitiatedRenegotiation=true",
    "-XX:FlightRecorderOptions=stackdepth=256", "-XX:+UnlockDiagnosticVMOptions",
    "-XX:+DebugNonSafepoints", "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED", "-Dlog4j2.disable.jmx=true",
    "-Dlog4j.layout.jsonTemplate.maxStringLength=32768", "-Dfile.encoding=UTF-8",
)
# fmt: on
STOP_TIMEOUT = 60.0
# Servers started by this process, kept so that they can be reaped when they exit.
_CHILDREN: dict[int, subprocess.Popen[bytes]] = {}
_MARKER = ".complete"
_DEPENDENCY = (
    "<dependency><groupId>{}</groupId><artifactId>{}</artifactId><version>{}</version></dependency>"
)
_POM = """<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>eskg.local</groupId><artifactId>neo4j-runtime</artifactId><version>1</version>
  <packaging>pom</packaging>
  <dependencies>{}</dependencies>
</project>
"""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass(frozen=True)
class RuntimeConfig:
    """Where one local server lives and how it runs.

    ``jars_dir`` (shared, downloaded once) and ``home`` (conf, logs, pid file, data of
    one instance) are separate so that tests can run a second instance on the same jars.
    """

    home: Path
    jars_dir: Path
    version: str
    browser_version: str
    bolt_port: int
    http_port: int
    heap: str  # initial and maximum heap, in JVM syntax ("1g")
    pagecache: str
    start_timeout: float
    data_dir: Path | None = None  # default: home/data

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> RuntimeConfig:
        """The configuration of the default instance, from ``ESKG_NEO4J_*`` settings."""
        s = settings or get_settings()
        home = s.neo4j_home.expanduser()
        return cls(
            home=home,
            jars_dir=home / "jars",
            version=s.neo4j_version,
            browser_version=s.neo4j_browser_version,
            bolt_port=s.neo4j_bolt_port,
            http_port=s.neo4j_http_port,
            heap=s.neo4j_heap,
            pagecache=s.neo4j_pagecache,
            start_timeout=s.neo4j_start_timeout,
        )

    @classmethod
    def scratch(
        cls,
        home: Path,
        heap: str = "768m",
        pagecache: str = "128m",
        settings: Settings | None = None,
    ) -> RuntimeConfig:
        """A throwaway instance: its own home (and data) on free loopback ports, shared jars.

        Tests and benchmarks use it so they never touch the default instance.
        """
        return dataclasses.replace(
            cls.from_settings(settings),
            home=home,
            bolt_port=free_port(),
            http_port=free_port(),
            heap=heap,
            pagecache=pagecache,
        )

    @property
    def lib_dir(self) -> Path:
        return self.jars_dir / f"{self.version}-browser-{self.browser_version}" / "lib"

    @property
    def pid_file(self) -> Path:
        return self.home / "run" / "eskg-neo4j.pid"

    @property
    def bolt_uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/"


@dataclass(frozen=True)
class Status:
    """What :func:`status` found: ``running`` means the process is alive and Bolt answers."""

    running: bool
    pid: int | None
    bolt_uri: str
    http_url: str
    version: str | None = None
    edition: str | None = None


def _log(message: str) -> None:
    print(f"eskg neo4j: {message}", file=sys.stderr, flush=True)


def _tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise ConfigurationError(
            f"`{name}` was not found on PATH; the local Neo4j needs it. Install {package} "
            "(e.g. `apt-get install openjdk-17-jre-headless maven`), or point NEO4J_URI "
            "at an existing Neo4j (docker compose up, Desktop, Aura)."
        )
    return path


def ensure_jars(cfg: RuntimeConfig | None = None) -> Path:
    """Fetch the server jars into the cache unless already complete; return the lib folder."""
    cfg = cfg or RuntimeConfig.from_settings()
    lib, root = cfg.lib_dir, cfg.lib_dir.parent
    if (root / _MARKER).is_file():
        return lib
    root.mkdir(parents=True, exist_ok=True)
    # Two processes (CLI and tests) may arrive together: one downloads, the other waits.
    with open(root / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (root / _MARKER).is_file():
            return lib
        _tool("java", "a Java 17 or 21 runtime")
        mvn = _tool("mvn", "Apache Maven")
        shutil.rmtree(lib, ignore_errors=True)  # a previous download was interrupted
        deps = [("org.neo4j", "neo4j", cfg.version), ("org.neo4j.app", "neo4j-server", cfg.version)]
        deps.append(("org.neo4j.client", "neo4j-browser", cfg.browser_version))
        xml = "".join(f"\n    {_DEPENDENCY.format(*dep)}" for dep in deps)
        (root / "pom.xml").write_text(_POM.format(xml + "\n  "), encoding="utf-8")
        _log(f"fetching Neo4j {cfg.version} jars from Maven Central (first run only, ~130 MB)...")
        started = time.monotonic()
        cmd = [mvn, "-B", "-q", "-f", str(root / "pom.xml"), "dependency:copy-dependencies"]
        cmd += ["-DincludeScope=runtime", f"-DoutputDirectory={lib}"]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if done.returncode != 0 or not any(lib.glob("*.jar")):
            output = re.sub(r"\x1b\[[0-9;]*m", "", done.stdout + done.stderr)  # colour codes
            tail = "\n".join(output.splitlines()[-30:])
            raise ConfigurationError(
                f"Maven could not fetch Neo4j {cfg.version} (exit {done.returncode}); check "
                f"network access to Maven Central and the version. Last lines:\n{tail}"
            )
        count = len(list(lib.glob("*.jar")))
        (root / _MARKER).write_text(f"{count} jars\n", encoding="utf-8")
        _log(f"{count} jars in {lib} ({time.monotonic() - started:.0f} s)")
    return lib


def _dirs(cfg: RuntimeConfig) -> dict[str, Path]:
    data = cfg.data_dir or cfg.home / "data"
    return {"data": data, **{d: cfg.home / d for d in ("logs", "plugins", "run", "import")}}


def _conf(cfg: RuntimeConfig) -> str:
    dirs = _dirs(cfg)
    lines = [
        "# Written by cli.neo4j_runtime at every start; edit the ESKG_NEO4J_* settings instead.",
        "server.config.strict_validation.enabled=true",
        "server.default_listen_address=127.0.0.1",
        f"server.bolt.listen_address=127.0.0.1:{cfg.bolt_port}",
        f"server.http.listen_address=127.0.0.1:{cfg.http_port}",
        # Advertised ports default to 7687/7474 whatever the listen ports, and the
        # Browser connects to the advertised Bolt address.
        f"server.bolt.advertised_address=127.0.0.1:{cfg.bolt_port}",
        f"server.http.advertised_address=127.0.0.1:{cfg.http_port}",
        "server.https.enabled=false",
        "dbms.security.auth_enabled=false",
        "dbms.usage_report.enabled=false",
        f"server.memory.heap.initial_size={cfg.heap}",
        f"server.memory.heap.max_size={cfg.heap}",
        f"server.memory.pagecache.size={cfg.pagecache}",
        *(f"server.directories.{name}={path}" for name, path in dirs.items()),
        *(f"server.jvm.additional={flag}" for flag in JVM_FLAGS),
    ]
    return "\n".join(lines) + "\n"


def java_command(cfg: RuntimeConfig, java: str = "java") -> list[str]:
    """The JVM command line that runs the server of ``cfg``."""
    heap = f"-Xms{cfg.heap}", f"-Xmx{cfg.heap}"
    dirs = f"--home-dir={cfg.home}", f"--config-dir={cfg.home / 'conf'}"
    return [java, *heap, *JVM_FLAGS, "-cp", f"{cfg.lib_dir}/*", MAIN_CLASS, *dirs]


def _alive(pid: int) -> bool:
    child = _CHILDREN.get(pid)
    if child is not None:  # poll() reaps our own exited child, which would look alive
        return child.poll() is None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    try:  # an exited process not yet reaped by its parent still answers kill(pid, 0)
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def _our_pid(cfg: RuntimeConfig) -> int | None:
    """The pid in our pid file if that process is alive and is this instance's server."""
    try:
        pid = int(cfg.pid_file.read_text().strip())
    except (OSError, ValueError):
        return None
    if not _alive(pid):
        return None
    try:  # guard against a recycled pid
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return pid
    return pid if f"--home-dir={cfg.home}".encode() in cmdline else None


def _query(uri: str, cypher: str) -> list[list[object]] | None:
    """Rows of ``cypher`` on ``uri``, or None if Bolt does not answer (yet)."""
    try:
        driver = GraphDatabase.driver(uri, auth=None, connection_timeout=2.0)
        with driver, driver.session() as session:  # auto-commit: no retries, fails at once
            return [list(r.values()) for r in session.run(cypher)]
    except (DriverError, Neo4jError, OSError):
        return None


def _port_taken(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


def _log_tail(cfg: RuntimeConfig, lines: int = 30) -> str:
    parts = []
    for name in ("neo4j.log", "console.log"):
        path = cfg.home / "logs" / name
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
            parts.append(f"--- {path} (last {lines} lines)\n" + "\n".join(text))
    return "\n".join(parts) or "(no log written)"


_COMPONENTS = (
    "CALL dbms.components() YIELD name, versions, edition "
    "WHERE name = 'Neo4j Kernel' RETURN versions[0], edition"
)


def status(cfg: RuntimeConfig | None = None) -> Status:
    """Whether the instance of ``cfg`` runs, with its pid and Neo4j version."""
    cfg = cfg or RuntimeConfig.from_settings()
    pid = _our_pid(cfg)
    rows = _query(cfg.bolt_uri, _COMPONENTS) if pid is not None else None
    version, edition = (str(rows[0][0]), str(rows[0][1])) if rows else (None, None)
    return Status(rows is not None, pid, cfg.bolt_uri, cfg.http_url, version, edition)


def _wait_for_bolt(cfg: RuntimeConfig, pid: int, started: float) -> Status:
    while time.monotonic() - started < cfg.start_timeout:
        if not _alive(pid):
            cfg.pid_file.unlink(missing_ok=True)
            raise StoreUnavailableError(
                f"Neo4j (pid {pid}) exited during start-up.\n{_log_tail(cfg)}"
            )
        if _query(cfg.bolt_uri, "RETURN 1") is not None:
            found = status(cfg)
            took = time.monotonic() - started
            _log(f"Neo4j {found.version} ready in {took:.1f} s (pid {pid}): {cfg.bolt_uri}")
            return found
        time.sleep(0.5)
    stop(cfg)  # do not leave a half-started JVM behind
    raise StoreUnavailableError(
        f"Neo4j did not answer on {cfg.bolt_uri} within {cfg.start_timeout:.0f} s "
        f"(ESKG_NEO4J_START_TIMEOUT); it was stopped.\n{_log_tail(cfg)}"
    )


def start(cfg: RuntimeConfig | None = None) -> Status:
    """Start the server of ``cfg`` unless it already runs; return once Bolt answers."""
    cfg = cfg or RuntimeConfig.from_settings()
    started = time.monotonic()
    pid = _our_pid(cfg)
    if pid is not None:  # already ours: running, or still starting
        return _wait_for_bolt(cfg, pid, started)
    cfg.pid_file.unlink(missing_ok=True)
    for port, setting in ((cfg.bolt_port, "BOLT"), (cfg.http_port, "HTTP")):
        if _port_taken(port):
            raise ConfigurationError(
                f"port {port} on 127.0.0.1 is already in use by another program, so Neo4j "
                f"cannot listen there. Stop that program, or choose another port with "
                f"ESKG_NEO4J_{setting}_PORT (or point NEO4J_URI at the Neo4j already there)."
            )
    ensure_jars(cfg)
    java = _tool("java", "a Java 17 or 21 runtime")
    for path in (cfg.home / "conf", *_dirs(cfg).values()):
        path.mkdir(parents=True, exist_ok=True)
    (cfg.home / "conf" / "neo4j.conf").write_text(_conf(cfg), encoding="utf-8")
    with open(cfg.home / "logs" / "console.log", "wb") as console:
        proc = subprocess.Popen(
            java_command(cfg, java),
            stdin=subprocess.DEVNULL,
            stdout=console,
            stderr=subprocess.STDOUT,
            cwd=cfg.home,
            start_new_session=True,  # survives the CLI and is not hit by its Ctrl-C
        )
    _CHILDREN[proc.pid] = proc
    cfg.pid_file.write_text(f"{proc.pid}\n", encoding="utf-8")
    _log(f"starting Neo4j {cfg.version} (pid {proc.pid}, home {cfg.home})...")
    return _wait_for_bolt(cfg, proc.pid, started)


def stop(cfg: RuntimeConfig | None = None) -> None:
    """Stop the server of ``cfg`` (SIGTERM, then SIGKILL after 60 s); a no-op if not running."""
    cfg = cfg or RuntimeConfig.from_settings()
    pid = _our_pid(cfg)
    if pid is not None:
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        if _alive(pid):
            _log(f"Neo4j (pid {pid}) ignored SIGTERM for {STOP_TIMEOUT:.0f} s; killing it")
            os.kill(pid, signal.SIGKILL)
            deadline = time.monotonic() + 10
            while _alive(pid) and time.monotonic() < deadline:
                time.sleep(0.1)
    cfg.pid_file.unlink(missing_ok=True)
