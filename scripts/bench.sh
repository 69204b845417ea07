#!/usr/bin/env bash
# Runs a benchmark from src/test/java/org/nostrp2p/bench against the packaged node.
#   scripts/bench.sh node [EVENTS]           issue 3: verify rate, /publish rate, /req latency, RSS
#   scripts/bench.sh overlay [NODES] [POSTS] [WARMUP] issue 4: real nodes on loopback, delivery latency, bytes
#   scripts/bench.sh sim [NODES] [SEED]      issue 4: the simulator at scale (default 10,000 nodes)
#   scripts/bench.sh judge [NODES] [SEED] [graft=MS] [links=N/MAX] [presence=dht] [detect=MS] [settled=ROUNDS] [wait=measured] [gains=off] [peers=N|unbounded] [fakes=N]
#                                             issue 16: broadcasts judged against the flood bound, latency per pair
#   scripts/bench.sh testbed [NODES] [SEED] [ROUNDS]
#                                             issue 16: real nodes in namespaces, links delayed per pair, NAT;
#                                             beside the simulator's prediction for the same topology (root)
#   scripts/bench.sh followers [NODES] [SEED] [POSTS] [handon=MS]
#                                             issue 16: follower mode's list-cast against broadcast, 100 and 5,000 followers
#   scripts/bench.sh presence [SIZES] [SEED] [dht|broadcast|both|moving|all] [bound]
#                                             issue 16: what presence costs a node as the network grows (1000,3000,10000)
#   scripts/bench.sh attacks                  issue 11: what a node holds under each attack (StrangerAttacksIT)
#   scripts/bench.sh sweep SEED               issue 12: replay one seed of the simulator's fault sweep
#   scripts/bench.sh sweep --from A --count N issue 12: a longer sweep
#   scripts/bench.sh cli                      issue 14: a client command's time through ./nostrp2p, AOT cache on/off
#   scripts/bench.sh links                    issue 13: CPU and bytes of an encrypted link (handshake, frames)
#   scripts/bench.sh links-overlay [REV] [NODES] [POSTS] [WARMUP]
#                                             issue 13: the overlay benchmark on REV's jar (default: the last
#                                             plaintext version) and on this one, side by side in one run
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/find-jdk.sh
find_jdk
export PATH="$JAVA_HOME/bin:$PATH" MAVEN_OPTS="${MAVEN_OPTS:-} $(maven_opts)"
which="${1:-node}"; shift || true
case "$which" in
  node) main=org.nostrp2p.bench.NodeBench ;;
  overlay) main=org.nostrp2p.bench.OverlayBench ;;
  sim) main=org.nostrp2p.bench.SimBench ;;
  judge) main=org.nostrp2p.bench.JudgeBench ;;
  testbed) main=org.nostrp2p.bench.TestbedBench ;;
  followers) main=org.nostrp2p.bench.FollowerBench ;;
  presence) main=org.nostrp2p.bench.PresenceBench ;;
  attacks) main=org.nostrp2p.bench.MachineInfo ;;
  sweep) main=org.nostrp2p.bench.SweepBench ;;
  links) main=org.nostrp2p.bench.LinkBench ;;
  cli) main=org.nostrp2p.bench.CliBench ;;
  links-overlay) main=org.nostrp2p.bench.OverlayBench ;;
  *) echo "bench.sh: unknown benchmark '$which' (try: node, overlay, sim, judge, testbed, followers, presence, attacks, sweep, cli, links, links-overlay)" >&2; exit 2 ;;
esac
echo "bench: building..." >&2
mvn -B -q --no-transfer-progress -Dstyle.color=never -DskipTests package test-compile \
    dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test >&2
if [ "$which" = attacks ]; then
  java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" "$main"
  echo "bench: running StrangerAttacksIT (real nodes, about 2 minutes)..." >&2
  mvn -B --no-transfer-progress -Dstyle.color=never verify -Dit.test=StrangerAttacksIT -Dtest=None \
      -Dsurefire.failIfNoSpecifiedTests=false | grep -E '^attack:|Tests run:.*StrangerAttacksIT|BUILD'
  exit "${PIPESTATUS[0]}"
fi
if [ "$which" = links-overlay ]; then
  rev="${1:-a036420}"; shift || true   # a036420: the last commit whose links were plaintext
  before="$PWD/target/before-$rev"
  if [ ! -f "$before/target/nostrp2p.jar" ]; then
    echo "bench: building the jar of $rev in $before..." >&2
    rm -rf "$before" && mkdir -p "$before"
    git archive "$rev" | tar -x -C "$before"
    (cd "$before" && mvn -B -q --no-transfer-progress -Dstyle.color=never -DskipTests package >&2)
  fi
  set -- --compare "$before/target/nostrp2p.jar" "$@"
fi
exec java --enable-native-access=ALL-UNNAMED -Dnostrp2p.jar=target/nostrp2p.jar ${BENCH_JAVA_OPTS:-} \
  -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" "$main" "$@"
