package org.galerawarden.garbd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RestartBackoffTest {

    /** Returns event sequences, each event a failed start ("fail") or an exit after a run of N seconds ("ran N"). */
    static Stream<Arguments> sequences() {
        return Stream.of(
                Arguments.of("failed starts double up to the maximum",
                        List.of("fail", "fail", "fail", "fail", "fail", "fail", "fail"),
                        List.of(1_000L, 2_000L, 4_000L, 8_000L, 16_000L, 30_000L, 30_000L)),
                Arguments.of("short runs keep doubling", List.of("ran 5", "ran 5", "ran 59"),
                        List.of(1_000L, 2_000L, 4_000L)),
                Arguments.of("a stable run resets", List.of("fail", "fail", "fail", "ran 60", "ran 1"),
                        List.of(1_000L, 2_000L, 4_000L, 1_000L, 2_000L)),
                Arguments.of("failed starts after a stable run continue from it", List.of("ran 600", "fail", "fail"),
                        List.of(1_000L, 2_000L, 4_000L)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sequences")
    void delaysFollowEvents(String name, List<String> events, List<Long> expectedMillis) {
        RestartBackoff backoff = new RestartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30),
                Duration.ofSeconds(60));
        List<Long> delays = new ArrayList<>();
        for (String event : events) {
            Duration delay = event.equals("fail") ? backoff.afterFailedStart()
                    : backoff.afterExit(Duration.ofSeconds(Long.parseLong(event.substring(4))));
            delays.add(delay.toMillis());
        }

        assertEquals(expectedMillis, delays);
    }

    @ParameterizedTest(name = "initial {0} ms, max {1} ms")
    @MethodSource("limits")
    void delayNeverExceedsMax(long initialMillis, long maxMillis, long fifthMillis) {
        RestartBackoff backoff = new RestartBackoff(Duration.ofMillis(initialMillis), Duration.ofMillis(maxMillis),
                Duration.ofSeconds(60));
        Duration delay = Duration.ZERO;
        for (int i = 0; i < 5; i++) {
            delay = backoff.afterFailedStart();
        }

        assertEquals(fifthMillis, delay.toMillis());
    }

    static Stream<Arguments> limits() {
        return Stream.of(Arguments.of(1_000L, 30_000L, 16_000L), Arguments.of(500L, 3_000L, 3_000L),
                Arguments.of(5_000L, 5_000L, 5_000L));
    }
}
