package org.nostrp2p.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A minimal HTTP/1.1 keep-alive client for load generation, in the spirit of wrk: one socket,
 * pre-built request bytes, answers read by Content-Length. It costs the shared CPU far less
 * than java.net.http, so a benchmark measures the node rather than its client.
 */
final class RawHttpClient implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final String hostHeader;
    private long lastBodyLength;

    RawHttpClient(String host, int port) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(host, port), 5_000);
        socket.setSoTimeout(30_000);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        hostHeader = host + ":" + port;
    }

    /** The bytes of a POST with a JSON body, built once and sent many times. */
    byte[] postRequest(String path, byte[] body, boolean acceptGzip) {
        String head = "POST " + path + " HTTP/1.1\r\nHost: " + hostHeader + "\r\nContent-Type: application/json\r\n"
                + (acceptGzip ? "Accept-Encoding: gzip, deflate\r\n" : "")
                + "Content-Length: " + body.length + "\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] req = new byte[h.length + body.length];
        System.arraycopy(h, 0, req, 0, h.length);
        System.arraycopy(body, 0, req, h.length, body.length);
        return req;
    }

    /** Sends a request and reads the whole answer; returns the status code. */
    int exchange(byte[] request) throws IOException {
        out.write(request);
        out.flush();
        String status = readLine();
        if (status == null || !status.startsWith("HTTP/1.1 ")) throw new IOException("bad status line: " + status);
        int code = Integer.parseInt(status.substring(9, 12));
        long length = -1;
        for (String line = readLine(); line != null && !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).equalsIgnoreCase("Content-Length")) {
                length = Long.parseLong(line.substring(colon + 1).trim());
            }
        }
        if (length < 0 && code != 204) throw new IOException("answer without Content-Length");
        lastBodyLength = Math.max(length, 0);
        in.skipNBytes(lastBodyLength);
        return code;
    }

    long lastBodyLength() { return lastBodyLength; }

    private String readLine() throws IOException {
        StringBuilder sb = new StringBuilder(64);
        for (int c = in.read(); c != -1; c = in.read()) {
            if (c == '\n') {
                int n = sb.length();
                return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
            }
            sb.append((char) c);
        }
        return sb.isEmpty() ? null : sb.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
