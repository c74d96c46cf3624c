package org.galerawarden.action;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.galerawarden.config.ColdStartSettings;
import org.galerawarden.config.Settings;
import org.galerawarden.loop.MonotonicClock;
import org.galerawarden.model.Position;
import org.galerawarden.model.StoppedPosition;
import org.galerawarden.probe.WsrepRecoverParser;
import org.jboss.logging.Logger;

/**
 * Recovers the position of a stopped server's data with {@code mariadbd --wsrep-recover}, which reads it
 * from InnoDB. Each run writes a log of its own, {@code wsrep-recover.log} in the state directory, that
 * is emptied first and parsed afterwards. A timeout, a failed run or a log without a usable position
 * leaves the position unknown. The result stays valid until the server runs again. Called from the loop
 * thread; the snapshot collector reads the result from any thread.
 */
public class PositionRecovery {

    private static final Logger LOG = Logger.getLogger(PositionRecovery.class);

    private final Settings settings;
    private final CommandRunner commands;
    private final MonotonicClock clock;
    private volatile Optional<StoppedPosition> last = Optional.empty();

    public PositionRecovery(Settings settings, CommandRunner commands, MonotonicClock clock) {
        this.settings = settings;
        this.commands = commands;
        this.clock = clock;
    }

    /** Returns the outcome of the last run since the server stopped, if one ran. */
    public Optional<StoppedPosition> last() {
        return last;
    }

    /** Forgets the last outcome, because the server ran since and its position moved on. */
    public void forget() {
        last = Optional.empty();
    }

    public Path logFile() {
        return settings.stateDir().resolve("wsrep-recover.log");
    }

    /** Runs the recovery once and returns its outcome, which {@link #last()} returns from then on. */
    public StoppedPosition run() {
        ColdStartSettings coldStart = settings.coldStart();
        Path log = logFile();
        try {
            Files.write(log, new byte[0]);
        } catch (IOException e) {
            return remember(Optional.empty(), "emptying the recovery log " + log + " failed: " + e.getMessage()
                    + "; make the state directory writable");
        }
        LOG.warnf("[%s] recovering this node's position: %s (limit %d s)", settings.nodeName(),
                String.join(" ", coldStart.recoverCommand(log)), coldStart.recoverTimeout().toSeconds());
        CommandResult result = commands.run(coldStart.recoverCommand(log), coldStart.recoverTimeout());
        String text;
        try {
            text = Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            text = "";
        }
        Optional<Position> position = WsrepRecoverParser.parse(text + "\n" + result.output());
        if (!result.succeeded()) {
            return remember(Optional.empty(), "position recovery failed: " + result.describe()
                    + "; check warden.commands.recover and " + log);
        }
        if (position.isEmpty()) {
            return remember(Optional.empty(), "position recovery found no usable position in " + log
                    + " (no 'Recovered position' line with a non-zero state UUID and a seqno of at least 0)");
        }
        return remember(position, StoppedPosition.FROM_RECOVERY);
    }

    private StoppedPosition remember(Optional<Position> position, String source) {
        StoppedPosition outcome = new StoppedPosition(true, position, source, clock.nanos());
        if (position.isPresent()) {
            LOG.infof("[%s] recovered position %s", settings.nodeName(), position.get());
        } else {
            LOG.errorf("[%s] %s; the position stays unknown and recovery runs again in %d s", settings.nodeName(),
                    source, settings.coldStart().recoverRetry().toSeconds());
        }
        last = Optional.of(outcome);
        return outcome;
    }
}
