package org.galerawarden.action;

import java.util.List;

import org.galerawarden.peer.VoteReply;

/**
 * The replies of one grant or lease round, this voter's own included.
 *
 * @param startedNanos when the round started, on the local monotonic clock
 * @param replies one reply per voter that answered
 * @param failures one line per voter that could not be asked or did not answer
 * @param majority how many grants the round needs
 */
public record VoteRound(long startedNanos, List<VoteReply> replies, List<String> failures, int majority) {

    public long granted() {
        return replies.stream().filter(VoteReply::granted).count();
    }

    public boolean won() {
        return granted() >= majority;
    }

    /** Summarises the round for a log line: every voter with its answer and reason. */
    public String describe() {
        StringBuilder text = new StringBuilder(granted() + " grants, " + majority + " needed");
        for (VoteReply reply : replies) {
            text.append("; ").append(reply.voter()).append(reply.granted() ? " granted: " : " rejected: ")
                    .append(reply.reason());
        }
        for (String failure : failures) {
            text.append("; ").append(failure);
        }
        return text.toString();
    }
}
