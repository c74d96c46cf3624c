package org.galerawarden.peer;

/**
 * A voter's answer to a grant or lease request.
 *
 * @param voter the answering voter's node name
 * @param granted whether the request was granted
 * @param reason why, either way
 * @param term the voter's term after handling the request
 */
public record VoteReply(String voter, boolean granted, String reason, long term) {
}
