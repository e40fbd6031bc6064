#!/usr/bin/env bash
# Installs the real components the tests and the demo run against, when they are missing:
# etcd 3.4 (server and etcdctl), promtool (the alert rules' checks and unit tests) and the Prometheus
# server (the helm module's end-to-end tests run the rules and the dashboard in it) from Debian.
# Run by `./mvnw verify` (validate phase) for all of them, and by demo.sh for the tools it names
# (`ensure-tools.sh etcd etcdctl`).
# Installs only as root with apt-get; otherwise says what to install and fails.
set -euo pipefail

declare -A package_of=(
  [etcd]=etcd-server
  [etcdctl]=etcd-client
  [promtool]=prometheus
  [prometheus]=prometheus
)

# kubectl renders deploy/overlays (kubectl kustomize) in the helm module's tests. It ships with this
# project's machines; Debian's kubernetes-client is too old for the overlays, so it is not installed here.
[ $# -gt 0 ] || command -v kubectl >/dev/null 2>&1 || echo "ensure-tools: kubectl not found; the deploy/ overlay tests will fail" >&2

tools=("$@")
[ ${#tools[@]} -eq 0 ] && tools=("${!package_of[@]}")

missing=()
for tool in "${tools[@]}"; do
  [ -n "${package_of[$tool]:-}" ] || { echo "ensure-tools: unknown tool $tool" >&2; exit 2; }
  command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/bin/$tool" ] || missing+=("${package_of[$tool]}")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-tools: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  # Debian's etcd-server package may start a system etcd on 127.0.0.1:2379; the tests use their own ports,
  # but a stray etcd is not wanted on a build machine.
  # Debian's prometheus package may likewise start a Prometheus server; the tests start their own.
  for service in etcd prometheus; do
    if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$service" 2>/dev/null; then
      systemctl stop "$service" >&2 || true
    fi
  done
else
  echo "ensure-tools: missing ${missing[*]}; install them (Debian: sudo apt-get install -y ${missing[*]})" >&2
  exit 1
fi
