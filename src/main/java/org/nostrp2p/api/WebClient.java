package org.nostrp2p.api;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The web client (built from web/ into the jar's /web by scripts/build-web.sh), served at the
 * client API's root. Held in memory, gzipped once, revalidated by ETag. The page holds the
 * user's key, so it is sent with a strict Content-Security-Policy: its own scripts and styles
 * only, connections to this node only, pictures from https only, no framing.
 */
final class WebClient {
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            + "img-src https: data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private record Asset(String contentType, byte[] plain, byte[] gzipped, String etag) {}

    private final Map<String, Asset> assets = new LinkedHashMap<>();

    private WebClient() {}

    /** The client packaged in this build (none when built without it: then only the API is served). */
    static WebClient load() {
        WebClient web = new WebClient();
        web.add("/index.html", "index.html", "text/html; charset=utf-8");
        web.add("/app.js", "app.js", "text/javascript; charset=utf-8");
        web.add("/app.css", "app.css", "text/css; charset=utf-8");
        Asset index = web.assets.get("/index.html");
        if (index != null) web.assets.put("/", index);
        return web;
    }

    private void add(String path, String resource, String contentType) {
        try (InputStream in = WebClient.class.getResourceAsStream("/web/" + resource)) {
            if (in == null) return;
            byte[] plain = in.readAllBytes();
            assets.put(path, new Asset(contentType, plain, ApiHandler.gzip(plain), etag(plain)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the web client's " + resource, e);
        }
    }

    boolean serves(String path) {
        return assets.containsKey(path);
    }

    /** GET or HEAD of one of the client's files. */
    FullHttpResponse answer(FullHttpRequest request, String path) {
        Asset a = assets.get(path);
        HttpHeaders in = request.headers();
        boolean head = request.method().equals(HttpMethod.HEAD);
        boolean notModified = a.etag().equals(in.get(HttpHeaderNames.IF_NONE_MATCH));
        boolean gzip = ApiHandler.acceptsGzip(in.get(HttpHeaderNames.ACCEPT_ENCODING));
        byte[] body = notModified ? new byte[0] : gzip ? a.gzipped() : a.plain();
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                notModified ? HttpResponseStatus.NOT_MODIFIED : HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(head ? new byte[0] : body));
        HttpHeaders out = r.headers();
        out.set(HttpHeaderNames.CONTENT_TYPE, a.contentType());
        out.set(HttpHeaderNames.ETAG, a.etag());
        out.set(HttpHeaderNames.CACHE_CONTROL, "no-cache"); // names are not hashed: revalidate, a 304 costs little
        out.set(HttpHeaderNames.VARY, HttpHeaderNames.ACCEPT_ENCODING);
        if (gzip && !notModified) out.set(HttpHeaderNames.CONTENT_ENCODING, HttpHeaderValues.GZIP);
        out.set("Content-Security-Policy", CSP);
        out.set("X-Content-Type-Options", "nosniff");
        out.set("Referrer-Policy", "no-referrer");
        if (!notModified) HttpUtil.setContentLength(r, body.length);
        return r;
    }

    private static String etag(byte[] content) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(content);
            return "\"" + HexFormat.of().formatHex(d, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JDK has SHA-256
        }
    }
}
