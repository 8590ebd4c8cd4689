"""docker-compose.yml cannot run here (no Docker engine), so check that it parses and is consistent."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_postgres_16_on_loopback_with_healthcheck_and_volume() -> None:
    compose = _compose()
    db = compose["services"]["db"]
    assert db["image"].startswith("postgres:16")
    assert all(port.startswith("127.0.0.1:") for port in db["ports"])
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    volume = db["volumes"][0].split(":")[0]
    assert volume in compose["volumes"]


def test_passwords_come_from_env_file_not_the_repo() -> None:
    compose = _compose()
    assert compose["services"]["db"]["environment"]["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD")
    example = (ROOT / ".env.example").read_text()
    assert "POSTGRES_PASSWORD=" in example
    assert ".env" in (ROOT / ".gitignore").read_text().split()


def test_etl_service_migrates_and_loads_seeds_after_db_is_healthy() -> None:
    etl = _compose()["services"]["etl"]
    assert etl["depends_on"]["db"]["condition"] == "service_healthy"
    assert "armsledger db migrate" in etl["command"] and "armsledger etl run data/seeds" in etl["command"]
    assert etl["environment"]["DATABASE_URL"].startswith("postgresql://armsledger:${POSTGRES_PASSWORD}@db:5432/")


def test_metabase_is_optional_behind_the_bi_profile() -> None:
    services = _compose()["services"]
    assert services["metabase"]["profiles"] == ["bi"]
    assert all("profiles" not in services[name] for name in ("db", "etl"))
