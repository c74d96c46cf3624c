package org.galerawarden.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import org.galerawarden.model.Role;

/**
 * The agent's validated, immutable configuration. Built once at start from {@link WardenConfig}, and
 * built directly in unit tests.
 *
 * @param nodeName this agent's name, also its key in {@code peers}
 * @param role this agent's role
 * @param mode whether recovery decisions are carried out
 * @param peers every voter including this agent, sorted by name
 * @param stateDir where terms, grants, leases, intents and the audit journal are kept
 * @param secretFile the shared secret that signs peer requests
 * @param pollInterval time between two probes
 * @param db the local server, absent settings for an arbitrator are defaults
 * @param health health endpoint options
 * @param recovery recovery timing and safety options
 * @param commands service commands
 * @param garbd how an arbitrator runs garbd; disabled on data nodes
 * @param coldStart how a data node starts its own server; disabled on arbitrators
 */
public record Settings(
        String nodeName,
        Role role,
        Mode mode,
        SortedMap<String, PeerSettings> peers,
        Path stateDir,
        Path secretFile,
        Duration pollInterval,
        DbSettings db,
        HealthSettings health,
        RecoverySettings recovery,
        CommandSettings commands,
        GarbdSettings garbd,
        ColdStartSettings coldStart) {

    public Settings {
        peers = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(peers));
    }

    /** Creates settings with garbd disabled. */
    public Settings(String nodeName, Role role, Mode mode, SortedMap<String, PeerSettings> peers, Path stateDir,
            Path secretFile, Duration pollInterval, DbSettings db, HealthSettings health, RecoverySettings recovery,
            CommandSettings commands) {
        this(nodeName, role, mode, peers, stateDir, secretFile, pollInterval, db, health, recovery, commands,
                GarbdSettings.disabled(stateDir), ColdStartSettings.disabled());
    }

    /** Creates settings in which the agent does not start its server. */
    public Settings(String nodeName, Role role, Mode mode, SortedMap<String, PeerSettings> peers, Path stateDir,
            Path secretFile, Duration pollInterval, DbSettings db, HealthSettings health, RecoverySettings recovery,
            CommandSettings commands, GarbdSettings garbd) {
        this(nodeName, role, mode, peers, stateDir, secretFile, pollInterval, db, health, recovery, commands,
                garbd, ColdStartSettings.disabled());
    }

    /** Returns a copy with other cold-start settings. */
    public Settings withColdStart(ColdStartSettings value) {
        return new Settings(nodeName, role, mode, peers, stateDir, secretFile, pollInterval, db, health, recovery,
                commands, garbd, value);
    }

    /** Returns the names of the data nodes, sorted. */
    public List<String> dataNodes() {
        return peers.values().stream().filter(peer -> peer.role() == Role.DATA).map(PeerSettings::name).toList();
    }

    /** Returns whether any voter runs garbd that counts as a Galera member. */
    public boolean anyGarbdPeer() {
        return peers.values().stream().anyMatch(PeerSettings::garbd);
    }

    /** Returns the other voters, sorted by name. */
    public List<PeerSettings> otherPeers() {
        return peers.values().stream().filter(peer -> !peer.name().equals(nodeName)).toList();
    }

    /** Returns the number of voters that make a strict majority. */
    public int majority() {
        return peers.size() / 2 + 1;
    }

    /** Returns how many Galera members the cluster has when whole: data nodes plus garbd instances. */
    public int galeraMembers() {
        int members = 0;
        for (Map.Entry<String, PeerSettings> entry : peers.entrySet()) {
            PeerSettings peer = entry.getValue();
            if (peer.role() == Role.DATA || peer.garbd()) {
                members++;
            }
        }
        return members;
    }
}
