"""``/metrics`` for Prometheus: requests by endpoint and status, latency, the health readings as
gauges; served only to the configured addresses; one registry an app, so many apps live in one
process."""

from __future__ import annotations

from datetime import timedelta

import pytest
from prometheus_client.parser import text_string_to_metric_families

from core import metrics
from core.extensions import db
from core.models import utcnow
from core.outbox import OutboxMessage


def _families(text: str) -> dict:
    return {family.name: family for family in text_string_to_metric_families(text)}


def test_metrics_are_refused_to_an_address_not_configured(client):
    response = client.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert response.status_code == 404
    assert "flask_http" not in response.get_data(as_text=True)


def test_metrics_are_served_to_loopback_with_requests_latency_and_health_gauges(client):
    client.get("/healthz")
    client.get("/no-such-page")
    response = client.get("/metrics", environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    families = _families(response.get_data(as_text=True))
    for name in ("flask_http_request_duration_seconds", "flask_http_request",
                 "ejournal_outbox_depth", "ejournal_outbox_failed_24h",
                 "ejournal_migrations_pending", "ejournal_unexpected_errors",
                 "ejournal_check_ok"):
        assert name in families, name
    counts = {(s.labels["endpoint"], s.labels["status"]): s.value
              for s in families["flask_http_request_duration_seconds"].samples
              if s.name.endswith("_count")}
    assert counts[("core.healthz", "200")] >= 1
    assert counts[("None", "404")] >= 1
    ok = {s.labels["check"]: s.value for s in families["ejournal_check_ok"].samples}
    assert ok["database"] == 1.0
    assert ok["worker_seen_age_seconds"] == 0.0  # no worker in the tests: no age either
    assert "ejournal_worker_seen_age_seconds" not in families


def test_the_scrape_itself_is_not_counted(client):
    for _ in range(3):
        body = client.get("/metrics", environ_base={"REMOTE_ADDR": "127.0.0.1"}).get_data(
            as_text=True)
    assert 'endpoint="metrics"' not in body


def test_the_outbox_gauges_count_what_waits_and_what_failed_in_the_last_day(app, client):
    now = utcnow()
    rows = [("pending", now), ("sending", now), ("failed", now - timedelta(hours=2)),
            ("failed", now - timedelta(days=3)), ("sent", now)]
    with app.app_context():
        for n, (status, when) in enumerate(rows):
            db.session.add(OutboxMessage(channel="email", recipient=f"m{n}@example.org",
                                         idempotency_key=f"metrics-{n}", status=status,
                                         not_before=when))
        db.session.commit()
    text = client.get("/metrics", environ_base={"REMOTE_ADDR": "::1"}).get_data(as_text=True)
    families = _families(text)
    assert families["ejournal_outbox_depth"].samples[0].value == 2
    assert families["ejournal_outbox_failed_24h"].samples[0].value == 1


def test_allowed_addresses_are_configurable_as_networks(make_app):
    app = make_app(METRICS_ALLOWED_IPS="10.0.0.0/8, 192.0.2.7")
    client = app.test_client()
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.20.30.40"}).status_code == 200
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "192.0.2.7"}).status_code == 200
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "192.0.2.8"}).status_code == 404
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "127.0.0.1"}).status_code == 404


def test_many_apps_in_one_process_each_count_their_own_requests(make_app):
    first, second = make_app(), make_app()
    first.test_client().get("/healthz")
    body = second.test_client().get("/metrics", environ_base={"REMOTE_ADDR": "127.0.0.1"})
    samples = _families(body.get_data(as_text=True))["flask_http_request_duration_seconds"]
    assert not [s for s in samples.samples if s.labels.get("endpoint") == "core.healthz"]


@pytest.mark.parametrize("address, allowed", [
    ("127.0.0.1", True), ("::1", True), ("::ffff:127.0.0.1", True), ("127.0.0.2", False),
    ("", False), ("not-an-address", False),
])
def test_is_allowed_reads_addresses_strictly(address, allowed):
    assert metrics.is_allowed(address, metrics.allowed_networks(None)) is allowed
