package org.galerawarden.config;

import java.time.Duration;
import java.util.List;

/**
 * Commands that control the local MariaDB service, each an argument array that runs without a shell.
 *
 * @param start starts the server so that it joins the cluster
 * @param stop stops the server cleanly
 * @param newCluster starts the server as a new cluster ({@code galera_new_cluster} on Debian)
 * @param timeout limit for one command
 */
public record CommandSettings(List<String> start, List<String> stop, List<String> newCluster, Duration timeout) {

    public CommandSettings {
        start = List.copyOf(start);
        stop = List.copyOf(stop);
        newCluster = List.copyOf(newCluster);
    }
}
