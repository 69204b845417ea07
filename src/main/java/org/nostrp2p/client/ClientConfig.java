package org.nostrp2p.client;

import org.nostrp2p.event.KeyPair;
import org.nostrp2p.event.Nip19;
import org.nostrp2p.util.PrivateFiles;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * Where the client finds its user and its node. A config directory holds {@code user.nsec}
 * (the secret key, readable by the owner only) and {@code client.properties} ({@code node=URL}).
 * The key may instead come from $NOSTRP2P_NSEC; the node from a flag or $NOSTRP2P_NODE.
 */
public final class ClientConfig {
    public static final String KEY_FILE = "user.nsec";
    public static final String SETTINGS_FILE = "client.properties";
    public static final String NSEC_ENV = "NOSTRP2P_NSEC";
    public static final String NODE_ENV = "NOSTRP2P_NODE";
    public static final URI DEFAULT_NODE = URI.create("http://127.0.0.1:20001");

    private final Path dir;
    private final Map<String, String> env;

    public ClientConfig(Path dir, Map<String, String> env) {
        this.dir = dir;
        this.env = env;
    }

    /** $NOSTRP2P_CONFIG, else $XDG_CONFIG_HOME/nostrp2p, else ~/.config/nostrp2p. */
    public static Path defaultDir(Map<String, String> env) {
        if (notBlank(env.get("NOSTRP2P_CONFIG"))) return Path.of(env.get("NOSTRP2P_CONFIG"));
        if (notBlank(env.get("XDG_CONFIG_HOME"))) return Path.of(env.get("XDG_CONFIG_HOME"), "nostrp2p");
        return Path.of(System.getProperty("user.home"), ".config", "nostrp2p");
    }

    public Path dir() { return dir; }

    public Path keyFile() { return dir.resolve(KEY_FILE); }

    /** The user's key: $NOSTRP2P_NSEC if set, else the key file. */
    /** Whether a key is configured (a reader can do without one). */
    public boolean hasUser() {
        return notBlank(env.get(NSEC_ENV)) || Files.exists(keyFile());
    }

    public KeyPair user() {
        if (notBlank(env.get(NSEC_ENV))) return parseNsec(env.get(NSEC_ENV), "$" + NSEC_ENV);
        Path file = keyFile();
        if (!Files.exists(file)) {
            throw new ClientException("no key: " + file + " does not exist. Create one with 'nostrp2p init' "
                    + "(or set $" + NSEC_ENV + ")");
        }
        try {
            return parseNsec(Files.readString(file, StandardCharsets.US_ASCII), file.toString());
        } catch (IOException e) {
            throw new ClientException("cannot read " + file + ": " + e.getMessage());
        }
    }

    public boolean hasKeyFile() { return Files.exists(keyFile()); }

    /** The node's API: the flag, else $NOSTRP2P_NODE, else client.properties, else the default. */
    public URI node(String flag) {
        String value = notBlank(flag) ? flag : notBlank(env.get(NODE_ENV)) ? env.get(NODE_ENV) : settings().getProperty("node");
        return value == null ? DEFAULT_NODE : parseNode(value);
    }

    public static URI parseNode(String value) {
        String v = value.strip();
        if (!v.contains("://")) v = "http://" + v;
        try {
            URI u = URI.create(v.endsWith("/") ? v.substring(0, v.length() - 1) : v);
            if (!(u.getScheme().equals("http") || u.getScheme().equals("https")) || u.getHost() == null) throw new IllegalArgumentException();
            return u;
        } catch (IllegalArgumentException e) {
            throw new ClientException("not a node address: '" + value + "' (expected e.g. http://127.0.0.1:20001)");
        }
    }

    /** Writes the key file, owner-only from the first byte; never overwrites one. */
    public void saveKey(KeyPair user) {
        try {
            PrivateFiles.createDirectories(dir);
            Path file = keyFile();
            PrivateFiles.createFile(file);
            try (Writer w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
                w.write(user.nsec() + "\n");
            }
        } catch (FileAlreadyExistsException e) {
            throw new ClientException(keyFile() + " already exists; it is kept (remove it first to replace it)");
        } catch (IOException e) {
            throw new ClientException("cannot write " + keyFile() + ": " + e.getMessage());
        }
    }

    public void saveNode(URI node) {
        Properties p = settings();
        p.setProperty("node", node.toString());
        try {
            PrivateFiles.createDirectories(dir);
            Path tmp = dir.resolve(SETTINGS_FILE + ".tmp");
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(w, "NostrP2P client settings");
            }
            Files.move(tmp, dir.resolve(SETTINGS_FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ClientException("cannot write " + dir.resolve(SETTINGS_FILE) + ": " + e.getMessage());
        }
    }

    private Properties settings() {
        Properties p = new Properties();
        Path file = dir.resolve(SETTINGS_FILE);
        if (Files.exists(file)) {
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException | IllegalArgumentException e) {
                throw new ClientException("cannot read " + file + ": " + e.getMessage());
            }
        }
        return p;
    }

    public static KeyPair parseNsec(String value, String source) {
        try {
            String v = value.strip();
            byte[] secret = v.startsWith("nsec1") ? Nip19.decode(Nip19.NSEC, v) : java.util.HexFormat.of().parseHex(v);
            if (secret.length != 32) throw new IllegalArgumentException("a secret key is 32 bytes");
            return KeyPair.fromSecretKey(secret);
        } catch (RuntimeException e) {
            // no detail from the parsers: their messages may quote a character of the secret
            throw new ClientException(source + " does not hold a valid secret key (nsec1… or 64 hex characters)");
        }
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
