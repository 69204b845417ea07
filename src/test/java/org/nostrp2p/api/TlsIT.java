package org.nostrp2p.api;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostrp2p.event.Event;
import org.nostrp2p.event.EventSigner;
import org.nostrp2p.event.KeyPair;
import org.nostrp2p.testutil.ApiClient;
import org.nostrp2p.testutil.NodeProcess;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** --ssl with PEM files as certbot writes them; the client trusts exactly that certificate. */
class TlsIT {
    @TempDir Path tmp;

    @Test
    void apiOverTls() throws Exception {
        Path cert = tmp.resolve("fullchain.pem"), key = tmp.resolve("privkey.pem");
        Process openssl;
        try {
            openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                    "-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost").redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            Assumptions.abort("openssl is not installed: cannot make a test certificate");
            return;
        }
        assertTrue(openssl.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, openssl.exitValue(), new String(openssl.getInputStream().readAllBytes()));

        EventSigner owner = new EventSigner(KeyPair.generate());
        try (NodeProcess node = NodeProcess.startTls(tmp.resolve("node"), owner.keys().npub(), trusting(cert),
                "-s", "--cert", cert.toString(), "--key", key.toString())) {
            ApiClient api = node.api();
            Event post = owner.sign(1, List.of(), "over TLS");
            assertEquals(200, api.publish(post).status());
            assertEquals(List.of(post), api.timeline(10));
        }
    }

    private static SSLContext trusting(Path certPem) throws Exception {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        try (InputStream in = Files.newInputStream(certPem)) {
            ts.setCertificateEntry("node", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
