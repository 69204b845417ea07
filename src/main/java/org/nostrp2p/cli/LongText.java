package org.nostrp2p.cli;

import org.nostrp2p.client.NodeClient;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * A post's text from the command line, standard input ("-") or a file: read at most one byte
 * more than a node takes in an event, so that a huge input is refused without being held, and
 * checked to be UTF-8.
 */
final class LongText {
    private LongText() {}

    static String of(List<String> words, Path file) {
        boolean stdin = words != null && words.equals(List.of("-"));
        boolean hasWords = words != null && !words.isEmpty() && !stdin;
        if (file != null && (hasWords || stdin)) throw new UserError("give the text, \"-\" or --file, not several", 2);
        if (file != null) {
            try (InputStream in = Files.newInputStream(file)) {
                return read(in, file.toString());
            } catch (NoSuchFileException e) {
                throw new UserError("no such file: " + file, 1);
            } catch (IOException e) {
                throw new UserError("cannot read " + file + ": " + e.getMessage(), 1);
            }
        }
        if (stdin) {
            try {
                return read(System.in, "standard input");
            } catch (IOException e) {
                throw new UserError("cannot read standard input: " + e.getMessage(), 1);
            }
        }
        if (!hasWords) throw new UserError("give the text to post, \"-\" to read it from standard input, or --file FILE", 2);
        return String.join(" ", words);
    }

    private static String read(InputStream in, String from) throws IOException {
        byte[] bytes = in.readNBytes(NodeClient.MAX_EVENT_BYTES + 1);
        if (bytes.length > NodeClient.MAX_EVENT_BYTES) {
            throw new UserError(from + " holds more than " + NodeClient.MAX_EVENT_BYTES
                    + " bytes: too long for one post (a node takes events of at most 128 KiB); nothing was sent", 1);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString().strip();
        } catch (CharacterCodingException e) {
            throw new UserError(from + " is not UTF-8 text", 1);
        }
    }
}
