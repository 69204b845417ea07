package org.nostrp2p.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the fuzz targets with Jazzer (coverage-guided, libFuzzer's engine), each in a JVM of its
 * own for a given time. Each target starts from its regression inputs in
 * src/test/resources/fuzz/TARGET (kept findings and seeds) and grows a corpus in
 * target/fuzz/TARGET; a finding fails the run and leaves its input as target/fuzz/TARGET/crash-*.
 * Used by FuzzShortRunIT (a few seconds each, in ./run-tests) and scripts/fuzz.sh (10 minutes).
 */
public final class FuzzRunner {
    public static final List<String> TARGETS = List.of(
            "org.nostrp2p.fuzz.EventJsonFuzz",
            "org.nostrp2p.fuzz.FilterFuzz",
            "org.nostrp2p.fuzz.OverlayFrameFuzz",
            "org.nostrp2p.fuzz.PresenceRecordFuzz",
            "org.nostrp2p.transport.FrameStreamFuzz",
            "org.nostrp2p.transport.noise.NoiseLinkFuzz");
    static final Path REGRESSION_INPUTS = Path.of("src", "test", "resources", "fuzz");
    static final Path WORK = Path.of("target", "fuzz");
    /** The short runs of ./run-tests keep their own corpus, apart from a long run that may be going on. */
    static final Path SHORT_RUN_WORK = Path.of("target", "fuzz-short");

    /** What one target's run came to: runs done, and the fuzzer's last lines when it found something. */
    public record Result(String target, boolean clean, long runs, String tail) {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: FuzzRunner SECONDS [TARGET-CLASS...]");
            System.exit(2);
        }
        int seconds = Integer.parseInt(args[0]);
        List<String> targets = args.length > 1 ? List.of(args).subList(1, args.length) : TARGETS;
        boolean clean = true;
        for (String t : targets) {
            System.out.printf("fuzz: %s for %d s ...%n", simpleName(t), seconds);
            Result r = run(t, seconds, WORK);
            System.out.printf("fuzz: %s: %s, %,d runs%n", simpleName(t), r.clean() ? "no finding" : "FINDING", r.runs());
            if (!r.clean()) {
                System.out.println(r.tail());
                clean = false;
            }
        }
        System.exit(clean ? 0 : 1);
    }

    public static Result run(String target, int seconds, Path workRoot) throws IOException, InterruptedException {
        String name = simpleName(target);
        Path work = workRoot.resolve(name);
        Path corpus = work.resolve("corpus");
        Files.createDirectories(corpus);
        Path seeds = REGRESSION_INPUTS.resolve(name);
        Path log = work.resolve("fuzz.log");
        List<String> cmd = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                // a small heap: libFuzzer's RSS limit below is about the whole process
                "-Xmx512m", "-XX:+EnableDynamicAgentLoading", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"),
                "com.code_intelligence.jazzer.Jazzer",
                "--target_class=" + target,
                // coverage from our code and the parsers it hands peer bytes to
                "--instrumentation_includes=org.nostrp2p.**:com.fasterxml.jackson.**:org.msgpack.**",
                "-max_total_time=" + seconds,
                "-rss_limit_mb=3072",
                "-timeout=10",
                "-artifact_prefix=" + work.toAbsolutePath() + "/",
                corpus.toString()));
        if (Files.isDirectory(seeds)) cmd.add(seeds.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(seconds + 120L, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(target, false, 0, "the fuzzer did not stop within " + (seconds + 120) + " s");
        }
        List<String> lines = Files.readAllLines(log);
        long runs = 0;
        for (String line : lines) {
            if (line.startsWith("Done ") && line.contains(" runs in ")) runs = Long.parseLong(line.split(" ")[1]);
        }
        String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        return new Result(target, p.exitValue() == 0, runs, tail);
    }

    static String simpleName(String target) {
        return target.substring(target.lastIndexOf('.') + 1);
    }
}
