package org.galerawarden.peer.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

import javax.crypto.spec.SecretKeySpec;

/**
 * Verifier of signed peer requests, whose signed fields {@link RequestSigner} lists. Checks run in this order:
 * headers present, sender known, timestamp within the allowed skew, nonce well formed, signature valid, nonce not
 * seen before. Only a validly signed request records its nonce, so forged requests cannot fill the replay cache.
 * Reject reasons name the failing value and the fix, and never contain the secret or the expected signature.
 *
 * <p>Instances are thread-safe when the clock is.
 */
public final class RequestVerifier {

    /** Maximum number of characters of a header value that a reject reason repeats. */
    private static final int MAX_QUOTED_LENGTH = 64;
    private static final String CLOCK_HINT = "check that NTP keeps the clocks of both nodes in sync";
    private static final String COMPATIBLE_SENDER_HINT = "run a compatible galera-warden version on the sending node";

    private final SecretKeySpec key;
    private final Set<String> knownSenders;
    private final Clock clock;
    private final Duration maxSkew;
    private final ReplayGuard guard;

    /**
     * Creates a verifier.
     *
     * @param secret the shared secret, at least {@link SecretFile#MIN_BYTES} long, which the verifier copies
     * @param knownSenders node names accepted in {@link RequestSigner#NODE_HEADER}
     * @param maxSkew maximum difference, in either direction, between a request's timestamp and this clock
     * @param guard replay cache whose retention is at least twice {@code maxSkew}, so that a request stays in the
     *        cache for as long as its timestamp is accepted
     */
    public RequestVerifier(byte[] secret, Set<String> knownSenders, Clock clock, Duration maxSkew, ReplayGuard guard) {
        this.key = RequestSigner.newKey(secret);
        this.knownSenders = Set.copyOf(knownSenders);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxSkew = Objects.requireNonNull(maxSkew, "maxSkew");
        this.guard = Objects.requireNonNull(guard, "guard");
        if (maxSkew.isNegative() || maxSkew.isZero()) {
            throw new IllegalArgumentException("maxSkew must be positive, got " + maxSkew);
        }
        if (guard.retention().compareTo(maxSkew.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("replay guard retention " + guard.retention()
                    + " is shorter than twice maxSkew " + maxSkew + ", so a replay could pass after the nonce"
                    + " is forgotten; create the guard with ReplayGuard.forSkew");
        }
    }

    /**
     * Verifies a request and, when it is accepted, records its nonce.
     *
     * @param pathAndQuery the request target exactly as received, percent-encoded, e.g. {@code /v1/vote?term=3}
     * @param body the request body, or {@code null} for none
     * @param header returns a request header's value by name, or {@code null} when absent. The lookup should
     *        ignore case because HTTP header names are case-insensitive.
     */
    public Verification verify(String method, String pathAndQuery, byte[] body, Function<String, String> header) {
        String sender = header.apply(RequestSigner.NODE_HEADER);
        String timestampText = header.apply(RequestSigner.TIMESTAMP_HEADER);
        String nonce = header.apply(RequestSigner.NONCE_HEADER);
        String signature = header.apply(RequestSigner.SIGNATURE_HEADER);
        Verification.Rejected rejected = checkHeadersPresent(sender, timestampText, nonce, signature);
        if (rejected == null) {
            rejected = checkSender(sender);
        }
        if (rejected == null) {
            rejected = checkTimestamp(sender, timestampText);
        }
        if (rejected == null) {
            rejected = checkNonceFormat(nonce);
        }
        if (rejected == null) {
            long timestamp = Long.parseLong(timestampText);
            String expected = RequestSigner.requestSignature(key, method, pathAndQuery, sender, timestamp, nonce,
                    body);
            rejected = checkSignature(sender, expected, signature);
        }
        if (rejected == null) {
            rejected = recordNonce(sender, nonce);
        }
        return rejected != null ? rejected : new Verification.Accepted(sender, nonce);
    }

    private static Verification.Rejected checkHeadersPresent(String sender, String timestamp, String nonce,
            String signature) {
        List<String> missing = new ArrayList<>();
        addIfBlank(missing, RequestSigner.NODE_HEADER, sender);
        addIfBlank(missing, RequestSigner.TIMESTAMP_HEADER, timestamp);
        addIfBlank(missing, RequestSigner.NONCE_HEADER, nonce);
        addIfBlank(missing, RequestSigner.SIGNATURE_HEADER, signature);
        if (missing.isEmpty()) {
            return null;
        }
        String noun = missing.size() == 1 ? "header " : "headers ";
        return reject(Verification.Problem.MISSING_HEADER, "request is missing " + noun + String.join(", ", missing)
                + "; peer requests must be signed by a galera-warden agent with the shared secret");
    }

    private static void addIfBlank(List<String> missing, String name, String value) {
        if (value == null || value.isBlank()) {
            missing.add(name);
        }
    }

    private Verification.Rejected checkSender(String sender) {
        if (knownSenders.contains(sender)) {
            return null;
        }
        return reject(Verification.Problem.UNKNOWN_SENDER, "sender node " + quote(sender) + " in header "
                + RequestSigner.NODE_HEADER + " is not a known peer; add it to warden.peers on this node");
    }

    private Verification.Rejected checkTimestamp(String sender, String timestampText) {
        long timestamp = parseTimestamp(timestampText);
        if (timestamp < 0) {
            return reject(Verification.Problem.MALFORMED_TIMESTAMP, "header " + RequestSigner.TIMESTAMP_HEADER
                    + " value " + quote(timestampText) + " from node " + sender + " is not a decimal number of"
                    + " milliseconds since the epoch; " + COMPATIBLE_SENDER_HINT);
        }
        long ageMillis = clock.millis() - timestamp;
        long skewMillis = maxSkew.toMillis();
        if (ageMillis > skewMillis) {
            return reject(Verification.Problem.EXPIRED, "request from node " + sender + " expired: its timestamp is "
                    + seconds(ageMillis) + " s behind this node's clock, more than the allowed skew of "
                    + seconds(skewMillis) + " s; " + CLOCK_HINT);
        }
        if (-ageMillis > skewMillis) {
            return reject(Verification.Problem.FROM_FUTURE, "request from node " + sender + " is from the future:"
                    + " its timestamp is " + seconds(-ageMillis) + " s ahead of this node's clock, more than the"
                    + " allowed skew of " + seconds(skewMillis) + " s; " + CLOCK_HINT);
        }
        return null;
    }

    /** Returns the timestamp in epoch milliseconds, or -1 when the text is not a non-negative decimal number. */
    private static long parseTimestamp(String text) {
        try {
            long timestamp = Long.parseLong(text);
            return timestamp < 0 ? -1 : timestamp;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Verification.Rejected checkNonceFormat(String nonce) {
        if (RequestSigner.isValidNonce(nonce)) {
            return null;
        }
        return reject(Verification.Problem.MALFORMED_NONCE, "header " + RequestSigner.NONCE_HEADER + " value "
                + quote(nonce) + " is not " + RequestSigner.MIN_NONCE_LENGTH + " to " + RequestSigner.MAX_NONCE_LENGTH
                + " characters of A-Z a-z 0-9 - _; " + COMPATIBLE_SENDER_HINT);
    }

    private static Verification.Rejected checkSignature(String sender, String expected, String signature) {
        if (RequestSigner.signaturesEqual(expected, signature)) {
            return null;
        }
        return reject(Verification.Problem.BAD_SIGNATURE, "signature of the request from node " + sender
                + " is invalid; check that both nodes use the same secret file, and if they do, the request was"
                + " altered in transit or forged");
    }

    private Verification.Rejected recordNonce(String sender, String nonce) {
        return switch (guard.record(sender, nonce)) {
            case RECORDED -> null;
            case REPLAYED -> reject(Verification.Problem.REPLAYED, "request from node " + sender + " reuses nonce "
                    + nonce + ", which an earlier request already used; a captured request is being replayed,"
                    + " or the sending agent's nonce source repeats values");
            case FULL -> reject(Verification.Problem.REPLAY_CACHE_FULL, "replay cache full: it contains "
                    + guard.capacity() + " nonces from the last " + seconds(guard.retention().toMillis())
                    + " s, so the request from node " + sender + " was not accepted; retry later, and find out"
                    + " which client sends this many requests");
        };
    }

    private static Verification.Rejected reject(Verification.Problem problem, String reason) {
        return new Verification.Rejected(problem, reason);
    }

    /** Quotes an untrusted header value for a reason, shortened and with control characters replaced. */
    private static String quote(String value) {
        String shortened = value.length() > MAX_QUOTED_LENGTH ? value.substring(0, MAX_QUOTED_LENGTH) + "..." : value;
        return "'" + shortened.replaceAll("\\p{Cntrl}", "?") + "'";
    }

    /** Formats milliseconds as seconds, with one decimal unless the value is whole. */
    private static String seconds(long millis) {
        if (millis % 1000 == 0) {
            return Long.toString(millis / 1000);
        }
        return String.format(Locale.ROOT, "%.1f", millis / 1000.0);
    }

    /** Result of {@link #verify}: the request is either accepted or rejected with a reason. */
    public sealed interface Verification {

        /** The check that rejected a request. */
        enum Problem {
            MISSING_HEADER,
            UNKNOWN_SENDER,
            MALFORMED_TIMESTAMP,
            EXPIRED,
            FROM_FUTURE,
            MALFORMED_NONCE,
            BAD_SIGNATURE,
            REPLAYED,
            REPLAY_CACHE_FULL
        }

        /**
         * A validly signed, fresh request.
         *
         * @param sender the verified sending node
         * @param nonce the request's nonce, needed to sign the reply
         */
        record Accepted(String sender, String nonce) implements Verification {
        }

        /**
         * A request that failed a check.
         *
         * @param problem the check that failed
         * @param reason what failed, on which value, and the fix, without secrets, so it can be logged and returned
         *        to the client
         */
        record Rejected(Problem problem, String reason) implements Verification {
        }
    }
}
