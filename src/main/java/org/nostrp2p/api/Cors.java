package org.nostrp2p.api;

import io.netty.handler.codec.http.HttpHeaders;

/**
 * Cross-origin headers on every answer: browser clients (Flutter web) call the node from public
 * origins to a private address, which also needs Private Network Access's allow header.
 */
final class Cors {
    private static final String ALLOWED_HEADERS = String.join(", ",
            "Accept", "Accept-Encoding", "Content-Type", "Access-Control-Request-Headers",
            "Access-Control-Request-Method", "Access-Control-Request-Private-Network",
            "Origin", "Referer", "User-Agent");

    private Cors() {}

    static void apply(HttpHeaders request, HttpHeaders response) {
        String origin = request.get("Origin");
        response.set("Access-Control-Allow-Origin", origin == null || origin.isBlank() ? "*" : origin);
        if (origin != null && !origin.isBlank()) response.set("Vary", "Origin");
        response.set("Access-Control-Allow-Methods", "POST, OPTIONS");
        response.set("Access-Control-Allow-Headers", ALLOWED_HEADERS);
        response.set("Access-Control-Allow-Private-Network", "true");
        response.set("Access-Control-Max-Age", "3600");
    }
}
