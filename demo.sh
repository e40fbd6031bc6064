#!/usr/bin/env bash
# The README's first command: reproduces the seed incident on a real etcd on loopback and detects it,
# with the audit engine and then with the operator (against an in-process API server).
# Installs etcd when missing (as root, Debian), builds the jar when needed, then runs `demo`.
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/ensure-tools.sh etcd etcdctl
jar=operator/target/etcd-address-guard.jar
if [ ! -f "$jar" ] || [ ! -d operator/target/demo-lib ] \
   || [ -n "$(find pom.xml crd operator/pom.xml operator/src/main -newer "$jar" -type f -print -quit)" ]; then
  echo "Building $jar (tests skipped; ./mvnw -B verify runs them)..." >&2
  ./mvnw -B -q -DskipTests package >&2
fi
# The mock API server is a demo-only library: it is not in the jar, so it goes on the classpath here.
exec java -cp "$jar:operator/target/demo-lib/*" io.etcdguard.cli.Main demo "$@"
