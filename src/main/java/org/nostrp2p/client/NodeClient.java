package org.nostrp2p.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.nostrp2p.api.EventsMsgpack;
import org.nostrp2p.event.Event;
import org.nostrp2p.event.EventJson;
import org.nostrp2p.event.Kinds;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * The client's only line to the network: its owner's node, over the REST API of CLIENT-API.md,
 * making the same requests as the Flutter client (plus the #e/#p narrowing NIP-01 filters allow).
 */
public final class NodeClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final URI base;
    private final HttpClient http;

    public NodeClient(URI base) {
        this.base = base;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    public URI base() { return base; }

    /** The most the node's time line answers at once. */
    public static final int MAX_TIMELINE = org.nostrp2p.node.QueryService.MAX_EVENTS;
    /** The largest event a node takes: checked here, before anything is sent. */
    public static final int MAX_EVENT_BYTES = org.nostrp2p.api.ApiServer.MAX_BODY_BYTES;

    /** Publishes a signed event; the node's reason when it refuses. */
    public void publish(Event e) {
        String json = EventJson.toJson(e);
        int bytes = json.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (bytes > MAX_EVENT_BYTES) {
            throw new ClientException("too long: the event would be " + bytes + " bytes, and a node takes at most "
                    + MAX_EVENT_BYTES + " (128 KiB); nothing was sent");
        }
        HttpResponse<byte[]> r = send("/publish", json);
        if (r.statusCode() != 200) {
            throw new ClientException("your node refused the event (HTTP " + r.statusCode() + "): " + errorReason(r.body()));
        }
    }

    /** The newest {@code limit} events the node holds, narrowed by tag filters (e.g. "#p"), oldest first. */
    public List<Event> timeline(int limit, String tagFilter, List<String> values) {
        ObjectNode f = timelineFilter();
        f.put("since", -1).put("until", -1).put("limit", limit);
        if (tagFilter != null) values.forEach(f.putArray(tagFilter)::add);
        return req(f);
    }

    public List<Event> timeline(int limit) { return timeline(limit, null, List.of()); }

    /** Who follows this user, as far as the node knows: the newest follow list it holds of each user, if it names them. */
    public List<String> followersOf(String user) {
        java.util.Map<String, Event> newest = new java.util.HashMap<>();
        for (Event e : timeline(MAX_TIMELINE, "#p", List.of(user))) {
            if (e.kind() == Kinds.FOLLOW_LIST && !e.pubkey().equals(user)) newest.merge(e.pubkey(), e, (x, y) -> x.createdAt() >= y.createdAt() ? x : y);
        }
        return newest.values().stream().filter(e -> ClientTags.followed(e.tags()).contains(user)).map(Event::pubkey).sorted().toList();
    }

    /** The newest {@code limit} events the node holds with created_at at most {@code until} (paging back), oldest first. */
    public List<Event> timelineUntil(int limit, long until) {
        ObjectNode f = timelineFilter();
        f.put("since", -1).put("until", until).put("limit", limit);
        return req(f);
    }

    /** The events held with since ≤ created_at ≤ until: the Flutter client's poll. */
    public List<Event> timelineBetween(long since, long until) {
        ObjectNode f = timelineFilter();
        f.put("since", since).put("until", until).put("limit", -1);
        return req(f);
    }

    /** An event the node holds, by id (any kind). */
    public Optional<Event> held(String id) {
        ObjectNode f = timelineFilter();
        f.putArray("ids").add(id);
        f.put("limit", 1);
        return req(f).stream().findFirst();
    }

    /** An event the node holds; an unknown id is the user's mistake (or not arrived yet), said plainly. */
    public Event require(String id) {
        return held(id).orElseThrow(() -> new ClientException("unknown id: your node holds no event " + Ids.note(id)
                + " (check the id, or wait until it arrives)"));
    }

    /** A post by id and author; if not held, the node asks the author's node and a later call may find it. */
    public Optional<Event> post(String id, String author) {
        ObjectNode f = EventJson.MAPPER.createObjectNode();
        f.putArray("ids").add(id);
        f.putArray("authors").add(author);
        f.putArray("kinds").add(Kinds.POST);
        return req(f).stream().findFirst();
    }

    /** The newest profile (kind 0) or follow list (kind 3) of a user, asked of the author's node when missing. */
    public Optional<Event> replaceable(int kind, String author) {
        ObjectNode f = EventJson.MAPPER.createObjectNode();
        f.putArray("authors").add(author);
        f.putArray("kinds").add(kind);
        return req(f).stream().findFirst();
    }

    /** What the node says of itself (GET /node): its node id, its owner, whether the owner bound it. */
    public NodeSelf self() {
        JsonNode n = getJson("/node");
        if (!n.hasNonNull("node") || !n.hasNonNull("owner")) {
            throw new ClientException("the answer from " + base + " is not a NostrP2P node's (no node id): is the node up to date?");
        }
        return new NodeSelf(n.get("node").asText(), n.get("owner").asText(), n.path("bound").asBoolean(false));
    }

    public record NodeSelf(String nodeId, String owner, boolean bound) {}

    private JsonNode getJson(String pathAndQuery) {
        HttpResponse<byte[]> r = exchange(HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(TIMEOUT)
                .header("Accept", "application/json").GET().build());
        if (r.statusCode() != 200) {
            throw new ClientException("your node refused the request (HTTP " + r.statusCode() + "): " + errorReason(r.body()));
        }
        try {
            return EventJson.MAPPER.readTree(r.body());
        } catch (IOException e) {
            throw new ClientException("the answer from " + base + " is not a NostrP2P node's: " + e.getMessage());
        }
    }

    private static ObjectNode timelineFilter() {
        ObjectNode f = EventJson.MAPPER.createObjectNode();
        f.putArray("kinds").add(Kinds.TIMELINE_REQUEST);
        return f;
    }

    private List<Event> req(ObjectNode filter) {
        HttpResponse<byte[]> r = send("/req", filter.toString());
        if (r.statusCode() != 200) {
            throw new ClientException("your node refused the request (HTTP " + r.statusCode() + "): " + errorReason(r.body()));
        }
        try {
            boolean gzip = r.headers().firstValue("Content-Encoding").map("gzip"::equalsIgnoreCase).orElse(false);
            byte[] body = r.body();
            if (gzip) {
                try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                    body = in.readAllBytes();
                }
            }
            return EventsMsgpack.decode(body);
        } catch (IOException | RuntimeException e) {
            throw new ClientException("the answer from " + base + " is not a NostrP2P node's: " + e.getMessage());
        }
    }

    private HttpResponse<byte[]> send(String path, String json) {
        HttpRequest req = HttpRequest.newBuilder(base.resolve(path))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .header("Accept", path.equals("/req") ? "application/octet-stream" : "application/json")
                .header("Accept-Encoding", "gzip, deflate")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
                .build();
        return exchange(req);
    }

    private HttpResponse<byte[]> exchange(HttpRequest req) {
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new ClientException("cannot reach your node at " + base + ": is it running? (start it with: nostrp2p server -p YOUR_NPUB)");
        } catch (HttpTimeoutException e) {
            throw new ClientException("your node at " + base + " did not answer within " + TIMEOUT.toSeconds() + " s");
        } catch (IOException e) {
            throw new ClientException("talking to your node at " + base + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientException("interrupted");
        }
    }

    private static String errorReason(byte[] body) {
        try {
            JsonNode n = EventJson.MAPPER.readTree(body);
            if (n.hasNonNull("Error")) return n.get("Error").asText();
        } catch (IOException | RuntimeException notJson) {
            // fall through
        }
        String text = new String(body, StandardCharsets.UTF_8).strip();
        return text.isEmpty() ? "no reason given" : text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }
}
