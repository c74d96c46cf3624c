package org.galerawarden.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;

import org.galerawarden.config.GaleraAddress.Endpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GaleraAddressTest {

    static Stream<Arguments> clusterAddresses() {
        return Stream.of(
                Arguments.of("gcomm://10.0.0.11:4567,10.0.0.12:4567",
                        List.of(new Endpoint("10.0.0.11", 4567), new Endpoint("10.0.0.12", 4567))),
                Arguments.of("gcomm://db1,db2:4568", List.of(new Endpoint("db1", 4567), new Endpoint("db2", 4568))),
                Arguments.of(" GCOMM://db1 , db2 ", List.of(new Endpoint("db1", 4567), new Endpoint("db2", 4567))),
                Arguments.of("gcomm://db1:4567?pc.wait_prim=no", List.of(new Endpoint("db1", 4567))),
                Arguments.of("gcomm://[fd00::11]:4567,[fd00::12]",
                        List.of(new Endpoint("[fd00::11]", 4567), new Endpoint("[fd00::12]", 4567))),
                Arguments.of("gcomm://db1:99999", List.of(new Endpoint("db1", 99999))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clusterAddresses")
    void parseClusterReadsMembers(String address, List<Endpoint> expected) {
        assertEquals(expected, GaleraAddress.parseCluster(address));
    }

    static Stream<Arguments> invalidClusterAddresses() {
        return Stream.of(
                Arguments.of("10.0.0.11:4567", "it does not start with gcomm://"),
                Arguments.of("gcomm://", "it lists no member, and an empty gcomm:// starts a new cluster"),
                Arguments.of("gcomm://?pc.wait_prim=no", "it lists no member"),
                Arguments.of("gcomm://db1,,db2", "it has an empty member"),
                Arguments.of("gcomm://db1:", "'db1:' has an empty port after the colon"),
                Arguments.of("gcomm://:4567", "':4567' has no host"),
                Arguments.of("gcomm://fd00::11", "'fd00::11' has more than one colon"),
                Arguments.of("gcomm://[fd00::11", "'[fd00::11' has no closing ]"),
                Arguments.of("gcomm://db1:-1", "'db1:-1' has port '-1', which is not a number"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidClusterAddresses")
    void parseClusterRejectsInvalid(String address, String reason) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> GaleraAddress.parseCluster(address));

        assertTrue(error.getMessage().startsWith(reason), error.getMessage());
    }

    @Test
    void parseListenReadsHostAndPort() {
        assertEquals(new Endpoint("0.0.0.0", 4567), GaleraAddress.parseListen("tcp://0.0.0.0:4567"));
        assertEquals(new Endpoint("198.18.0.10", 4568), GaleraAddress.parseListen("ssl://198.18.0.10:4568"));
        assertEquals(new Endpoint("[::]", 4567), GaleraAddress.parseListen("tcp://[::]:4567"));
    }

    @Test
    void parseListenNeedsSchemeAndPort() {
        assertThrows(IllegalArgumentException.class, () -> GaleraAddress.parseListen("0.0.0.0:4567"));
        assertThrows(IllegalArgumentException.class, () -> GaleraAddress.parseListen("tcp://0.0.0.0"));
        assertThrows(IllegalArgumentException.class, () -> GaleraAddress.parseListen("udp://0.0.0.0:4567"));
    }

    @Test
    void clusterOfAddsDefaultPort() {
        assertEquals("gcomm://10.0.0.11:4567,db2:4567", GaleraAddress.clusterOf(List.of("10.0.0.11", "db2")));
    }
}
