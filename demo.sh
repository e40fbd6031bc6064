#!/usr/bin/env bash
# The README's first command: predicts the seed incident's restart failure before the reboot (the node agent on a
# real kernel in a network namespace, as root), then reproduces the incident on a real etcd on loopback and
# detects it, with the audit engine and then with the operator (against an in-process API server).
# Installs etcd when missing (as root, Debian), builds the demo module when needed, then runs it.
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/ensure-tools.sh etcd etcdctl
jar=demo/target/etcd-address-guard-demo.jar
if [ ! -f "$jar" ] || [ ! -d demo/target/lib ] \
   || [ -n "$(find pom.xml crd testkit operator/pom.xml operator/src/main demo/pom.xml demo/src/main docs/examples -newer "$jar" -type f -print -quit)" ]; then
  echo "Building $jar (tests skipped; ./mvnw -B verify runs them)..." >&2
  ./mvnw -B -q -pl demo -am -DskipTests package >&2
fi
# The demo's own classpath: the demo, the operator's classes and the test harness (real etcd, mock API server).
exec java -cp "$jar:demo/target/lib/*" io.etcdguard.demo.DemoCommand "$@"
