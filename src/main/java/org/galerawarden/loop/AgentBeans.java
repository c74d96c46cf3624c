package org.galerawarden.loop;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.galerawarden.action.CommandRunner;
import org.galerawarden.action.HeldLeaseFile;
import org.galerawarden.action.IntentJournal;
import org.galerawarden.action.PositionRecovery;
import org.galerawarden.action.RecoveryCoordinator;
import org.galerawarden.action.ServerControl;
import org.galerawarden.action.SqlActions;
import org.galerawarden.action.VoteCollector;
import org.galerawarden.audit.AuditJournal;
import org.galerawarden.config.InvalidConfigException;
import org.galerawarden.config.Settings;
import org.galerawarden.config.SettingsLoader;
import org.galerawarden.config.WardenConfig;
import org.galerawarden.model.Role;
import org.galerawarden.peer.PeerAuth;
import org.galerawarden.peer.PeerClient;
import org.galerawarden.peer.Voter;
import org.galerawarden.peer.auth.InvalidSecretException;
import org.galerawarden.probe.ConnectionFactory;
import org.galerawarden.probe.SnapshotCollector;
import org.galerawarden.store.PositionHistoryFile;
import org.galerawarden.probe.SqlProbe;
import org.jboss.logging.Logger;

/**
 * Builds the agent's parts from the validated settings. Invalid settings fail the start here, before
 * any part that acts exists, with every problem and its fix in the log.
 */
@ApplicationScoped
public class AgentBeans {

    private static final Logger LOG = Logger.getLogger(AgentBeans.class);

    @Produces
    @Singleton
    Settings settings(WardenConfig config) {
        try {
            return SettingsLoader.load(config);
        } catch (InvalidConfigException e) {
            LOG.error(e.getMessage());
            throw e;
        }
    }

    @Produces
    @Singleton
    Clock wallClock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    MonotonicClock monotonicClock() {
        return MonotonicClock.system();
    }

    @Produces
    @Singleton
    AgentState agentState() {
        return new AgentState();
    }

    @Produces
    @Singleton
    Voter voter(Settings settings, ObjectMapper json, MonotonicClock clock, Clock wallClock) {
        Voter voter = new Voter(settings, json, clock::nanos, wallClock);
        voter.load();
        return voter;
    }

    @Produces
    @Singleton
    PeerAuth peerAuth(Settings settings, Clock wallClock) throws InvalidSecretException {
        return new PeerAuth(settings, wallClock);
    }

    @Produces
    @Singleton
    PeerClient peerClient(Settings settings, PeerAuth auth, ObjectMapper json) {
        return new PeerClient(auth, json, settings.recovery().peerTimeout());
    }

    @Produces
    @Singleton
    AuditJournal auditJournal(Settings settings, Clock wallClock, ObjectMapper json) {
        return new AuditJournal(settings.stateDir(), settings.nodeName(), wallClock, json);
    }

    @Produces
    @Singleton
    SqlProbe sqlProbe(Settings settings) {
        return new SqlProbe(settings.db());
    }

    @Produces
    @Singleton
    PositionRecovery positionRecovery(Settings settings, MonotonicClock clock) {
        return new PositionRecovery(settings, new CommandRunner(), clock);
    }

    @Produces
    @Singleton
    PositionHistoryFile positionHistoryFile(Settings settings, ObjectMapper json) {
        return new PositionHistoryFile(settings.stateDir(), json);
    }

    @Produces
    @Singleton
    SnapshotCollector snapshotCollector(Settings settings, SqlProbe probe, Clock wallClock,
            org.galerawarden.garbd.GarbdSupervisor garbd, PositionRecovery recovery) {
        return new SnapshotCollector(settings, settings.role() == Role.DATA ? probe : null, wallClock, garbd::status,
                recovery::last);
    }

    @Produces
    @Singleton
    RecoveryCoordinator recoveryCoordinator(Settings settings, AgentState state, Voter voter, PeerClient client,
            SqlProbe probe, AuditJournal audit, MonotonicClock clock, Clock wallClock, ObjectMapper json,
            PositionRecovery recovery) {
        VoteCollector votes = new VoteCollector(settings, voter, client, state, clock);
        ServerControl server = new ServerControl(settings, probe,
                new SqlActions(new ConnectionFactory(settings.db()),
                        settings.db().connectTimeout().plus(settings.db().queryTimeout().multipliedBy(2))),
                new CommandRunner());
        return new RecoveryCoordinator(settings, state, votes, server, new IntentJournal(settings.stateDir(), json),
                new HeldLeaseFile(settings.stateDir(), json), audit, clock, wallClock, recovery);
    }
}
