"""``/metrics`` for Prometheus, through prometheus-flask-exporter: requests by endpoint and
status with their latency (``flask_http_request_duration_seconds``,
``flask_http_request_total``), and a gauge for each health reading (``core.health``): the
outbox's depth, failed deliveries, the worker's silence, the plugins' ``health_checks``.

Each app has its own registry: tests build many apps in one process, and the exporter's global
default registry would refuse the second app's metrics. Under gunicorn each worker process
answers with its own request counts (run one worker, or scrape each).

Served only to ``METRICS_ALLOWED_IPS`` (addresses or networks; loopback by default); any other
address gets 404, as if there were no such page.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Iterator

from flask import Flask, abort, request
from prometheus_client import CollectorRegistry
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_flask_exporter import PrometheusMetrics

from core import health

KEY = "ejournal.metrics"
DEFAULT_ALLOWED = ("127.0.0.1", "::1")


def allowed_networks(value: str | Iterable[str] | None) -> list[ipaddress._BaseNetwork]:
    """``METRICS_ALLOWED_IPS`` as networks: a list, or one string separated by commas."""
    if value is None:
        value = DEFAULT_ALLOWED
    items = value.split(",") if isinstance(value, str) else value
    return [ipaddress.ip_network(item.strip(), strict=False) for item in items if item.strip()]


def is_allowed(address: str | None, networks: list[ipaddress._BaseNetwork]) -> bool:
    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    ip = getattr(ip, "ipv4_mapped", None) or ip
    return any(ip.version == net.version and ip in net for net in networks)


def gauge_name(key: str) -> str:
    return "ejournal_" + re.sub(r"[^a-zA-Z0-9_]", "_", key)


class HealthCollector:
    """The health readings as gauges, read at each scrape (inside the request to /metrics)."""

    def describe(self) -> list[Metric]:
        return []  # nothing to read at registration, outside a request

    def collect(self) -> Iterator[Metric]:
        checks = health.collect()
        ok = GaugeMetricFamily("ejournal_check_ok", "1 when the check passes, 0 when not",
                               labels=["check"])
        for check in checks:
            ok.add_metric([check.key], 1.0 if check.ok else 0.0)
            if check.value is not None:
                yield GaugeMetricFamily(gauge_name(check.key), check.label, value=check.value)
        yield ok


def init_app(app: Flask) -> PrometheusMetrics:
    """Count the app's requests on a registry of its own and serve ``/metrics``."""
    networks = allowed_networks(app.config.get("METRICS_ALLOWED_IPS"))
    registry = CollectorRegistry(auto_describe=True)
    metrics = PrometheusMetrics(app, path=None, registry=registry, group_by="endpoint",
                                excluded_paths=["/static/"])
    registry.register(HealthCollector())

    @metrics.do_not_track()
    def metrics_view():
        if not is_allowed(request.remote_addr, networks):
            abort(404)
        body, content_type = metrics.generate_metrics(request.headers.get("Accept"))
        return body, 200, {"Content-Type": content_type}

    app.add_url_rule("/metrics", "metrics", metrics_view)
    app.extensions[KEY] = metrics
    return metrics
