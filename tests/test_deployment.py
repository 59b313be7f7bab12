"""docker-compose.yml is well formed (no Docker engine here to run `docker compose config`): two bot
instances in shared mode with PostgreSQL, Redis and a TLS proxy, every secret from the environment."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]


def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_two_bot_instances_in_shared_mode() -> None:
    services = compose()["services"]
    bots = [name for name, service in services.items() if service.get("command") == ["run", "--webhook"]]
    assert len(bots) == 2
    for name in bots:
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgresql+asyncpg://")
        assert env["REDIS_URL"].startswith("redis://")
        assert set(services[name]["depends_on"]) == {"postgres", "redis"}
        assert "/healthz" in " ".join(services[name]["healthcheck"]["test"])
    # Each instance keeps its own heartbeat file: separate state volumes.
    assert len({services[name]["volumes"][0] for name in bots}) == 2


def test_secrets_come_from_the_environment_only() -> None:
    text = (ROOT / "docker-compose.yml").read_text()
    env = compose()["services"]["bot-1"]["environment"]
    for variable in ("BOT_TOKEN", "WEBHOOK_SECRET"):
        assert env[variable].startswith("${" + variable + ":?")
    assert "${POSTGRES_PASSWORD:?" in text


def test_the_proxy_terminates_tls_and_balances_both_instances() -> None:
    services = compose()["services"]
    assert services["proxy"]["ports"] == ["443:443"]
    nginx = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "server bot-1:8080" in nginx and "server bot-2:8080" in nginx and "listen 443 ssl" in nginx
    volumes = " ".join(services["proxy"]["volumes"])
    assert "./deploy/nginx.conf" in volumes and "./deploy/tls" in volumes


def test_every_bot_variable_is_a_setting() -> None:
    from bot.config import Settings

    env = compose()["services"]["bot-1"]["environment"]
    assert {name.lower() for name in env} <= set(Settings.model_fields)


def test_redis_keeps_half_filled_forms_across_its_restart() -> None:
    redis = compose()["services"]["redis"]
    assert (
        "--appendonly" in redis["command"]
        and redis["command"][redis["command"].index("--appendonly") + 1] == "yes"
    )
    assert any(volume.endswith(":/data") for volume in redis["volumes"])
