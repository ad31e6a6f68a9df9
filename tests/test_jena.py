"""Independent validation: Apache Jena's ``riot --validate`` on our dumps and ontology.

Jena (``org.apache.jena:jena-cmds``) is fetched once from Maven Central into
``~/.cache/eskg/jena`` with ``mvn dependency:copy-dependencies``, as
``cli/neo4j_runtime.py`` does for Neo4j. The tests skip only when ``java`` or ``mvn``
is missing; a failed download or a failed validation is a failure.
"""

from __future__ import annotations

import fcntl
import shutil
import subprocess
from pathlib import Path

import pytest

from eskg.config import Settings
from eskg.export import export_embedded, export_neo4j
from eskg.store.embedded import EmbeddedStore
from eskg.store.neo4j import Neo4jStore

JENA_VERSION = "5.2.0"
SLF4J_VERSION = "2.0.16"  # riot reports problems through SLF4J: without a binding, silently
CACHE = Path.home() / ".cache" / "eskg" / "jena" / JENA_VERSION
MARKER = ".complete"
POM = f"""<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>eskg.local</groupId><artifactId>jena-riot</artifactId><version>1</version>
  <packaging>pom</packaging>
  <dependencies><dependency><groupId>org.apache.jena</groupId>
    <artifactId>jena-cmds</artifactId><version>{JENA_VERSION}</version></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-simple</artifactId>
    <version>{SLF4J_VERSION}</version></dependency></dependencies>
</project>
"""


def ensure_jena(root: Path = CACHE) -> Path:
    """The folder of Jena's jars, fetched once (a lock keeps two runs from racing)."""
    lib = root / "lib"
    if (root / MARKER).is_file():
        return lib
    mvn = shutil.which("mvn")
    assert mvn is not None
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (root / MARKER).is_file():
            return lib
        shutil.rmtree(lib, ignore_errors=True)
        (root / "pom.xml").write_text(POM, encoding="utf-8")
        cmd = [
            mvn,
            "-B",
            "-q",
            "-f",
            str(root / "pom.xml"),
            "dependency:copy-dependencies",
            "-DincludeScope=runtime",
            f"-DoutputDirectory={lib}",
        ]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=900)
        if done.returncode != 0 or not any(lib.glob("*.jar")):
            tail = "\n".join((done.stdout + done.stderr).splitlines()[-30:])
            raise AssertionError(f"Maven could not fetch jena-cmds {JENA_VERSION}:\n{tail}")
        (root / MARKER).write_text(f"{len(list(lib.glob('*.jar')))} jars\n", encoding="utf-8")
    return lib


def riot_validate(path: Path, syntax: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``riot --validate`` on one file (``syntax`` forces the language)."""
    lib = ensure_jena()
    cmd = ["java", "-cp", f"{lib}/*", "riotcmd.riot", "--validate", "--strict"]
    if syntax:
        cmd.append(f"--syntax={syntax}")
    cmd.append(str(path))
    return subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=600)


@pytest.fixture(scope="module")
def jena() -> Path:
    missing = [tool for tool in ("java", "mvn") if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"Apache Jena needs {' and '.join(missing)} on PATH (not found)")
    return ensure_jena()


def test_riot_reports_bad_rdf(jena: Path, tmp_path: Path) -> None:
    """The check is real: an ill-typed literal and a bad language tag are reported."""
    bad = tmp_path / "bad.nq"
    bad.write_text(
        "<http://a.example/s> <http://a.example/p> "
        '"x"^^<http://www.w3.org/2001/XMLSchema#integer> .\n',
        encoding="utf-8",
    )
    done = riot_validate(bad)
    assert "WARN" in done.stderr or "ERROR" in done.stderr or done.returncode != 0, done.stderr
    assert "integer" in done.stderr or "x" in done.stderr


def assert_valid(path: Path, syntax: str | None = None) -> None:
    done = riot_validate(path, syntax)
    out = (done.stdout + done.stderr).strip()
    assert done.returncode == 0, f"riot --validate {path.name} failed:\n{out}"
    # riot reports warnings (bad lexical forms, bad language tags) without failing
    assert "WARN" not in out and "ERROR" not in out, f"riot on {path.name}:\n{out}"


@pytest.mark.parametrize("name", ["eskg.ttl", "shapes.ttl"])
def test_ontology_and_shapes_validate(jena: Path, settings: Settings, name: str) -> None:
    assert_valid(settings.ontology_dir / name)


@pytest.mark.parametrize("fmt", ["nq", "ttl", "trig", "nt", "jsonld"])
def test_embedded_dumps_validate(
    jena: Path, embedded: EmbeddedStore, settings: Settings, tmp_path: Path, fmt: str
) -> None:
    path = tmp_path / f"eskg.{fmt}"
    path.write_bytes(export_embedded(embedded, settings).serialize(fmt))
    assert_valid(path)


@pytest.mark.neo4j
@pytest.mark.parametrize("fmt", ["nq", "ttl"])
def test_neo4j_dumps_validate(
    jena: Path, loaded_neo4j: Neo4jStore, settings: Settings, tmp_path: Path, fmt: str
) -> None:
    path = tmp_path / f"eskg-neo4j.{fmt}"
    path.write_bytes(export_neo4j(loaded_neo4j, settings).serialize(fmt))
    assert_valid(path)
