package org.galerawarden.config;

import java.nio.file.Path;

/**
 * Options of the HAProxy health endpoint.
 *
 * @param allowDonor answer 200 for a Donor/Desynced node that still serves queries
 * @param allowReadOnly answer 200 for a node with {@code read_only=ON}
 * @param maintenanceFile the node answers 503 while this file exists
 */
public record HealthSettings(boolean allowDonor, boolean allowReadOnly, Path maintenanceFile) {
}
