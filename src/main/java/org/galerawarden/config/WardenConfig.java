package org.galerawarden.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The raw {@code warden.*} properties as Quarkus reads them. {@link SettingsLoader} validates them into
 * {@link Settings}; nothing else reads this interface. {@code agent.properties} documents every
 * property with its unit and default.
 */
@ConfigMapping(prefix = "warden")
public interface WardenConfig {

    /** This agent's name, which must be a key of {@link #peers()}. */
    Optional<String> nodeName();

    /** {@code data} on a MariaDB host, {@code arbitrator} on a witness host. */
    @WithDefault("data")
    String role();

    /** {@code act} carries out recovery actions, {@code observe} only logs them. */
    @WithDefault("act")
    String mode();

    /** Every voter, this agent included, by node name. */
    Map<String, Peer> peers();

    /** Directory for terms, grants, leases, intents and the audit journal. */
    @WithDefault("/var/lib/galera-warden")
    String stateDir();

    /** File holding the shared secret; it must not be readable by group or others. */
    @WithDefault("/etc/galera-warden/secret")
    String secretFile();

    /** Time between two probes of the local server. */
    @WithDefault("1s")
    Duration pollInterval();

    Db db();

    Health health();

    Recovery recovery();

    Commands commands();

    Garbd garbd();

    ColdStart coldStart();

    /** One voter's entry. */
    interface Peer {

        /** Base URL of that agent, such as {@code http://10.0.0.11:9200}. */
        Optional<String> url();

        /** {@code data} or {@code arbitrator}. */
        @WithDefault("data")
        String role();

        /** Whether garbd runs on that host and counts as a Galera member. */
        @WithDefault("false")
        boolean garbd();
    }

    /** The local MariaDB server. */
    interface Db {

        /** Unix socket of the server; when set it is used instead of host and port. */
        Optional<String> socket();

        @WithDefault("127.0.0.1")
        String host();

        @WithDefault("3306")
        int port();

        @WithDefault("galera-warden")
        String user();

        /** File holding the SQL password; leave unset for unix_socket authentication. */
        Optional<String> passwordFile();

        @WithDefault("2s")
        Duration connectTimeout();

        @WithDefault("2s")
        Duration queryTimeout();

        @WithDefault("/var/lib/mysql")
        String datadir();

        /** The server's pid file; a live process in it counts as a running server. */
        @WithDefault("/run/mysqld/mysqld.pid")
        String pidFile();
    }

    /** The HAProxy health endpoint. */
    interface Health {

        @WithDefault("false")
        boolean allowDonor();

        @WithDefault("false")
        boolean allowReadOnly();

        /** The health check returns 503 while this file exists; defaults to {@code maintenance} in the state directory. */
        Optional<String> maintenanceFile();
    }

    /** Recovery timing and safety. */
    interface Recovery {

        @WithDefault("2s")
        Duration gracePeriod();

        @WithDefault("10s")
        Duration leaseDuration();

        @WithDefault("2s")
        Duration clockMargin();

        @WithDefault("2s")
        Duration peerTimeout();

        @WithDefault("60s")
        Duration unknownPositionTimeout();

        @WithDefault("false")
        boolean allowPartial();

        /** {@code stop} or {@code reject}. */
        @WithDefault("stop")
        String fence();

        /** {@code auto} or {@code restart}. */
        @WithDefault("auto")
        String bootstrapMethod();

        @WithDefault("0s")
        Duration intentDelay();
    }

    /** Service commands, split on white space into an argument array and run without a shell. */
    interface Commands {

        @WithDefault("systemctl start mariadb")
        String start();

        @WithDefault("systemctl stop mariadb")
        String stop();

        @WithDefault("galera_new_cluster")
        String newCluster();

        /** Position recovery; {@code {log}} is replaced by the path of the recovery log. */
        @WithDefault("/usr/sbin/mariadbd --user=mysql --wsrep-recover --disable-log-bin --skip-networking --log-error={log}")
        String recover();

        @WithDefault("120s")
        Duration timeout();
    }

    /** garbd, run and supervised by an arbitrator agent. */
    interface Garbd {

        @WithDefault("false")
        boolean enabled();

        @WithDefault("/usr/bin/garbd")
        String binary();

        /** The cluster's {@code wsrep_cluster_name}; MariaDB's default when unset. */
        @WithDefault(GarbdSettings.DEFAULT_GROUP)
        String group();

        /** {@code gcomm://host:port,...}; derived from the data peers' URLs when unset. */
        Optional<String> address();

        @WithDefault("tcp://0.0.0.0:4567")
        String listenAddress();

        /** Extra provider options, appended after {@code gmcast.listen_addr}. */
        Optional<String> options();

        /** Defaults to {@code garbd} in the state directory. */
        Optional<String> workingDirectory();

        @WithDefault("1s")
        Duration backoffInitial();

        @WithDefault("30s")
        Duration backoffMax();
    }

    /** Starting the local server, and restarting a cluster whose servers all went down. */
    interface ColdStart {

        @WithDefault("false")
        boolean enabled();

        @WithDefault("30s")
        Duration pcRecoveryGrace();

        @WithDefault("120s")
        Duration recoverTimeout();

        @WithDefault("10s")
        Duration recoverRetry();
    }
}
