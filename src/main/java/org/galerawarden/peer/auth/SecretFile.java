package org.galerawarden.peer.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Set;

/**
 * Loader for the shared secret that signs peer requests and replies. The secret is the file's bytes with trailing
 * ASCII whitespace removed, so a file written by {@code openssl rand -hex 32 > FILE} yields 64 bytes.
 */
public final class SecretFile {

    /** Minimum secret length in bytes after trimming. */
    public static final int MIN_BYTES = 16;

    /** Maximum file size in bytes, so that a setting pointing at the wrong file fails fast. */
    public static final int MAX_FILE_BYTES = 4096;

    private SecretFile() {
    }

    /**
     * Reads the secret and checks that only the file's owner can read or write it.
     *
     * @return the file's bytes without trailing whitespace, at least {@link #MIN_BYTES} long
     * @throws InvalidSecretException if the file is missing, not a regular file, readable or writable by group or
     *         others, larger than {@link #MAX_FILE_BYTES}, unreadable, empty or shorter than {@link #MIN_BYTES}
     */
    public static byte[] load(Path file) throws InvalidSecretException {
        PosixFileAttributes attributes = readAttributes(file);
        if (!attributes.isRegularFile()) {
            String kind = attributes.isDirectory() ? "a directory" : "not a regular file";
            throw new InvalidSecretException("secret file " + file + " is " + kind
                    + "; point the setting at the regular file that contains the secret");
        }
        checkPermissions(file, attributes.permissions());
        if (attributes.size() > MAX_FILE_BYTES) {
            throw new InvalidSecretException("secret file " + file + " is " + attributes.size()
                    + " bytes, more than the maximum of " + MAX_FILE_BYTES
                    + "; check that the setting points at the secret and not at another file");
        }
        byte[] content = read(file);
        byte[] secret = trimTrailingWhitespace(content);
        Arrays.fill(content, (byte) 0);
        if (secret.length == 0) {
            throw new InvalidSecretException("secret file " + file + " is empty; " + howToCreate(file));
        }
        if (secret.length < MIN_BYTES) {
            throw new InvalidSecretException("secret file " + file + " contains " + secret.length
                    + " bytes, fewer than the minimum of " + MIN_BYTES + "; " + howToCreate(file));
        }
        return secret;
    }

    private static PosixFileAttributes readAttributes(Path file) throws InvalidSecretException {
        try {
            return Files.readAttributes(file, PosixFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new InvalidSecretException("secret file " + file + " does not exist; " + howToCreate(file), e);
        } catch (UnsupportedOperationException e) {
            throw new InvalidSecretException("secret file " + file + " is on a file system without POSIX"
                    + " permissions, so the agent cannot check that only its user can read it;"
                    + " move the file to a POSIX file system", e);
        } catch (IOException e) {
            throw new InvalidSecretException("cannot read the attributes of secret file " + file + ": " + e
                    + "; check that the agent's user can access the file and its directories", e);
        }
    }

    private static void checkPermissions(Path file, Set<PosixFilePermission> permissions)
            throws InvalidSecretException {
        boolean readable = permissions.contains(PosixFilePermission.GROUP_READ)
                || permissions.contains(PosixFilePermission.OTHERS_READ);
        boolean writable = permissions.contains(PosixFilePermission.GROUP_WRITE)
                || permissions.contains(PosixFilePermission.OTHERS_WRITE);
        if (!readable && !writable) {
            return;
        }
        String access = readable && writable ? "readable and writable" : readable ? "readable" : "writable";
        throw new InvalidSecretException("secret file " + file + " is " + access + " by group or others (mode "
                + octalMode(permissions) + "); run chmod 600 on it");
    }

    /** Formats permissions the way {@code ls} and {@code chmod} do, e.g. {@code 0644}. */
    static String octalMode(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (PosixFilePermission permission : permissions) {
            // PosixFilePermission declares OWNER_READ first and OTHERS_EXECUTE last, matching bits 8 down to 0.
            mode |= 1 << (8 - permission.ordinal());
        }
        return String.format("%04o", mode);
    }

    private static byte[] read(Path file) throws InvalidSecretException {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InvalidSecretException("cannot read secret file " + file + ": " + e
                    + "; check that the file belongs to the user the agent runs as", e);
        }
    }

    private static byte[] trimTrailingWhitespace(byte[] content) {
        int end = content.length;
        while (end > 0 && isAsciiWhitespace(content[end - 1])) {
            end--;
        }
        return Arrays.copyOf(content, end);
    }

    private static boolean isAsciiWhitespace(byte value) {
        return value == ' ' || value == '\t' || value == '\n' || value == '\r' || value == '\f' || value == 0x0B;
    }

    private static String howToCreate(Path file) {
        return "create it with (umask 077 && openssl rand -hex 32 > " + file
                + ") and copy the same file to every node";
    }
}
