package org.galerawarden.model;

/** What an agent watches: a MariaDB data node, or a witness host without data that may supervise garbd. */
public enum Role {
    DATA,
    ARBITRATOR
}
