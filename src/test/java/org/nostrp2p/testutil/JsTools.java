package org.nostrp2p.testutil;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The JavaScript tools the process-level tests drive (src/test/js: nostr-tools, playwright-core),
 * installed with `npm ci` from the pinned lock file into target/js-tools, once per build. Where
 * Node.js, npm or the npm registry is missing, the calling test is skipped (a JUnit assumption).
 */
public final class JsTools {
    private static final Path DIR = Path.of("target", "js-tools");
    private static final List<String> FILES = List.of("package.json", "package-lock.json", "relay-scenario.mjs", "web-scenario.mjs");

    private JsTools() {}

    /** The directory holding the scripts and their node_modules. */
    public static synchronized Path install() throws Exception {
        Assumptions.assumeTrue(runs("node", "--version"), "Node.js is not installed (apt-get install nodejs)");
        Assumptions.assumeTrue(runs("npm", "--version"), "npm is not installed (apt-get install npm)");
        Files.createDirectories(DIR);
        boolean lockChanged = !Files.exists(DIR.resolve("package-lock.json"))
                || Files.mismatch(DIR.resolve("package-lock.json"), Path.of("src", "test", "js", "package-lock.json")) != -1;
        for (String f : FILES) Files.copy(Path.of("src", "test", "js", f), DIR.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        if (lockChanged || !Files.isDirectory(DIR.resolve("node_modules"))) {
            Process p = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(DIR.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            boolean done = p.waitFor(300, TimeUnit.SECONDS) && p.exitValue() == 0;
            Assumptions.assumeTrue(done, "npm ci could not install the test tools (is the npm registry reachable?):\n" + out);
        }
        return DIR;
    }

    public static boolean runs(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
