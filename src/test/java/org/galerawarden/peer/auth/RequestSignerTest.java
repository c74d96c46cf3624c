package org.galerawarden.peer.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.galerawarden.peer.auth.RequestSigner.SignedHeaders;
import org.galerawarden.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestSignerTest {

    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OTHER_SECRET = "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BODY = "{\"term\":3}".getBytes(StandardCharsets.UTF_8);
    private static final String NONCE = "nonce-0000000001";

    private final MutableClock clock = MutableClock.at("2025-01-01T00:00:00Z");
    private final RequestSigner signer = new RequestSigner(SECRET, clock, () -> NONCE);

    @Test
    void signFillsEveryHeader() {
        SignedHeaders headers = signer.sign("db1", "POST", "/v1/vote?term=3", BODY);

        assertEquals("db1", headers.sender());
        assertEquals(clock.millis(), headers.timestamp());
        assertEquals(NONCE, headers.nonce());
        assertTrue(headers.signature().matches("[0-9a-f]{64}"), headers.signature());
    }

    @Test
    void signatureMatchesCanonicalString() throws Exception {
        SignedHeaders headers = signer.sign("db1", "POST", "/v1/vote?term=3", BODY);

        String bodyHash = hex(MessageDigest.getInstance("SHA-256").digest(BODY));
        String canonical = "POST\n/v1/vote?term=3\ndb1\n" + clock.millis() + "\n" + NONCE + "\n" + bodyHash;
        assertEquals(hmacHex(canonical), headers.signature());
    }

    @Test
    void nullBodySignsLikeEmptyBody() {
        String withNull = signer.sign("db1", "GET", "/v1/state", null).signature();
        String withEmpty = signer.sign("db1", "GET", "/v1/state", new byte[0]).signature();

        assertEquals(withEmpty, withNull);
    }

    @Test
    void asMapNamesEveryHeader() {
        SignedHeaders headers = signer.sign("db1", "GET", "/v1/state", null);

        Map<String, String> map = headers.asMap();

        assertEquals(4, map.size());
        assertEquals("db1", map.get(RequestSigner.NODE_HEADER));
        assertEquals(Long.toString(headers.timestamp()), map.get(RequestSigner.TIMESTAMP_HEADER));
        assertEquals(NONCE, map.get(RequestSigner.NONCE_HEADER));
        assertEquals(headers.signature(), map.get(RequestSigner.SIGNATURE_HEADER));
    }

    @Test
    void headerNamesAreStable() {
        assertEquals("X-Warden-Node", RequestSigner.NODE_HEADER);
        assertEquals("X-Warden-Timestamp", RequestSigner.TIMESTAMP_HEADER);
        assertEquals("X-Warden-Nonce", RequestSigner.NONCE_HEADER);
        assertEquals("X-Warden-Signature", RequestSigner.SIGNATURE_HEADER);
    }

    @Test
    void replySignatureRoundTrip() {
        String signature = signer.signReply(NONCE, 200, BODY);

        assertTrue(signer.verifyReply(NONCE, 200, BODY, signature));
        assertTrue(signature.matches("[0-9a-f]{64}"), signature);
    }

    @Test
    void tamperedReplyRejected() {
        String signature = signer.signReply(NONCE, 200, BODY);
        byte[] forgedBody = "{\"granted\":true}".getBytes(StandardCharsets.UTF_8);

        assertFalse(signer.verifyReply(NONCE, 200, forgedBody, signature), "changed body");
        assertFalse(signer.verifyReply(NONCE, 409, BODY, signature), "changed status");
        assertFalse(signer.verifyReply(NONCE, 200, BODY, flipFirstCharacter(signature)), "changed signature");
        assertFalse(signer.verifyReply(NONCE, 200, BODY, signature.toUpperCase()), "uppercase signature");
        assertFalse(signer.verifyReply(NONCE, 200, BODY, null), "missing signature");
        assertFalse(signer.verifyReply(NONCE, 200, BODY, ""), "empty signature");
    }

    @Test
    void replyBoundToRequestNonce() {
        String signature = signer.signReply(NONCE, 200, BODY);

        assertFalse(signer.verifyReply("nonce-0000000002", 200, BODY, signature));
    }

    @Test
    void replyFromOtherSecretRejected() {
        RequestSigner forger = new RequestSigner(OTHER_SECRET, clock, () -> NONCE);

        String forged = forger.signReply(NONCE, 200, BODY);

        assertFalse(signer.verifyReply(NONCE, 200, BODY, forged));
    }

    @Test
    void replyDiffersFromRequestSignature() {
        SignedHeaders headers = signer.sign("db1", "GET", "/v1/state", BODY);

        assertNotEquals(headers.signature(), signer.signReply(NONCE, 200, BODY));
    }

    @Test
    void randomNoncesAreValidAndDistinct() {
        Supplier<String> nonces = RequestSigner.randomNonces(new SplittableRandom(7));
        Set<String> seen = new HashSet<>();

        for (int i = 0; i < 1000; i++) {
            String nonce = nonces.get();
            assertEquals(22, nonce.length(), nonce);
            assertTrue(RequestSigner.isValidNonce(nonce), nonce);
            assertTrue(seen.add(nonce), "repeated nonce " + nonce);
        }
    }

    @ParameterizedTest(name = "nonce \"{0}\"")
    @ValueSource(strings = {"", "short", "nonce with spaces 00", "nonce/0000000000001"})
    void invalidNonceSourceRejected(String nonce) {
        RequestSigner broken = new RequestSigner(SECRET, clock, () -> nonce);

        assertThrows(IllegalStateException.class, () -> broken.sign("db1", "GET", "/v1/state", null));
    }

    @Test
    void tooLongNonceRejected() {
        RequestSigner broken = new RequestSigner(SECRET, clock, () -> "n".repeat(RequestSigner.MAX_NONCE_LENGTH + 1));

        assertThrows(IllegalStateException.class, () -> broken.sign("db1", "GET", "/v1/state", null));
    }

    @Test
    void lineBreakInFieldRejected() {
        assertThrows(IllegalArgumentException.class, () -> signer.sign("db1\nPOST", "GET", "/v1/state", null));
        assertThrows(IllegalArgumentException.class, () -> signer.sign("db1", "GET\r", "/v1/state", null));
        assertThrows(IllegalArgumentException.class, () -> signer.sign("db1", "GET", "/v1/state\ndb2", null));
        assertThrows(IllegalArgumentException.class, () -> signer.sign("", "GET", "/v1/state", null));
    }

    @Test
    void shortSecretRejected() {
        byte[] shortSecret = new byte[SecretFile.MIN_BYTES - 1];

        assertThrows(IllegalArgumentException.class, () -> new RequestSigner(shortSecret, clock, () -> NONCE));
    }

    private static String hmacHex(String canonical) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET, "HmacSHA256"));
        return hex(mac.doFinal(canonical.getBytes(StandardCharsets.UTF_8)));
    }

    private static String hex(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (byte value : bytes) {
            text.append(String.format("%02x", value));
        }
        return text.toString();
    }

    private static String flipFirstCharacter(String signature) {
        char replacement = signature.charAt(0) == '0' ? '1' : '0';
        return replacement + signature.substring(1);
    }
}
