package org.galerawarden.peer;

/** The JSON body of every rejected agent request. */
public record ErrorReply(String error) {
}
