package org.nostrp2p.util;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files only their owner may read: the node's store holds the node's secret key, a client
 * directory the user's. Created owner-only from the first byte (not chmod-ed after, which
 * leaves a window), on file systems that have POSIX permissions.
 */
public final class PrivateFiles {
    private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private PrivateFiles() {}

    /** Creates the directory and any missing parents as 0700; an existing one is left as it is. */
    public static void createDirectories(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath();
        if (Files.isDirectory(absolute)) return;
        Path parent = absolute.getParent();
        if (parent != null) createDirectories(parent);
        try {
            Files.createDirectory(absolute, PosixFilePermissions.asFileAttribute(DIR));
        } catch (FileAlreadyExistsException raced) {
            // made by someone else meanwhile: fine
        } catch (UnsupportedOperationException notPosix) {
            Files.createDirectories(absolute);
        }
    }

    /** Creates an empty 0600 file; FileAlreadyExistsException if there is one. */
    public static void createFile(Path file) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        }
    }

    /** Creates an empty 0600 file if there is none; an existing one is made 0600 (it is ours). */
    public static void createOrRestrict(Path file) throws IOException {
        try {
            createFile(file);
        } catch (FileAlreadyExistsException exists) {
            try {
                Files.setPosixFilePermissions(file, FILE);
            } catch (UnsupportedOperationException notPosix) {
                // nothing to restrict
            }
        }
    }
}
