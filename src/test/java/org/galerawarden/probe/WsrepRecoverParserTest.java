package org.galerawarden.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import java.util.stream.Stream;

import org.galerawarden.model.Position;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WsrepRecoverParserTest {

    private static final String UUID = "f3d1aa70-31a3-11e7-908c-f7a5ad9e63b1";
    private static final String OTHER_UUID = "9a4db4a5-5cf1-11ec-940d-6ba8c5905c02";

    /** The end of the log of mariadbd --wsrep-recover (MariaDB 10.11.19, Galera 4.23) after kill -9. */
    private static final String REAL_AFTER_CRASH = "2026-12-04 16:11:15 0 [Note] InnoDB: Starting crash recovery "
            + "from checkpoint LSN=61241\n"
            + "2026-12-04 16:11:15 0 [Note] InnoDB: End of log at LSN=63746\n"
            + "2026-12-04 16:11:15 0 [Note] InnoDB: log sequence number 63746; transaction id 63\n"
            + "2026-12-04 16:11:15 0 [Warning] InnoDB: Skipping buffer pool dump/restore during wsrep recovery.\n"
            + "2026-12-04 16:11:15 0 [Note] Plugin 'FEEDBACK' is disabled.\n"
            + "2026-12-04 16:11:15 0 [Note] Recovering after a crash using tc.log\n"
            + "2026-12-04 16:11:15 0 [Note] Starting table crash recovery...\n"
            + "2026-12-04 16:11:15 0 [Note] Crash table recovery finished.\n"
            + "2026-12-04 16:11:15 0 [Note] WSREP: Recovered position: 4ad9f36a-effa-11f1-9f8b-5ea2d3fbdfc7:12\n";

    static Stream<Arguments> logs() {
        return Stream.of(
                Arguments.of("real log after kill -9", REAL_AFTER_CRASH,
                        Optional.of(new Position("4ad9f36a-effa-11f1-9f8b-5ea2d3fbdfc7", 12))),
                Arguments.of("MariaDB 10.4 and later",
                        "2024-02-12 15:27:50 0 [Note] InnoDB: Starting shutdown...\n"
                                + "2024-02-12 15:27:50 0 [Note] WSREP: Recovered position: " + UUID + ":40847697\n",
                        Optional.of(new Position(UUID, 40847697))),
                Arguments.of("older form without colon",
                        "2017-06-14 14:02:28 139993574066048 [Note] WSREP: Recovered position " + UUID + ":12\n",
                        Optional.of(new Position(UUID, 12))),
                Arguments.of("mysqld_safe line",
                        "2017-06-14T14:02:30 mysqld_safe WSREP: Recovered position " + UUID + ":12\n",
                        Optional.of(new Position(UUID, 12))),
                Arguments.of("GTID suffix of wsrep_gtid_mode",
                        "[Note] WSREP: Recovered position: " + UUID + ":1520,0-1-1518\n",
                        Optional.of(new Position(UUID, 1520))),
                Arguments.of("MySQL 8 bracketed subsystem",
                        "2023-02-23T03:13:33.574136Z 0 [System] [MY-000000] [WSREP] Recovered position: "
                                + UUID + ":77\n",
                        Optional.of(new Position(UUID, 77))),
                Arguments.of("last of several lines wins",
                        "[Note] WSREP: Recovered position: " + UUID + ":5\n"
                                + "[Note] WSREP: Recovered position: " + OTHER_UUID + ":9\n",
                        Optional.of(new Position(OTHER_UUID, 9))),
                Arguments.of("CRLF line ends",
                        "[Note] WSREP: Recovered position: " + UUID + ":8\r\n[Note] InnoDB: done\r\n",
                        Optional.of(new Position(UUID, 8))),
                Arguments.of("seqno 0", "[Note] WSREP: Recovered position: " + UUID + ":0\n",
                        Optional.of(new Position(UUID, 0))),
                Arguments.of("zero UUID",
                        "[Note] WSREP: Recovered position: 00000000-0000-0000-0000-000000000000:-1\n",
                        Optional.empty()),
                Arguments.of("seqno -1", "[Note] WSREP: Recovered position: " + UUID + ":-1\n", Optional.empty()),
                Arguments.of("unsigned form of -1",
                        "[Note] WSREP: Recovered position: " + UUID + ":18446744073709551615\n", Optional.empty()),
                Arguments.of("last line unknown hides an earlier known one",
                        "[Note] WSREP: Recovered position: " + UUID + ":5\n"
                                + "[Note] WSREP: Recovered position: " + UUID + ":-1\n",
                        Optional.empty()),
                Arguments.of("seqno not a number", "[Note] WSREP: Recovered position: " + UUID + ":abc\n",
                        Optional.empty()),
                Arguments.of("seqno beyond long range",
                        "[Note] WSREP: Recovered position: " + UUID + ":99999999999999999999\n", Optional.empty()),
                Arguments.of("uppercase UUID",
                        "[Note] WSREP: Recovered position: " + UUID.toUpperCase() + ":5\n", Optional.empty()),
                Arguments.of("position from storage after a state transfer is not a recovery",
                        "[Note] WSREP: Recovered position from storage: " + UUID + ":23506640\n", Optional.empty()),
                Arguments.of("no recovery line", "[Note] WSREP: Read nil XID from storage engines\n",
                        Optional.empty()),
                Arguments.of("empty log", "", Optional.empty()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("logs")
    void parse(String name, String log, Optional<Position> expected) {
        assertEquals(expected, WsrepRecoverParser.parse(log));
    }
}
