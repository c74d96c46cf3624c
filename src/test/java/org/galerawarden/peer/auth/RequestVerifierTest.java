package org.galerawarden.peer.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.galerawarden.peer.auth.RequestSigner.SignedHeaders;
import org.galerawarden.peer.auth.RequestVerifier.Verification;
import org.galerawarden.peer.auth.RequestVerifier.Verification.Accepted;
import org.galerawarden.peer.auth.RequestVerifier.Verification.Problem;
import org.galerawarden.peer.auth.RequestVerifier.Verification.Rejected;
import org.galerawarden.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestVerifierTest {

    private static final String SECRET_TEXT = "0123456789abcdef0123456789abcdef";
    private static final byte[] SECRET = SECRET_TEXT.getBytes(StandardCharsets.US_ASCII);
    private static final Duration MAX_SKEW = Duration.ofSeconds(30);
    private static final Set<String> PEERS = Set.of("db1", "db2", "arb");
    private static final String PATH = "/v1/vote?term=3";
    private static final byte[] BODY = "{\"term\":3,\"candidate\":\"db1\"}".getBytes(StandardCharsets.UTF_8);

    private final MutableClock clock = MutableClock.at("2025-01-01T00:00:00Z");
    private final AtomicLong nonceCounter = new AtomicLong();
    private final RequestSigner signer = new RequestSigner(SECRET, clock, this::nextNonce);
    private final ReplayGuard guard = ReplayGuard.forSkew(clock, MAX_SKEW);
    private final RequestVerifier verifier = new RequestVerifier(SECRET, PEERS, clock, MAX_SKEW, guard);

    /** A request as the server receives it. */
    private record Request(String method, String path, byte[] body, Map<String, String> headers) {

        Request withHeader(String name, String value) {
            Map<String, String> changed = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            changed.putAll(headers);
            if (value == null) {
                changed.remove(name);
            } else {
                changed.put(name, value);
            }
            return new Request(method, path, body, changed);
        }
    }

    private String nextNonce() {
        return String.format("nonce-%010d", nonceCounter.incrementAndGet());
    }

    private Request signed(String sender, String method, String path, byte[] body) {
        return received(signer.sign(sender, method, path, body), method, path, body);
    }

    private static Request received(SignedHeaders headers, String method, String path, byte[] body) {
        Map<String, String> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        map.putAll(headers.asMap());
        return new Request(method, path, body, map);
    }

    private Request signedVote() {
        return signed("db1", "POST", PATH, BODY);
    }

    private Verification verify(Request request) {
        return verifier.verify(request.method(), request.path(), request.body(), request.headers()::get);
    }

    private Rejected assertRejected(Problem expected, Request request) {
        Rejected rejected = assertInstanceOf(Rejected.class, verify(request));
        assertEquals(expected, rejected.problem(), rejected.reason());
        assertFalse(rejected.reason().contains(SECRET_TEXT), rejected.reason());
        return rejected;
    }

    @Test
    void roundTripAccepts() {
        Request request = signedVote();

        Accepted accepted = assertInstanceOf(Accepted.class, verify(request));

        assertEquals("db1", accepted.sender());
        assertEquals(request.headers().get(RequestSigner.NONCE_HEADER), accepted.nonce());
    }

    @Test
    void headerLookupIgnoresCase() {
        Request request = signedVote();
        Map<String, String> lowerCase = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        request.headers().forEach((name, value) -> lowerCase.put(name.toLowerCase(), value));

        Verification verification = verify(new Request("POST", PATH, BODY, lowerCase));

        assertInstanceOf(Accepted.class, verification);
    }

    static Stream<Arguments> alterations() {
        byte[] otherBody = "{\"term\":4,\"candidate\":\"db1\"}".getBytes(StandardCharsets.UTF_8);
        return Stream.of(
                Arguments.of("body", (UnaryOperator<Request>) r -> new Request(r.method(), r.path(), otherBody,
                        r.headers())),
                Arguments.of("empty body", (UnaryOperator<Request>) r -> new Request(r.method(), r.path(), null,
                        r.headers())),
                Arguments.of("path", (UnaryOperator<Request>) r -> new Request(r.method(), "/v1/lease?term=3",
                        r.body(), r.headers())),
                Arguments.of("query", (UnaryOperator<Request>) r -> new Request(r.method(), "/v1/vote?term=4",
                        r.body(), r.headers())),
                Arguments.of("method", (UnaryOperator<Request>) r -> new Request("PUT", r.path(), r.body(),
                        r.headers())),
                Arguments.of("sender", (UnaryOperator<Request>) r -> r.withHeader(RequestSigner.NODE_HEADER, "db2")),
                Arguments.of("timestamp", (UnaryOperator<Request>) r -> r.withHeader(RequestSigner.TIMESTAMP_HEADER,
                        Long.toString(Long.parseLong(r.headers().get(RequestSigner.TIMESTAMP_HEADER)) + 1))),
                Arguments.of("nonce", (UnaryOperator<Request>) r -> r.withHeader(RequestSigner.NONCE_HEADER,
                        "nonce-9999999999")),
                Arguments.of("signature", (UnaryOperator<Request>) r -> r.withHeader(RequestSigner.SIGNATURE_HEADER,
                        "0".repeat(64))),
                Arguments.of("uppercase signature", (UnaryOperator<Request>) r -> r.withHeader(
                        RequestSigner.SIGNATURE_HEADER, r.headers().get(RequestSigner.SIGNATURE_HEADER).toUpperCase())),
                Arguments.of("truncated signature", (UnaryOperator<Request>) r -> r.withHeader(
                        RequestSigner.SIGNATURE_HEADER, r.headers().get(RequestSigner.SIGNATURE_HEADER).substring(1))));
    }

    @ParameterizedTest(name = "changed {0}")
    @MethodSource("alterations")
    void changedRequestRejected(String field, UnaryOperator<Request> alteration) {
        Request original = signedVote();

        Rejected rejected = assertRejected(Problem.BAD_SIGNATURE, alteration.apply(original));

        assertTrue(rejected.reason().contains("signature of the request from node"), rejected.reason());
        assertTrue(rejected.reason().contains("same secret file"), rejected.reason());
        String expected = original.headers().get(RequestSigner.SIGNATURE_HEADER);
        assertFalse(rejected.reason().contains(expected), "reason reveals a valid signature");
    }

    @Test
    void wrongSecretRejected() {
        byte[] otherSecret = "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII);
        RequestSigner forger = new RequestSigner(otherSecret, clock, this::nextNonce);

        Request forged = received(forger.sign("db1", "POST", PATH, BODY), "POST", PATH, BODY);

        assertRejected(Problem.BAD_SIGNATURE, forged);
    }

    @Test
    void forgedRequestLeavesNonceUnrecorded() {
        Request original = signedVote();
        Request forged = new Request("POST", PATH, "{}".getBytes(StandardCharsets.UTF_8), original.headers());

        assertRejected(Problem.BAD_SIGNATURE, forged);

        assertInstanceOf(Accepted.class, verify(original));
        assertEquals(1, guard.size());
    }

    @Test
    void replayRejected() {
        Request request = signedVote();
        assertInstanceOf(Accepted.class, verify(request));

        clock.advance(Duration.ofSeconds(10));
        Rejected rejected = assertRejected(Problem.REPLAYED, request);

        assertTrue(rejected.reason().contains("nonce-0000000001"), rejected.reason());
        assertTrue(rejected.reason().contains("db1"), rejected.reason());
    }

    @Test
    void nonceAcceptedAgainAfterWindow() {
        RequestSigner fixedNonce = new RequestSigner(SECRET, clock, () -> "nonce-0000000042");
        Request first = received(fixedNonce.sign("db1", "POST", PATH, BODY), "POST", PATH, BODY);
        assertInstanceOf(Accepted.class, verify(first));

        clock.advance(MAX_SKEW.multipliedBy(2));
        Request sameNonceInWindow = received(fixedNonce.sign("db1", "POST", PATH, BODY), "POST", PATH, BODY);
        assertRejected(Problem.REPLAYED, sameNonceInWindow);

        clock.advance(Duration.ofMillis(1));
        Request sameNonceLater = received(fixedNonce.sign("db1", "POST", PATH, BODY), "POST", PATH, BODY);
        assertInstanceOf(Accepted.class, verify(sameNonceLater));
    }

    @Test
    void timestampAtSkewLimitAccepted() {
        Request request = signedVote();

        clock.advance(MAX_SKEW);

        assertInstanceOf(Accepted.class, verify(request));
    }

    @Test
    void expiredTimestampRejected() {
        Request request = signedVote();

        clock.advance(MAX_SKEW.plusSeconds(15));
        Rejected rejected = assertRejected(Problem.EXPIRED, request);

        assertTrue(rejected.reason().contains("expired"), rejected.reason());
        assertTrue(rejected.reason().contains("45 s behind"), rejected.reason());
        assertTrue(rejected.reason().contains("allowed skew of 30 s"), rejected.reason());
        assertTrue(rejected.reason().contains("NTP"), rejected.reason());
    }

    @Test
    void futureTimestampRejected() {
        clock.advance(MAX_SKEW.plusMillis(500));
        Request request = signedVote();

        clock.advance(MAX_SKEW.plusMillis(500).negated());
        Rejected rejected = assertRejected(Problem.FROM_FUTURE, request);

        assertTrue(rejected.reason().contains("from the future"), rejected.reason());
        assertTrue(rejected.reason().contains("30.5 s ahead"), rejected.reason());
        assertTrue(rejected.reason().contains("allowed skew of 30 s"), rejected.reason());
        assertTrue(rejected.reason().contains("NTP"), rejected.reason());
    }

    @Test
    void rejectedTimestampLeavesNonceUnrecorded() {
        Request request = signedVote();
        clock.advance(MAX_SKEW.plusSeconds(1));

        assertRejected(Problem.EXPIRED, request);

        assertEquals(0, guard.size());
    }

    @Test
    void unknownSenderRejected() {
        Request request = signed("db9", "POST", PATH, BODY);

        Rejected rejected = assertRejected(Problem.UNKNOWN_SENDER, request);

        assertTrue(rejected.reason().contains("'db9'"), rejected.reason());
        assertTrue(rejected.reason().contains("warden.peers"), rejected.reason());
    }

    @Test
    void longUnknownSenderShortened() {
        Request request = signedVote().withHeader(RequestSigner.NODE_HEADER, "x".repeat(500) + "\u0007");

        Rejected rejected = assertRejected(Problem.UNKNOWN_SENDER, request);

        assertTrue(rejected.reason().contains("'" + "x".repeat(64) + "...'"), rejected.reason());
        assertFalse(rejected.reason().contains("x".repeat(65)), rejected.reason());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"X-Warden-Node", "X-Warden-Timestamp", "X-Warden-Nonce", "X-Warden-Signature"})
    void missingHeaderRejected(String header) {
        Request request = signedVote().withHeader(header, null);

        Rejected rejected = assertRejected(Problem.MISSING_HEADER, request);

        assertTrue(rejected.reason().contains("missing header " + header), rejected.reason());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"X-Warden-Node", "X-Warden-Timestamp", "X-Warden-Nonce", "X-Warden-Signature"})
    void blankHeaderRejected(String header) {
        Request request = signedVote().withHeader(header, " ");

        Rejected rejected = assertRejected(Problem.MISSING_HEADER, request);

        assertTrue(rejected.reason().contains(header), rejected.reason());
    }

    @Test
    void unsignedRequestNamesEveryHeader() {
        Request request = new Request("GET", "/v1/state", null, Map.of());

        Rejected rejected = assertRejected(Problem.MISSING_HEADER, request);

        assertTrue(rejected.reason().contains("missing headers X-Warden-Node, X-Warden-Timestamp, X-Warden-Nonce,"
                + " X-Warden-Signature"), rejected.reason());
    }

    @ParameterizedTest(name = "timestamp \"{0}\"")
    @ValueSource(strings = {"yesterday", "1.7e12", "-1", "99999999999999999999", "0x10"})
    void malformedTimestampRejected(String timestamp) {
        Request request = signedVote().withHeader(RequestSigner.TIMESTAMP_HEADER, timestamp);

        Rejected rejected = assertRejected(Problem.MALFORMED_TIMESTAMP, request);

        assertTrue(rejected.reason().contains("'" + timestamp + "'"), rejected.reason());
        assertTrue(rejected.reason().contains("milliseconds since the epoch"), rejected.reason());
    }

    @ParameterizedTest(name = "nonce \"{0}\"")
    @ValueSource(strings = {"short", "nonce with spaces 00", "nonce/0000000000001"})
    void malformedNonceRejected(String nonce) {
        Request request = signedVote().withHeader(RequestSigner.NONCE_HEADER, nonce);

        Rejected rejected = assertRejected(Problem.MALFORMED_NONCE, request);

        assertTrue(rejected.reason().contains(RequestSigner.NONCE_HEADER), rejected.reason());
    }

    @Test
    void replayCacheCapRejects() {
        ReplayGuard smallGuard = new ReplayGuard(clock, MAX_SKEW.multipliedBy(2), 2);
        RequestVerifier capped = new RequestVerifier(SECRET, PEERS, clock, MAX_SKEW, smallGuard);
        Request first = signedVote();
        Request second = signedVote();
        Request third = signedVote();

        assertInstanceOf(Accepted.class, capped.verify("POST", PATH, BODY, first.headers()::get));
        assertInstanceOf(Accepted.class, capped.verify("POST", PATH, BODY, second.headers()::get));
        Rejected rejected = assertInstanceOf(Rejected.class, capped.verify("POST", PATH, BODY, third.headers()::get));

        assertEquals(Problem.REPLAY_CACHE_FULL, rejected.problem());
        assertTrue(rejected.reason().contains("replay cache full"), rejected.reason());
        assertTrue(rejected.reason().contains("contains 2 nonces from the last 60 s"), rejected.reason());
        Verification replay = capped.verify("POST", PATH, BODY, first.headers()::get);
        assertEquals(Problem.REPLAYED, assertInstanceOf(Rejected.class, replay).problem());
    }

    @Test
    void shortGuardRetentionRejected() {
        ReplayGuard shortGuard = new ReplayGuard(clock, MAX_SKEW, ReplayGuard.DEFAULT_CAPACITY);

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> new RequestVerifier(SECRET, PEERS, clock, MAX_SKEW, shortGuard));

        assertTrue(error.getMessage().contains("ReplayGuard.forSkew"), error.getMessage());
    }
}
