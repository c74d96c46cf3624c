package org.galerawarden.garbd;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

import org.galerawarden.config.Settings;
import org.galerawarden.loop.AgentState;
import org.galerawarden.loop.MonotonicClock;
import org.jboss.logging.Logger;

/**
 * Runs garbd on the arbitrator host when {@code warden.garbd.enabled=true}, and does nothing otherwise.
 * A dedicated thread calls {@link GarbdKeeper#tick} every {@value #TICK_MILLIS} ms, so a garbd that dies
 * is noticed within that time and restarted after its backoff. Agent shutdown stops garbd.
 */
@ApplicationScoped
public class GarbdSupervisor {

    private static final Logger LOG = Logger.getLogger(GarbdSupervisor.class);
    static final long TICK_MILLIS = 250;
    /** How long garbd may take to leave the cluster after SIGTERM before it gets SIGKILL. */
    static final Duration STOP_GRACE = Duration.ofSeconds(10);

    @Inject
    Settings settings;

    @Inject
    AgentState state;

    @Inject
    MonotonicClock clock;

    private volatile GarbdKeeper keeper;
    private ScheduledExecutorService executor;

    void onStart(@Observes StartupEvent event) {
        if (!settings.garbd().enabled()) {
            return;
        }
        String node = settings.nodeName();
        GarbdPreflight preflight = GarbdPreflight.withSystemResolver(settings.garbd());
        ChildProcessLauncher launcher = new ChildProcessLauncher(settings.garbd().outputFile());
        keeper = new GarbdKeeper(settings, clock, launcher, preflight::check, state::peers);
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "garbd-supervisor");
            thread.setDaemon(true);
            return thread;
        });
        LOG.infof("[%s] supervising garbd: group %s, address %s, working directory %s", node,
                settings.garbd().group(), settings.garbd().address(), settings.garbd().workingDirectory());
        executor.scheduleWithFixedDelay(this::tick, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (executor == null) {
            return;
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warnf("[%s] the garbd supervisor's step did not finish within 30 s; stopping garbd anyway",
                        settings.nodeName());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        keeper.stop(STOP_GRACE);
    }

    /** Returns garbd's status, empty when this agent does not run garbd. */
    public Optional<GarbdStatus> status() {
        GarbdKeeper current = keeper;
        return current == null ? Optional.empty() : Optional.of(current.status());
    }

    private void tick() {
        try {
            keeper.tick();
        } catch (RuntimeException e) {
            // An exception would cancel the schedule, so it is logged and the next step runs as usual.
            LOG.errorf(e, "[%s] garbd supervision step failed; the next one runs as usual", settings.nodeName());
        }
    }
}
