package org.nostrp2p.client;

import java.net.http.WebSocket;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A WebSocket listener that hands on whole text messages: the JDK's WebSocket may deliver one
 * in parts. Used by every client of a node's relay endpoint (the CLI, tests, benchmarks).
 */
public final class WholeMessages implements WebSocket.Listener {
    private final Consumer<String> onMessage;
    private final Runnable onClose;
    private final StringBuilder partial = new StringBuilder();

    public WholeMessages(Consumer<String> onMessage, Runnable onClose) {
        this.onMessage = onMessage;
        this.onClose = onClose;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String whole = partial.toString();
            partial.setLength(0);
            onMessage.accept(whole);
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        onClose.run();
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        onClose.run();
    }
}
