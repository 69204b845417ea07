package org.nostrp2p.testutil;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** The packaged program run as a user runs it: a separate process, its output and exit code. */
public final class Cli {
    public record Run(int exit, String out, String err) {
        @Override
        public String toString() { return "exit " + exit + "\n--- stdout:\n" + out + "--- stderr:\n" + err; }
    }

    /** Output readers and background runs get their own threads (the common pool may have just one). */
    private static final ExecutorService THREADS = Executors.newVirtualThreadPerTaskExecutor();

    private Cli() {}

    /** Runs in the background (e.g. a command that polls while the test acts). */
    public static Future<Run> start(List<String> args) {
        return THREADS.submit(() -> run(Map.of(), "", args));
    }

    public static Run run(String... args) throws Exception {
        return run(Map.of(), "", List.of(args));
    }

    /** Runs with extra environment variables and this text on standard input. */
    public static Run run(Map<String, String> env, String stdin, List<String> args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(NodeProcess.javaCommand(args));
        pb.environment().remove("NOSTRP2P_NSEC"); // the test decides where the key comes from
        pb.environment().remove("NOSTRP2P_NODE");
        pb.environment().putAll(env);
        Process p = pb.start();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()), THREADS);
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()), THREADS);
        try (var in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        } catch (java.io.IOException stoppedReading) {
            // the program read what it wanted (e.g. refused an over-long input) and closed its end
        }
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + args);
        }
        return new Run(p.exitValue(), new String(out.get(), StandardCharsets.UTF_8), new String(err.get(), StandardCharsets.UTF_8));
    }

    private static byte[] readAll(java.io.InputStream in) {
        try {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            return new byte[0];
        }
    }
}
