#!/usr/bin/env bash
# The README's first command: reproduces the seed incident on a real etcd on loopback and detects it.
# Installs etcd when missing (as root, Debian), builds the jar when needed, then runs `demo`.
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/ensure-tools.sh
jar=operator/target/etcd-address-guard.jar
if [ ! -f "$jar" ] || [ -n "$(find pom.xml crd operator -newer "$jar" -type f \( -name '*.java' -o -name 'pom.xml' -o -name '*.yml' \) -print -quit)" ]; then
  echo "Building $jar (tests skipped; run ./mvnw -B verify for those)..." >&2
  ./mvnw -B -q -DskipTests package >&2
fi
exec java -jar "$jar" demo "$@"
