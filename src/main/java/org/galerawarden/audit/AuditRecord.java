package org.galerawarden.audit;

import java.time.Instant;
import java.util.Map;

/**
 * One line of the audit journal: a decision change, an action, or a vote, with its evidence.
 *
 * @param time wall-clock time on this host
 * @param node the agent's node name
 * @param type {@code decision}, {@code action}, {@code grant} or {@code lease}
 * @param kind the decision kind, action name or vote outcome
 * @param reason the sentence logged with it
 * @param term the election term involved, 0 when none
 * @param evidence observations behind it
 */
public record AuditRecord(Instant time, String node, String type, String kind, String reason, long term,
        Map<String, String> evidence) {
}
