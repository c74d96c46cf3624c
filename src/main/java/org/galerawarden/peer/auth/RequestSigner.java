package org.galerawarden.peer.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signer of peer requests and replies with HMAC-SHA256 over the shared secret. Instances are thread-safe when the
 * clock and the nonce source are.
 *
 * <p>A request signature covers these fields joined by {@code '\n'}: method, path with query, sender, timestamp in
 * epoch milliseconds, nonce, and the lowercase hex SHA-256 of the body. A reply signature covers {@code reply}, the
 * request's nonce, the HTTP status and the body's hex SHA-256, so a reply verifies only for the request that
 * carried that nonce. Every signature is 64 lowercase hex characters.
 */
public final class RequestSigner {

    /** Header with the name of the sending node, as listed in {@code warden.peers}. */
    public static final String NODE_HEADER = "X-Warden-Node";

    /** Header with the time of signing in milliseconds since the epoch, as a decimal number. */
    public static final String TIMESTAMP_HEADER = "X-Warden-Timestamp";

    /** Header with the request's unique nonce. */
    public static final String NONCE_HEADER = "X-Warden-Nonce";

    /** Header with the request's signature, or the reply's signature on a response. */
    public static final String SIGNATURE_HEADER = "X-Warden-Signature";

    /** Minimum nonce length in characters. */
    public static final int MIN_NONCE_LENGTH = 16;

    /** Maximum nonce length in characters, which also bounds the memory of the replay cache. */
    public static final int MAX_NONCE_LENGTH = 128;

    private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{" + MIN_NONCE_LENGTH + ","
            + MAX_NONCE_LENGTH + "}");
    private static final String MAC_ALGORITHM = "HmacSHA256";
    private static final byte[] EMPTY = new byte[0];

    private final SecretKeySpec key;
    private final Clock clock;
    private final Supplier<String> nonceSource;

    /**
     * Creates a signer.
     *
     * @param secret the shared secret, at least {@link SecretFile#MIN_BYTES} long, which the signer copies
     * @param nonceSource supplies a new nonce per request, made of {@value #MIN_NONCE_LENGTH} to
     *        {@value #MAX_NONCE_LENGTH} characters of {@code A-Z a-z 0-9 - _}, such as
     *        {@link #randomNonces(RandomGenerator)} returns
     */
    public RequestSigner(byte[] secret, Clock clock, Supplier<String> nonceSource) {
        this.key = newKey(secret);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.nonceSource = Objects.requireNonNull(nonceSource, "nonceSource");
    }

    /**
     * Returns a nonce source that encodes 16 bytes of {@code random} as 22 base64url characters. Pass a
     * {@link java.security.SecureRandom} in production.
     */
    public static Supplier<String> randomNonces(RandomGenerator random) {
        Objects.requireNonNull(random, "random");
        Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
        return () -> {
            byte[] bytes = new byte[16];
            random.nextBytes(bytes);
            return encoder.encodeToString(bytes);
        };
    }

    /**
     * Signs a request with the current time and a new nonce.
     *
     * @param pathAndQuery the request target exactly as sent, percent-encoded, e.g. {@code /v1/vote?term=3}
     * @param body the request body, or {@code null} for none, which signs like an empty body
     * @throws IllegalArgumentException if sender, method or path is empty or contains a line break
     * @throws IllegalStateException if the nonce source returns an invalid nonce
     */
    public SignedHeaders sign(String sender, String method, String pathAndQuery, byte[] body) {
        requireSingleLine("sender", sender);
        requireSingleLine("method", method);
        requireSingleLine("pathAndQuery", pathAndQuery);
        String nonce = nonceSource.get();
        if (!isValidNonce(nonce)) {
            throw new IllegalStateException("nonce source returned an invalid nonce; it must return "
                    + MIN_NONCE_LENGTH + " to " + MAX_NONCE_LENGTH + " characters of A-Z a-z 0-9 - _");
        }
        long timestamp = clock.millis();
        String signature = requestSignature(key, method, pathAndQuery, sender, timestamp, nonce, body);
        return new SignedHeaders(sender, timestamp, nonce, signature);
    }

    /**
     * Signs a reply to the request that carried {@code requestNonce}.
     *
     * @param body the reply body, or {@code null} for none, which signs like an empty body
     */
    public String signReply(String requestNonce, int status, byte[] body) {
        requireSingleLine("requestNonce", requestNonce);
        return hmacHex(key, "reply\n" + requestNonce + "\n" + status + "\n" + sha256Hex(body));
    }

    /**
     * Checks a reply's signature in constant time. Returns false when the reply was signed with another secret, for
     * another request nonce or status, or with another body, and when {@code signature} is {@code null}.
     */
    public boolean verifyReply(String requestNonce, int status, byte[] body, String signature) {
        if (signature == null || requestNonce == null) {
            return false;
        }
        return signaturesEqual(signReply(requestNonce, status, body), signature);
    }

    /** Returns whether {@code nonce} has the length and characters that signer and verifier accept. */
    static boolean isValidNonce(String nonce) {
        return nonce != null && NONCE.matcher(nonce).matches();
    }

    static SecretKeySpec newKey(byte[] secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.length < SecretFile.MIN_BYTES) {
            throw new IllegalArgumentException("secret has " + secret.length + " bytes, fewer than the minimum of "
                    + SecretFile.MIN_BYTES);
        }
        return new SecretKeySpec(secret, MAC_ALGORITHM);
    }

    /** Computes the request signature over the canonical string described on the class. */
    static String requestSignature(SecretKeySpec key, String method, String pathAndQuery, String sender,
            long timestamp, String nonce, byte[] body) {
        String canonical = String.join("\n", method, pathAndQuery, sender, Long.toString(timestamp), nonce,
                sha256Hex(body));
        return hmacHex(key, canonical);
    }

    /** Compares two signatures in constant time for equal lengths, so timing does not reveal matching prefixes. */
    static boolean signaturesEqual(String expected, String actual) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                actual.getBytes(StandardCharsets.US_ASCII));
    }

    private static String hmacHex(SecretKeySpec key, String canonical) {
        try {
            Mac mac = Mac.getInstance(MAC_ALGORITHM);
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            // Every Java platform must provide HmacSHA256, so this means a broken JDK.
            throw new IllegalStateException(MAC_ALGORITHM + " is not available: " + e.getMessage(), e);
        }
    }

    private static String sha256Hex(byte[] body) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(body == null ? EMPTY : body));
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-256, so this means a broken JDK.
            throw new IllegalStateException("SHA-256 is not available: " + e.getMessage(), e);
        }
    }

    private static void requireSingleLine(String name, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(name + " is missing");
        }
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            throw new IllegalArgumentException(name + " contains a line break, which would make the signed"
                    + " canonical string ambiguous");
        }
    }

    /**
     * Header values of a signed request.
     *
     * @param sender the sending node's name
     * @param timestamp time of signing in milliseconds since the epoch
     * @param nonce the request's unique nonce
     * @param signature 64 lowercase hex characters
     */
    public record SignedHeaders(String sender, long timestamp, String nonce, String signature) {

        /** Returns the values keyed by header name, ready to set on an HTTP request. */
        public Map<String, String> asMap() {
            return Map.of(NODE_HEADER, sender, TIMESTAMP_HEADER, Long.toString(timestamp), NONCE_HEADER, nonce,
                    SIGNATURE_HEADER, signature);
        }
    }
}
