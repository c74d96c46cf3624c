package org.galerawarden.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.galerawarden.testing.ArbitratorAgent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.zeroturnaround.exec.ProcessExecutor;
import org.zeroturnaround.exec.ProcessResult;
import org.zeroturnaround.exec.StartedProcess;
import org.zeroturnaround.exec.stream.LogOutputStream;

/**
 * Starts the packaged agent ({@code target/quarkus-app/quarkus-run.jar}, so run {@code package} first) with
 * broken configurations and checks that each start fails, names the property and the fix, and writes no
 * state. One valid arbitrator configuration checks that the same base starts and stops. Every agent
 * listens on 127.0.0.1 and its peers point at unused loopback ports.
 */
class ConfigStartupIT {

    private static final Path REPO = Path.of(System.getProperty("warden.repo", ".")).toAbsolutePath().normalize();
    private static final Path JAR = REPO.resolve("target/quarkus-app/quarkus-run.jar");
    private static final Path WORK = REPO.resolve("target/config-startup-it");
    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final String DIR = "{dir}";
    private static final List<String> STATE_FILES = List.of("voter.json", "intents.jsonl", "audit.jsonl");
    private static final String INVALID_CONFIG = "invalid configuration, the agent takes no action:";
    private static final Pattern LISTENING = Pattern.compile("Listening on: http://127\\.0\\.0\\.1:(\\d+)");

    /**
     * A broken configuration: the changes to the valid arbitrator base (a null value removes the property)
     * and the texts the output must contain. {@value #DIR} stands for the case's directory.
     */
    record Broken(String name, Map<String, String> changes, List<String> expected) {

        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void requirePackagedJar() {
        assertTrue(Files.isRegularFile(JAR), JAR + " is missing; run ./mvnw package (or verify) first");
    }

    static Stream<Broken> brokenConfigs() {
        Map<String, String> noNode = new LinkedHashMap<>();
        noNode.put("warden.node-name", null);
        Map<String, String> selfNotPeer = new LinkedHashMap<>();
        selfNotPeer.put("warden.peers.arb.url", null);
        selfNotPeer.put("warden.peers.arb.role", null);
        return Stream.of(
                new Broken("missing node name", noNode, List.of(
                        "warden.node-name is missing; set it to this host's name as listed in warden.peers")),
                new Broken("peers without this node", selfNotPeer, List.of(
                        "warden.peers has no entry for this node 'arb' (found: n1, n2)",
                        "add warden.peers.arb.url and warden.peers.arb.role, or fix warden.node-name")),
                new Broken("unknown role", Map.of("warden.role", "witness"), List.of(
                        "warden.role 'witness' is unknown; use data or arbitrator")),
                new Broken("secret file missing", Map.of("warden.secret-file", DIR + "/absent-secret"), List.of(
                        "warden.secret-file: secret file " + DIR + "/absent-secret does not exist",
                        "create it with (umask 077 && openssl rand -hex 32 > " + DIR + "/absent-secret)")),
                new Broken("secret file mode 0644", Map.of("warden.secret-file", DIR + "/secret-0644"), List.of(
                        "warden.secret-file: secret file " + DIR + "/secret-0644 is readable by group or others"
                                + " (mode 0644); run chmod 600 on it")),
                new Broken("datadir missing for data node", Map.of("warden.node-name", "n1", "warden.role", "data",
                        "warden.db.datadir", DIR + "/no-datadir"), List.of(
                        "warden.db.datadir " + DIR + "/no-datadir does not exist or is not a directory",
                        "set it to the server's datadir (SELECT @@datadir)")),
                new Broken("lease under three polls", Map.of("warden.poll-interval", "1s",
                        "warden.recovery.peer-timeout", "100ms", "warden.recovery.lease-duration", "2s"), List.of(
                        "warden.recovery.lease-duration 2000 ms is shorter than three poll intervals (3000 ms)",
                        "raise it or lower warden.poll-interval")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenConfigs")
    void brokenConfigFailsStart(Broken broken) throws Exception {
        Path dir = caseDirectory(broken.name());
        Map<String, String> config = baseConfig(dir);
        broken.changes().forEach((key, value) -> {
            if (value == null) {
                config.remove(key);
            } else {
                config.put(key, value.replace(DIR, dir.toString()));
            }
        });
        Path file = writeConfig(dir, config);

        ProcessResult result;
        try {
            result = new ProcessExecutor().command(agentCommand(file)).directory(dir.toFile())
                    .redirectErrorStream(true).readOutput(true).timeout(LIMIT.toSeconds(), TimeUnit.SECONDS)
                    .execute();
        } catch (TimeoutException e) {
            fail("the agent with a broken configuration (" + broken.name() + ") still ran after "
                    + LIMIT.toSeconds() + " s");
            return;
        }
        String output = result.outputUTF8();

        assertNotEquals(0, result.getExitValue(), output);
        assertTrue(output.contains(INVALID_CONFIG), output);
        assertEquals(1, countProblems(output), "the base configuration must be valid apart from this case:\n"
                + output);
        assertFalse(LISTENING.matcher(output).find(), "the agent opened its HTTP port:\n" + output);
        for (String text : broken.expected()) {
            assertTrue(output.contains(text.replace(DIR, dir.toString())), "expected <" + text + "> in:\n" + output);
        }
        for (String name : STATE_FILES) {
            assertFalse(Files.exists(dir.resolve("state").resolve(name)), name + " was written");
        }
    }

    @Test
    void validArbitratorStartsAndStops() throws Exception {
        Path dir = caseDirectory("valid arbitrator");
        Path file = writeConfig(dir, baseConfig(dir));
        List<String> output = new CopyOnWriteArrayList<>();
        StartedProcess agent = startAgent(dir, file, output);
        try {
            int port = awaitPort(agent, output);
            HttpResponse<String> check = awaitArbitratorCheck(port);

            assertEquals(503, check.statusCode());
            assertEquals("arbitrator: this host serves no database\n", check.body());

            agent.getProcess().destroy();
            assertTrue(agent.getProcess().waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS),
                    "the agent did not exit within " + LIMIT.toSeconds() + " s of SIGTERM");
            assertFalse(agent.getProcess().isAlive());
        } finally {
            agent.getProcess().destroyForcibly();
        }
    }

    /**
     * Checks that the agent probes at the {@code warden.poll-interval} it was given, or rejects an interval it
     * cannot keep. The fencing deadline ("fence one poll early") and the health check's staleness limit
     * (three poll intervals) both assume the configured interval.
     */
    @Test
    void subSecondPollIntervalKept() throws Exception {
        Path dir = caseDirectory("sub-second poll interval");
        Map<String, String> config = baseConfig(dir);
        config.put("warden.poll-interval", "500ms");
        Path file = writeConfig(dir, config);
        List<String> output = new CopyOnWriteArrayList<>();
        StartedProcess agent = startAgent(dir, file, output);
        try {
            int port = awaitPortOrExit(agent, output);
            if (port < 0) {
                assertNotEquals(0, agent.getProcess().exitValue());
                assertTrue(String.join("\n", output).contains("warden.poll-interval"), String.join("\n", output));
                return;
            }
            String secret = Files.readString(dir.resolve("secret")).strip();
            List<Instant> probes = sampleProbeTimes(port, secret, Duration.ofSeconds(4));

            assertTrue(probes.size() >= 3, "too few probes to measure: " + probes);
            for (int i = 1; i < probes.size(); i++) {
                Duration gap = Duration.between(probes.get(i - 1), probes.get(i));
                assertTrue(gap.toMillis() < 750, "probes " + gap.toMillis() + " ms apart with a 500 ms poll"
                        + " interval: " + probes);
            }
        } finally {
            agent.getProcess().destroyForcibly();
            agent.getProcess().waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    /** Returns the distinct snapshot times that {@code GET /status} reports while polling it for {@code span}. */
    private static List<Instant> sampleProbeTimes(int port, String secret, Duration span)
            throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/status"))
                .header("Authorization", "Bearer " + secret).timeout(Duration.ofSeconds(5)).GET().build();
        ObjectMapper json = new ObjectMapper();
        List<Instant> probes = new ArrayList<>();
        long deadline = System.nanoTime() + span.toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode takenAt = json.readTree(response.body()).path("snapshot").path("takenAt");
            if (takenAt.isTextual()) {
                Instant probe = Instant.parse(takenAt.asText());
                if (probes.isEmpty() || !probes.get(probes.size() - 1).equals(probe)) {
                    probes.add(probe);
                }
            }
            Thread.sleep(50);
        }
        return probes;
    }

    private static StartedProcess startAgent(Path dir, Path config, List<String> output) throws IOException {
        return new ProcessExecutor().command(agentCommand(config)).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(new LogOutputStream() {
                    @Override
                    protected void processLine(String line) {
                        output.add(line);
                    }
                }).start();
    }

    private static int awaitPort(StartedProcess agent, List<String> output) throws Exception {
        int port = awaitPortOrExit(agent, output);
        if (port < 0) {
            fail("the agent exited with " + agent.getProcess().exitValue() + " before listening:\n"
                    + String.join("\n", output));
        }
        return port;
    }

    /** Returns the HTTP port from the agent's start message, or -1 when the agent exits first. */
    private static int awaitPortOrExit(StartedProcess agent, List<String> output) throws Exception {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : output) {
                Matcher matcher = LISTENING.matcher(line);
                if (matcher.find()) {
                    return Integer.parseInt(matcher.group(1));
                }
            }
            if (!agent.getProcess().isAlive()) {
                // The future completes once the output pump has copied the last lines.
                agent.getFuture().get(LIMIT.toSeconds(), TimeUnit.SECONDS);
                return output.stream().map(LISTENING::matcher).filter(Matcher::find).findFirst()
                        .map(matcher -> Integer.parseInt(matcher.group(1))).orElse(-1);
            }
            Thread.sleep(100);
        }
        fail("the agent did not report its port within " + LIMIT.toSeconds() + " s:\n" + String.join("\n", output));
        return -1;
    }

    /** Polls GET / until the agent's first snapshot replaces the "starting" response. */
    private static HttpResponse<String> awaitArbitratorCheck(int port) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        long deadline = System.nanoTime() + LIMIT.toNanos();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        while (response.body().startsWith("starting") && System.nanoTime() < deadline) {
            Thread.sleep(100);
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        }
        return response;
    }

    /** Counts the problem lines ("  - ...") that follow the first invalid-configuration message. */
    private static int countProblems(String output) {
        String after = output.substring(output.indexOf(INVALID_CONFIG) + INVALID_CONFIG.length());
        int problems = 0;
        for (String line : after.lines().skip(1).toList()) {
            if (!line.startsWith("  - ")) {
                break;
            }
            problems++;
        }
        return problems;
    }

    private static List<String> agentCommand(Path config) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Dquarkus.config.locations=" + config);
        command.add("-Dquarkus.http.port=0");
        command.add("-jar");
        command.add(JAR.toString());
        return command;
    }

    /** Returns a fresh directory with a state directory, a 0600 secret and a 0644 copy of it. */
    private static Path caseDirectory(String name) throws IOException {
        Path dir = WORK.resolve(name.replace(' ', '-'));
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
        Files.createDirectories(dir.resolve("state"));
        ArbitratorAgent.writeSecret(dir.resolve("secret"));
        Path loose = dir.resolve("secret-0644");
        Files.copy(dir.resolve("secret"), loose);
        Files.setPosixFilePermissions(loose, PosixFilePermissions.fromString("rw-r--r--"));
        return dir;
    }

    /** Returns a valid arbitrator configuration for {@code dir}, whose peers point at unused ports. */
    private static Map<String, String> baseConfig(Path dir) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("quarkus.http.host", "127.0.0.1");
        config.put("warden.node-name", "arb");
        config.put("warden.role", "arbitrator");
        config.put("warden.peers.arb.url", "http://127.0.0.1:" + ArbitratorAgent.unusedPort());
        config.put("warden.peers.arb.role", "arbitrator");
        config.put("warden.peers.n1.url", "http://127.0.0.1:" + ArbitratorAgent.unusedPort());
        config.put("warden.peers.n1.role", "data");
        config.put("warden.peers.n2.url", "http://127.0.0.1:" + ArbitratorAgent.unusedPort());
        config.put("warden.peers.n2.role", "data");
        config.put("warden.state-dir", dir.resolve("state").toString());
        config.put("warden.secret-file", dir.resolve("secret").toString());
        return config;
    }

    private static Path writeConfig(Path dir, Map<String, String> config) throws IOException {
        StringBuilder text = new StringBuilder();
        config.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        Path file = dir.resolve("agent.properties");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }
}
