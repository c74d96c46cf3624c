package org.galerawarden.model;

/** Outcome of reading a Galera state file from the data directory. */
public enum FileStatus {
    /** The file was read and every required key parsed. */
    VALID,
    /** The file does not exist. */
    MISSING,
    /** The file exists but holds no text. */
    EMPTY,
    /** The file exists but is truncated, unreadable or holds garbage; the reason says which. */
    INVALID
}
