package org.nostrp2p.bench;

import org.nostrp2p.event.KeyPair;
import org.nostrp2p.testutil.NodeProcess;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Issue 14: how long a client command takes as a user runs it (`./nostrp2p post …`,
 * `./nostrp2p timeline -n 20`, the launcher included) against a real node, with the launcher's
 * AOT cache and without it (NOSTRP2P_AOT=off), alternating, 11 runs each; medians and spreads.
 * Run: scripts/bench.sh cli
 */
public final class CliBench {
    private static final int RUNS = 11;

    public static void main(String[] args) throws Exception {
        System.out.println(MachineInfo.describe());
        Path dir = Files.createTempDirectory("nostrp2p-cli-bench");
        KeyPair user = KeyPair.generate();
        try (NodeProcess node = NodeProcess.start(dir.resolve("node"), user.npub())) {
            Map<String, String> env = Map.of("NOSTRP2P_NSEC", user.nsec(), "NOSTRP2P_NODE", "127.0.0.1:" + (node.overlayPort() + 1),
                    "NOSTRP2P_CONFIG", dir.resolve("cfg").toString());
            Path aot = Path.of("target", "nostrp2p.aot");
            run(env, false, "--version"); // the launcher makes its cache in the background, once per build
            for (int i = 0; i < 600 && !Files.exists(aot); i++) Thread.sleep(100);
            System.out.println(Files.exists(aot) ? "AOT cache: " + aot + " (" + Files.size(aot) / (1024 * 1024) + " MiB)"
                    : "AOT cache: none (needs JDK 25+); both columns run without it");
            for (int i = 0; i < 10; i++) run(env, false, "post", "warming up " + i);
            for (List<String> command : List.of(List.of("post", "a benchmark post"), List.of("timeline", "-n", "20"))) {
                List<Long> with = new ArrayList<>(), without = new ArrayList<>();
                for (int i = 0; i < RUNS; i++) {
                    with.add(run(env, false, command.toArray(String[]::new)));
                    without.add(run(env, true, command.toArray(String[]::new)));
                }
                System.out.printf("%-22s with AOT cache: median %4d ms (%d-%d) | without: median %4d ms (%d-%d)%n",
                        String.join(" ", command), median(with), min(with), max(with), median(without), min(without), max(without));
            }
        }
    }

    /** Milliseconds for one run of ./nostrp2p with these args; a failed run ends the benchmark. */
    private static long run(Map<String, String> env, boolean noAot, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("./nostrp2p"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        if (noAot) pb.environment().put("NOSTRP2P_AOT", "off");
        long t0 = System.nanoTime();
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IllegalStateException(cmd + " failed: " + out);
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static long median(List<Long> xs) { return xs.stream().sorted().toList().get(xs.size() / 2); }

    private static long min(List<Long> xs) { return xs.stream().mapToLong(Long::longValue).min().orElse(0); }

    private static long max(List<Long> xs) { return xs.stream().mapToLong(Long::longValue).max().orElse(0); }

    private CliBench() {}
}
