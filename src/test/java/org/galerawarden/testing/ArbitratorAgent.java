package org.galerawarden.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.galerawarden.peer.auth.InvalidSecretException;
import org.galerawarden.peer.auth.SecretFile;

/**
 * Files and settings of an arbitrator agent named {@value #NODE} whose data peers {@code n1} and {@code n2}
 * point at loopback ports that nothing listens on. The arbitrator needs no database, so it runs inside
 * {@code @QuarkusTest}. Each directory is wiped and prepared once per JVM, because Quarkus may read a
 * profile's overrides more than once.
 */
public final class ArbitratorAgent {

    /** The agent's node name. */
    public static final String NODE = "arb";

    private static final Map<Path, Map<String, String>> PREPARED = new ConcurrentHashMap<>();

    private ArbitratorAgent() {
    }

    /**
     * Wipes {@code directory}, writes a new 0600 secret file into it and returns the config overrides of the
     * arbitrator, with {@code extra} on top. Later calls with the same directory return the first result.
     */
    public static Map<String, String> overrides(Path directory, Map<String, String> extra) {
        return PREPARED.computeIfAbsent(directory.toAbsolutePath(), dir -> prepare(dir, extra));
    }

    /** Returns the state directory below {@code directory}. */
    public static Path stateDir(Path directory) {
        return directory.toAbsolutePath().resolve("state");
    }

    /** Returns the secret file below {@code directory}. */
    public static Path secretFile(Path directory) {
        return directory.toAbsolutePath().resolve("secret");
    }

    /** Reads the shared secret that {@link #overrides} wrote. */
    public static byte[] secret(Path directory) {
        try {
            return SecretFile.load(secretFile(directory));
        } catch (InvalidSecretException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Writes a random 64-character hex secret to a new file with mode 0600. */
    public static void writeSecret(Path file) throws IOException {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, HexFormat.of().formatHex(random) + "\n", StandardCharsets.US_ASCII);
    }

    /** Returns a loopback port that was free a moment ago, so nothing listens on it afterwards. */
    public static int unusedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("finding an unused loopback port failed", e);
        }
    }

    private static Map<String, String> prepare(Path directory, Map<String, String> extra) {
        try {
            deleteRecursively(directory);
            Files.createDirectories(stateDir(directory));
            writeSecret(secretFile(directory));
        } catch (IOException e) {
            throw new UncheckedIOException("preparing the agent directory " + directory + " failed", e);
        }
        Map<String, String> config = new LinkedHashMap<>();
        config.put("quarkus.http.host", "127.0.0.1");
        config.put("warden.node-name", NODE);
        config.put("warden.role", "arbitrator");
        config.put("warden.peers." + NODE + ".url", "http://127.0.0.1:" + unusedPort());
        config.put("warden.peers." + NODE + ".role", "arbitrator");
        config.put("warden.peers.n1.url", "http://127.0.0.1:" + unusedPort());
        config.put("warden.peers.n1.role", "data");
        config.put("warden.peers.n2.url", "http://127.0.0.1:" + unusedPort());
        config.put("warden.peers.n2.role", "data");
        config.put("warden.state-dir", stateDir(directory).toString());
        config.put("warden.secret-file", secretFile(directory).toString());
        config.putAll(extra);
        return Map.copyOf(config);
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
