package org.nostrp2p.testutil;

import org.nostrp2p.api.EventsMsgpack;
import org.nostrp2p.event.Event;
import org.nostrp2p.event.EventJson;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** A client of the node's REST API over real HTTP/1.1, sending what the Flutter client sends. */
public final class ApiClient {
    public record Response(int status, HttpResponse<byte[]> raw) {
        public String text() { return new String(raw.body(), StandardCharsets.UTF_8); }

        /** The decoded body, gunzipped when the node says it is gzip. */
        public byte[] body() throws IOException {
            boolean gzip = raw.headers().firstValue("Content-Encoding").map("gzip"::equalsIgnoreCase).orElse(false);
            if (!gzip) return raw.body();
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(raw.body()))) {
                return in.readAllBytes();
            }
        }

        public String header(String name) { return raw.headers().firstValue(name).orElse(null); }
    }

    private final String base;
    private final HttpClient http;

    public ApiClient(String base) {
        this(base, HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build());
    }

    public ApiClient(String base, HttpClient http) {
        this.base = base;
        this.http = http;
    }

    public Response post(String path, String body) throws IOException, InterruptedException {
        return post(path, body.getBytes(StandardCharsets.UTF_8));
    }

    public Response post(String path, byte[] body) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .header("Accept-Encoding", "gzip, deflate")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Private-Network", "true")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<byte[]> raw = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        return new Response(raw.statusCode(), raw);
    }

    public Response get(String pathAndQuery) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(Duration.ofSeconds(20)).GET().build();
        HttpResponse<byte[]> raw = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        return new Response(raw.statusCode(), raw);
    }

    /** GET a JSON endpoint (/node, /presence); fails loudly on a non-200. */
    public com.fasterxml.jackson.databind.JsonNode getJson(String pathAndQuery) throws IOException, InterruptedException {
        Response r = get(pathAndQuery);
        if (r.status() != 200) throw new IllegalStateException(pathAndQuery + " answered " + r.status() + ": " + r.text());
        return org.nostrp2p.event.EventJson.MAPPER.readTree(r.raw().body());
    }

    public Response publish(Event e) throws IOException, InterruptedException {
        return post("/publish", EventJson.toJson(e));
    }

    /** POST /req and decode the MessagePack answer; fails loudly on a non-200. */
    public List<Event> req(String filterJson) throws IOException, InterruptedException {
        Response r = post("/req", filterJson);
        if (r.status() != 200) throw new IllegalStateException("/req answered " + r.status() + ": " + r.text());
        return EventsMsgpack.decode(r.body());
    }

    public List<Event> timeline(int limit) throws IOException, InterruptedException {
        return req("{\"kinds\":[40000],\"since\":-1,\"until\":-1,\"limit\":" + limit + "}");
    }

    public HttpClient http() { return http; }
}
