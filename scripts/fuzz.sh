#!/usr/bin/env bash
# Coverage-guided fuzzing (Jazzer) of the parsers and decoders that take bytes from strangers:
#   scripts/fuzz.sh [SECONDS] [TARGET-CLASS...]    default: 600 s for each target in FuzzRunner.TARGETS
# Each target starts from src/test/resources/fuzz/TARGET and grows target/fuzz/TARGET/corpus. A
# finding stops with its input in target/fuzz/TARGET/crash-* (or oom-*, timeout-*): fix it, then
# copy the input into src/test/resources/fuzz/TARGET so FuzzRegressionTest keeps it fixed.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/find-jdk.sh
find_jdk
export PATH="$JAVA_HOME/bin:$PATH" MAVEN_OPTS="${MAVEN_OPTS:-} $(maven_opts)"
seconds="${1:-600}"; shift || true
echo "fuzz: building..." >&2
mvn -B -q --no-transfer-progress -Dstyle.color=never -DskipTests test-compile \
    dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test >&2
exec java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
  org.nostrp2p.fuzz.FuzzRunner "$seconds" "$@"
