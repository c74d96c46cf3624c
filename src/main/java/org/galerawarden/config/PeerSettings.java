package org.galerawarden.config;

import java.net.URI;

import org.galerawarden.model.Role;

/**
 * One voter of the cluster as configured: its agent's base URL, its role, and whether it runs garbd,
 * which then counts as a Galera member.
 */
public record PeerSettings(String name, URI url, Role role, boolean garbd) {
}
