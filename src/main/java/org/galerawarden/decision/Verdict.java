package org.galerawarden.decision;

/** A voter's answer to a grant or lease request, with the reason given either way. */
public record Verdict(boolean granted, String reason) {

    public static Verdict grant(String reason) {
        return new Verdict(true, reason);
    }

    public static Verdict reject(String reason) {
        return new Verdict(false, reason);
    }
}
