#!/usr/bin/env bash
# Builds a native executable of the agent on a host with GraalVM or Mandrel (native-image on PATH or
# GRAALVM_HOME set). The result is target/galera-warden-*-runner. Native builds are not tested.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v native-image >/dev/null 2>&1 && [[ -z "${GRAALVM_HOME:-}" ]]; then
    echo "native-image not found: install GraalVM or Mandrel for Java 17 and set GRAALVM_HOME" >&2
    exit 1
fi
exec ./mvnw -B package -Pnative -DskipTests "$@"
