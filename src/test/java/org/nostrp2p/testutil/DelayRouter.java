package org.nostrp2p.testutil;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * scripts/delay-router.py as a process of the test's: a "wan" device in each namespace, every
 * packet between two of them delayed by the pair's one-way latency after its turn on the
 * sender's uplink (netem's and tbf's job, done in userspace because this kernel has neither). Closing it removes the devices.
 */
public final class DelayRouter implements AutoCloseable {
    private static final Path SCRIPT = Path.of("scripts", "delay-router.py");

    /** A namespace on the wide-area network, and its address there (all in one /16). */
    public record Endpoint(String netns, String address) {}

    private final Process process;
    private final BufferedReader replies;

    private DelayRouter(Process process, BufferedReader replies) {
        this.process = process;
        this.replies = replies;
    }

    /** Null when the router can run here (python3, a TUN device); otherwise why not. */
    public static String unavailableReason() {
        if (!Files.isReadable(SCRIPT)) return SCRIPT + " is missing";
        if (!Files.exists(Path.of("/dev/net/tun"))) return "no /dev/net/tun: the delay router needs TUN devices";
        try {
            NetNamespaces.run(List.of("python3", "--version"));
            return null;
        } catch (IOException e) {
            return "python3 is needed for the delay router: " + e.getMessage();
        }
    }

    /**
     * Starts the router over these endpoints, delaysMillis[from][to] one way, each endpoint's
     * uplink sending at this rate (0: no limit), and waits until its devices are up.
     */
    public static DelayRouter start(List<Endpoint> endpoints, long[][] delaysMillis, long uplinkBytesPerSecond, Path dir)
            throws IOException {
        Path config = dir.resolve("delay-router.json");
        new ObjectMapper().writeValue(config.toFile(), Map.of("endpoints", endpoints, "delays_ms", delaysMillis,
                "uplink_bytes_per_second", uplinkBytesPerSecond));
        Process p = new ProcessBuilder("python3", SCRIPT.toString(), config.toString())
                .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("delay-router.log").toFile()))
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        try {
            String line = ready.get(60, TimeUnit.SECONDS);
            if (!"ready".equals(line)) throw new IOException("delay router did not start: " + Files.readString(dir.resolve("delay-router.log")));
        } catch (IOException e) {
            p.destroyForcibly();
            throw e;
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IOException("delay router did not start within 60 s", e);
        }
        return new DelayRouter(p, out);
    }

    /** Cuts an endpoint off (by its index): every packet to or from it is dropped from now on, as when a machine loses power. */
    public void cut(int endpoint) throws IOException {
        process.getOutputStream().write(("cut " + endpoint + "\n").getBytes(StandardCharsets.US_ASCII));
        process.getOutputStream().flush();
        String reply = replies.readLine();
        if (!("cut " + endpoint).equals(reply)) throw new IOException("the delay router answered \"" + reply + "\" to a cut");
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close(); // the router ends when its stdin closes
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            process.destroyForcibly();
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
        }
    }
}
