package org.galerawarden.peer.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Cache of the nonces of accepted requests, which detects a request sent a second time. Each nonce is kept for the
 * retention time after it was recorded. The number of entries is capped: when the cache is full, new nonces are
 * rejected rather than older entries forgotten early, so a replay inside the retention time is always detected.
 *
 * <p>Instances are thread-safe because every method that touches the cache is {@code synchronized}.
 */
public final class ReplayGuard {

    /** Default maximum number of remembered nonces. */
    public static final int DEFAULT_CAPACITY = 100_000;

    /** Outcome of {@link #record(String, String)}. */
    public enum Outcome {
        /** The nonce was not in the cache and is now recorded. */
        RECORDED,
        /** The nonce was already in the cache, so the request is a replay. */
        REPLAYED,
        /** The cache contains {@code capacity} unexpired nonces, so the new nonce was not recorded. */
        FULL
    }

    private final Clock clock;
    private final Duration retention;
    private final int capacity;
    /** Expiry time by sender and nonce, in insertion order, so that the oldest entries come first. */
    private final LinkedHashMap<String, Instant> expiries = new LinkedHashMap<>();

    /**
     * Creates a guard.
     *
     * @param retention how long a nonce is remembered, which must be at least twice the verifier's allowed clock
     *        skew
     * @param capacity maximum number of remembered nonces
     */
    public ReplayGuard(Clock clock, Duration retention, int capacity) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.retention = Objects.requireNonNull(retention, "retention");
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be positive, got " + retention);
        }
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
    }

    /** Creates a guard that remembers nonces for twice {@code maxSkew}, up to {@link #DEFAULT_CAPACITY}. */
    public static ReplayGuard forSkew(Clock clock, Duration maxSkew) {
        return new ReplayGuard(clock, maxSkew.multipliedBy(2), DEFAULT_CAPACITY);
    }

    /** Returns how long a nonce is remembered after it was recorded. */
    public Duration retention() {
        return retention;
    }

    /** Returns the maximum number of remembered nonces. */
    public int capacity() {
        return capacity;
    }

    /**
     * Records the nonce of an accepted request from {@code sender} unless it is already remembered or the cache is
     * full. Removes expired entries first.
     */
    public synchronized Outcome record(String sender, String nonce) {
        Instant now = clock.instant();
        removeExpired(now);
        String key = sender + '\n' + nonce;
        Instant expiry = expiries.get(key);
        if (expiry != null && !now.isAfter(expiry)) {
            return Outcome.REPLAYED;
        }
        // An expired entry can survive removeExpired when the clock stepped back and a newer entry expires later.
        expiries.remove(key);
        if (expiries.size() >= capacity) {
            return Outcome.FULL;
        }
        expiries.put(key, now.plus(retention));
        return Outcome.RECORDED;
    }

    /** Returns the number of remembered nonces, without removing expired ones. */
    public synchronized int size() {
        return expiries.size();
    }

    /**
     * Removes entries from the oldest until the first unexpired one. Entries are in insertion order, so their
     * expiries ascend unless the clock stepped back, in which case some entries are kept longer than needed.
     */
    private void removeExpired(Instant now) {
        Iterator<Map.Entry<String, Instant>> entries = expiries.entrySet().iterator();
        while (entries.hasNext()) {
            if (!now.isAfter(entries.next().getValue())) {
                return;
            }
            entries.remove();
        }
    }
}
