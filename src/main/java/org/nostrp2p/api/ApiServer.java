package org.nostrp2p.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.nostrp2p.event.EventFormatException;
import org.nostrp2p.event.EventJson;
import org.nostrp2p.event.Filter;
import org.nostrp2p.node.PublishService;
import org.nostrp2p.node.QueryService;
import org.nostrp2p.node.Rejected;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPOutputStream;

/**
 * The client REST API (CLIENT-API.md): POST /publish and POST /req, CORS on everything, TLS
 * when configured. Every failure answers {@code {"Error": reason}} with a fitting status; bad
 * input never produces a 500.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
    /** Largest request body accepted; Nostr relays commonly allow 64–128 KB events. */
    public static final int MAX_BODY_BYTES = 128 * 1024;
    private static final byte[] SUCCESS = "{\"Status\":\"SUCCESS\"}".getBytes(StandardCharsets.UTF_8);

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final PublishService publish;
    private final QueryService query;

    public ApiServer(InetSocketAddress address, SSLContext tlsOrNull, PublishService publish, QueryService query)
            throws IOException {
        // without TCP_NODELAY small answers wait for delayed ACKs (~40 ms per request)
        System.setProperty("sun.net.httpserver.nodelay", "true");
        this.publish = publish;
        this.query = query;
        if (tlsOrNull != null) {
            HttpsServer https = HttpsServer.create(address, 1024);
            https.setHttpsConfigurator(new HttpsConfigurator(tlsOrNull));
            this.server = https;
        } else {
            this.server = HttpServer.create(address, 1024);
        }
        server.createContext("/", this::handle);
        server.setExecutor(executor);
    }

    public void start() { server.start(); }

    public InetSocketAddress address() { return server.getAddress(); }

    private void handle(HttpExchange x) {
        // not try-with-resources: that would close the exchange before the catch blocks answer
        try {
            Cors.apply(x.getRequestHeaders(), x.getResponseHeaders());
            String method = x.getRequestMethod();
            String path = x.getRequestURI().getPath();
            log.atDebug().addKeyValue("method", method).addKeyValue("path", path).log("request");
            if (method.equals("OPTIONS")) {
                x.sendResponseHeaders(204, -1);
                return;
            }
            if (!path.equals("/publish") && !path.equals("/req")) {
                sendError(x, 404, "No such endpoint " + path + ": use POST /publish or POST /req");
                return;
            }
            if (!method.equals("POST")) {
                x.getResponseHeaders().set("Allow", "POST, OPTIONS");
                sendError(x, 405, "Use POST for " + path);
                return;
            }
            byte[] body = readBody(x);
            if (path.equals("/publish")) {
                publish.publish(EventJson.parse(body));
                send(x, 200, "application/json", SUCCESS);
            } else {
                byte[] answer = EventsMsgpack.encode(query.answer(Filter.parse(body)));
                sendBinary(x, answer);
            }
        } catch (Rejected r) {
            sendError(x, r.status(), r.getMessage());
        } catch (EventFormatException e) {
            sendError(x, 400, e.getMessage());
        } catch (BodyTooLarge e) {
            sendError(x, 413, "Request body is larger than " + MAX_BODY_BYTES + " bytes");
        } catch (IOException e) {
            log.atDebug().addKeyValue("error", e.toString()).log("connection failed mid-request");
        } catch (RuntimeException | Error e) {
            // a bug, not bad input: answer 500 and keep serving
            log.atWarn().setCause(e).log("internal error answering a request");
            sendError(x, 500, "Internal error: " + e.getClass().getSimpleName());
        } finally {
            x.close();
        }
    }

    private static final class BodyTooLarge extends Exception {
        BodyTooLarge() { super(null, null, false, false); }
    }

    private static byte[] readBody(HttpExchange x) throws IOException, BodyTooLarge {
        String declared = x.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            try {
                if (Long.parseLong(declared.trim()) > MAX_BODY_BYTES) throw new BodyTooLarge();
            } catch (NumberFormatException e) {
                throw new EventFormatException("Content-Length is not a number");
            }
        }
        try (InputStream in = x.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) throw new BodyTooLarge();
            return body;
        }
    }

    private static void sendBinary(HttpExchange x, byte[] body) throws IOException {
        if (acceptsGzip(x.getRequestHeaders().getFirst("Accept-Encoding"))) {
            x.getResponseHeaders().set("Content-Encoding", "gzip");
            body = gzip(body);
        }
        send(x, 200, "application/octet-stream", body);
    }

    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) return false;
        for (String part : acceptEncoding.split(",")) {
            String[] p = part.trim().split(";");
            if (p[0].trim().equalsIgnoreCase("gzip")) {
                return p.length < 2 || !p[1].replace(" ", "").matches("q=0(\\.0*)?");
            }
        }
        return false;
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    private static void sendError(HttpExchange x, int status, String reason) {
        byte[] body = EventJson.MAPPER.createObjectNode().put("Error", reason).toString().getBytes(StandardCharsets.UTF_8);
        try {
            send(x, status, "application/json", body);
        } catch (IOException | RuntimeException e) {
            log.atDebug().addKeyValue("error", e.toString()).log("could not send an error answer");
        }
    }

    private static void send(HttpExchange x, int status, String contentType, byte[] body) throws IOException {
        x.getResponseHeaders().set("Content-Type", contentType);
        x.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
