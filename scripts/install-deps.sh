#!/usr/bin/env bash
# Installs what medic's build, demo and tests need from Debian's packages, only when missing:
# libcurl's headers (medic's HTTP client is libcurl), Prometheus with promtool (the metric
# conditions are evaluated by the real Prometheus), Alertmanager (the alert intake's end-to-end
# test routes real alerts through it) and Chromium (the incident report's HTML is rendered
# headless in its test). Idempotent; needs root for apt-get.
set -euo pipefail

missing=()
command -v curl-config >/dev/null 2>&1 || missing+=(libcurl4-openssl-dev)
{ command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1; } || missing+=(prometheus)
command -v prometheus-alertmanager >/dev/null 2>&1 || missing+=(prometheus-alertmanager)
{ command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; } || missing+=(chromium)

if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]} ..." >&2
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# Debian's prometheus packages start system services (:9090, :9093); medic's tests and demo
# start their own servers on free loopback ports and need none of them.
for service in prometheus prometheus-alertmanager; do
    if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$service" 2>/dev/null; then
        systemctl stop "$service" || true
    fi
done
