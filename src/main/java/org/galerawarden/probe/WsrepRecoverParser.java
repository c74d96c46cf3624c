package org.galerawarden.probe;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.galerawarden.model.Position;

/**
 * Extracts the recovered position from the error log of {@code mariadbd --wsrep-recover}. MariaDB 10.4 and
 * later log {@code WSREP: Recovered position: <uuid>:<seqno>}, followed by {@code ,<domain>-<server>-<seqno>}
 * when {@code wsrep_gtid_mode} is on. {@code mysqld_safe} and older servers log the form without the colon
 * after "position". The {@code Recovered position from storage:} line that a joiner logs after a state
 * transfer does not match.
 */
public final class WsrepRecoverParser {

    /** The last token of a recovered-position line: {@code <uuid>:<seqno>}, maybe followed by a GTID. */
    private static final Pattern RECOVERED = Pattern.compile(
            "WSREP[:\\]]\\s+Recovered position:?\\s+([^\\s:]+):([^\\s,]+)(?:,\\S*)?\\s*$");

    private WsrepRecoverParser() {
    }

    /**
     * Returns the position from the last recovered-position line of the log. Empty when no line matches,
     * or when the last one contains the zero UUID, seqno -1 or a malformed value, because then the recovery
     * found no usable position.
     */
    public static Optional<Position> parse(String logText) {
        Objects.requireNonNull(logText, "logText");
        Matcher last = null;
        for (String line : logText.split("\r?\n")) {
            Matcher matcher = RECOVERED.matcher(line);
            if (matcher.find()) {
                last = matcher;
            }
        }
        if (last == null) {
            return Optional.empty();
        }
        return toPosition(last.group(1), last.group(2));
    }

    private static Optional<Position> toPosition(String uuid, String seqnoText) {
        if (!GrastateParser.UUID.matcher(uuid).matches()) {
            return Optional.empty();
        }
        long seqno;
        try {
            seqno = GrastateParser.parseSeqno("seqno", seqnoText);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (!Position.isKnown(uuid, seqno)) {
            return Optional.empty();
        }
        return Optional.of(new Position(uuid, seqno));
    }
}
