package org.nostrp2p.web;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.nostrp2p.testutil.JsTools;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The web client in the jar (src/main/resources/web, committed so that building and running a
 * node needs no JavaScript tooling) is exactly what scripts/build-web.sh makes from web/ with the
 * pinned versions: rebuilt here into target/, byte for byte. Skipped where npm is missing.
 */
class WebBundleIT {
    @Test
    void theCommittedBundleIsWhatTheSourcesBuildTo() throws Exception {
        Assumptions.assumeTrue(JsTools.runs("npm", "--version"), "npm is not installed (apt-get install npm)");
        Path out = Path.of("target", "web-rebuild").toAbsolutePath();
        Process p = new ProcessBuilder("bash", "scripts/build-web.sh", out.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the build finished");
        Assumptions.assumeFalse(log.contains("npm error") && log.contains("ENOTFOUND"), "the npm registry is unreachable:\n" + log);
        assertEquals(0, p.exitValue(), log);
        for (String f : List.of("index.html", "app.js", "app.css")) {
            assertEquals(-1, Files.mismatch(out.resolve(f), Path.of("src", "main", "resources", "web", f)),
                    f + " differs from a fresh build: run scripts/build-web.sh and commit the result");
        }
    }
}
