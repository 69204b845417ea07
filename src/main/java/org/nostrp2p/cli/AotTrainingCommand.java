package org.nostrp2p.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.nostrp2p.api.EventsMsgpack;
import org.nostrp2p.event.Event;
import org.nostrp2p.event.EventSigner;
import org.nostrp2p.event.KeyPair;
import org.nostrp2p.event.Kinds;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * What the launcher runs once per build, in the background, to make the AOT cache client
 * commands start from (./nostrp2p, JDK 25+): a `post` and a `timeline` against a stand-in node
 * on loopback, under a throwaway key, so that the cache holds the classes a real command loads
 * (picocli, the key file, signing, the HTTP client, JSON, MessagePack, the printer). Nothing
 * leaves the machine and nothing of the user's is touched. Hidden from help.
 */
@Command(name = "aot-training", hidden = true)
final class AotTrainingCommand implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
        EventSigner user = new EventSigner(KeyPair.generate());
        List<Event> held = new ArrayList<>();
        held.add(user.sign(Kinds.PROFILE, List.of(), "{\"name\":\"training\"}"));
        for (int i = 0; i < 20; i++) held.add(user.sign(Kinds.POST, List.of(List.of("t", "training")), "post " + i));
        HttpServer node = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        node.createContext("/publish", ex -> answer(ex, "application/json", "{\"Status\":\"SUCCESS\"}".getBytes(StandardCharsets.UTF_8)));
        node.createContext("/req", ex -> answer(ex, "application/octet-stream", EventsMsgpack.encode(held)));
        node.start();
        Path config = Files.createTempDirectory("nostrp2p-aot-training");
        PrintStream out = System.out;
        try {
            Files.writeString(config.resolve("user.nsec"), user.keys().nsec() + "\n");
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            String url = "http://127.0.0.1:" + node.getAddress().getPort();
            Main.run("post", "-c", config.toString(), "--node", url, "training");
            Main.run("timeline", "-c", config.toString(), "--node", url, "-n", "20");
            return 0;
        } finally {
            System.setOut(out);
            node.stop(0);
            Files.deleteIfExists(config.resolve("user.nsec"));
            Files.deleteIfExists(config.resolve("client.properties"));
            Files.deleteIfExists(config);
        }
    }

    private static void answer(HttpExchange ex, String type, byte[] body) throws IOException {
        ex.getRequestBody().readAllBytes();
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(body);
        }
    }
}
