package org.galerawarden.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.galerawarden.model.FileStatus;
import org.galerawarden.model.GvwstateFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GvwstateParserTest {

    private static final String SELF = "d3124bc8-1605-11e4-aa3d-ab44303c044a";
    private static final String FIRST = "0dae1307-1606-11e4-aa94-5255b1455aa0";
    private static final String SECOND = "47bbe2e2-1606-11e4-8593-2a6d8335bc79";
    private static final String VIEW_ID = "3 0dae1307-1606-11e4-aa94-5255b1455aa0 12";

    /** A three-member view as Galera writes it. */
    private static final String THREE_MEMBERS = "my_uuid: d3124bc8-1605-11e4-aa3d-ab44303c044a\n"
            + "#vwbeg\n"
            + "view_id: 3 0dae1307-1606-11e4-aa94-5255b1455aa0 12\n"
            + "bootstrap: 0\n"
            + "member: 0dae1307-1606-11e4-aa94-5255b1455aa0 1\n"
            + "member: 47bbe2e2-1606-11e4-8593-2a6d8335bc79 1\n"
            + "member: d3124bc8-1605-11e4-aa3d-ab44303c044a 1\n"
            + "#vwend\n";

    /** The file a freshly bootstrapped single node of MariaDB 10.11.19 with Galera 4.23 wrote. */
    private static final String SINGLE_NODE = "my_uuid: 4ad99fc5-effa-11f1-8e24-e76196af6c7f\n"
            + "#vwbeg\n"
            + "view_id: 3 4ad99fc5-effa-11f1-8e24-e76196af6c7f 1\n"
            + "bootstrap: 0\n"
            + "member: 4ad99fc5-effa-11f1-8e24-e76196af6c7f 0\n"
            + "#vwend\n";

    /** The file the same node left after kill -9, once a second node had joined and stopped again. */
    private static final String SINGLE_NODE_CRASHED = "my_uuid: 875036f1-effb-11f1-8615-8e8f26c1a786\n"
            + "#vwbeg\n"
            + "view_id: 3 875036f1-effb-11f1-8615-8e8f26c1a786 5\n"
            + "bootstrap: 0\n"
            + "member: 875036f1-effb-11f1-8615-8e8f26c1a786 0\n"
            + "#vwend\n";

    static Stream<Arguments> validFiles() {
        List<String> three = List.of(FIRST, SECOND, SELF);
        return Stream.of(
                Arguments.of("three members", THREE_MEMBERS, SELF, VIEW_ID, three),
                Arguments.of("single node", SINGLE_NODE, "4ad99fc5-effa-11f1-8e24-e76196af6c7f",
                        "3 4ad99fc5-effa-11f1-8e24-e76196af6c7f 1", List.of("4ad99fc5-effa-11f1-8e24-e76196af6c7f")),
                Arguments.of("single node after kill -9", SINGLE_NODE_CRASHED, "875036f1-effb-11f1-8615-8e8f26c1a786",
                        "3 875036f1-effb-11f1-8615-8e8f26c1a786 5", List.of("875036f1-effb-11f1-8615-8e8f26c1a786")),
                Arguments.of("CRLF line ends", THREE_MEMBERS.replace("\n", "\r\n"), SELF, VIEW_ID, three),
                Arguments.of("unknown keys", THREE_MEMBERS.replace("bootstrap: 0\n", "bootstrap: 0\nfuture: x\n")
                        .replace("#vwend\n", "#vwend\nafter_view: y\n"), SELF, VIEW_ID, three),
                Arguments.of("member without segment", THREE_MEMBERS.replace(SECOND + " 1", SECOND), SELF, VIEW_ID,
                        three),
                Arguments.of("my_uuid after the view", THREE_MEMBERS.substring(THREE_MEMBERS.indexOf('\n') + 1)
                        + "my_uuid: " + SELF + "\n", SELF, VIEW_ID, three));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validFiles")
    void parseValid(String name, String text, String myUuid, String viewId, List<String> members) {
        GvwstateFile parsed = GvwstateParser.parse(text);

        assertEquals(FileStatus.VALID, parsed.status(), parsed.reason());
        assertEquals("", parsed.reason());
        assertEquals(myUuid, parsed.myUuid());
        assertEquals(viewId, parsed.viewId());
        assertEquals(members, parsed.members());
    }

    static Stream<Arguments> rejectedFiles() {
        return Stream.of(
                Arguments.of("empty", "", FileStatus.EMPTY, "gvwstate.dat is empty"),
                Arguments.of("whitespace only", " \r\n\n", FileStatus.EMPTY, "contains only whitespace"),
                Arguments.of("no my_uuid", THREE_MEMBERS.replace("my_uuid: " + SELF + "\n", ""), FileStatus.INVALID,
                        "no 'my_uuid:' line"),
                Arguments.of("no #vwbeg", "my_uuid: " + SELF + "\n", FileStatus.INVALID, "no '#vwbeg' line"),
                Arguments.of("truncated before #vwend", THREE_MEMBERS.replace("#vwend\n", ""), FileStatus.INVALID,
                        "no '#vwend' line, so the saved view is truncated"),
                Arguments.of("truncated mid-member", THREE_MEMBERS.substring(0, THREE_MEMBERS.indexOf(SECOND) + 10),
                        FileStatus.INVALID, "member '47bbe2e2-1' is not a UUID"),
                Arguments.of("no members", "my_uuid: " + SELF + "\n#vwbeg\nview_id: " + VIEW_ID
                        + "\nbootstrap: 0\n#vwend\n", FileStatus.INVALID, "the saved view lists no members"),
                Arguments.of("my_uuid not a member", THREE_MEMBERS.replace("member: " + SELF + " 1\n", ""),
                        FileStatus.INVALID, "my_uuid '" + SELF + "' is not among the members [" + FIRST + ", "
                                + SECOND + "]"),
                Arguments.of("bad my_uuid", THREE_MEMBERS.replace("my_uuid: " + SELF, "my_uuid: xyz"),
                        FileStatus.INVALID, "my_uuid 'xyz' is not a UUID"),
                Arguments.of("uppercase member", THREE_MEMBERS.replace(SECOND, SECOND.toUpperCase()),
                        FileStatus.INVALID, "member '47BBE2E2-1606-11E4-8593-2A6D8335BC79' is not a UUID"),
                Arguments.of("bad view UUID", THREE_MEMBERS.replace("view_id: 3 " + FIRST, "view_id: 3 nope"),
                        FileStatus.INVALID, "view_id UUID 'nope' is not a UUID"),
                Arguments.of("view_id with two fields", THREE_MEMBERS.replace(VIEW_ID, "3 " + FIRST),
                        FileStatus.INVALID, "view_id '3 " + FIRST + "' is not '<type> <view UUID> <sequence number>'"),
                Arguments.of("no view_id", THREE_MEMBERS.replace("view_id: " + VIEW_ID + "\n", ""),
                        FileStatus.INVALID, "no 'view_id:' line"),
                Arguments.of("member twice", THREE_MEMBERS.replace("#vwend", "member: " + FIRST + " 1\n#vwend"),
                        FileStatus.INVALID, "member '" + FIRST + "' appears more than once"),
                Arguments.of("two views", THREE_MEMBERS + "#vwbeg\n", FileStatus.INVALID,
                        "'#vwbeg' appears more than once"),
                Arguments.of("#vwend first", "#vwend\n" + THREE_MEMBERS, FileStatus.INVALID,
                        "'#vwend' without a preceding '#vwbeg'"),
                Arguments.of("NUL bytes", "\0\0\0\0", FileStatus.INVALID, "contains binary data"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejectedFiles")
    void parseRejected(String name, String text, FileStatus status, String reason) {
        GvwstateFile parsed = GvwstateParser.parse(text);

        assertEquals(status, parsed.status());
        assertTrue(parsed.reason().contains(reason), () -> "reason was: " + parsed.reason());
        assertEquals(List.of(), parsed.members());
    }

    @Test
    void readMissingFile(@TempDir Path directory) {
        Path file = directory.resolve("gvwstate.dat");

        GvwstateFile read = GvwstateParser.read(file);

        assertEquals(FileStatus.MISSING, read.status());
        assertEquals(file + " does not exist", read.reason());
    }

    @Test
    void readDirectoryIsInvalid(@TempDir Path directory) {
        GvwstateFile read = GvwstateParser.read(directory);

        assertEquals(FileStatus.INVALID, read.status());
        assertTrue(read.reason().startsWith("reading " + directory + " failed: "), read.reason());
    }

    @Test
    void readPrefixesReasonWithPath(@TempDir Path directory) throws IOException {
        Path file = Files.writeString(directory.resolve("gvwstate.dat"), "my_uuid: " + SELF + "\n");

        GvwstateFile read = GvwstateParser.read(file);

        assertEquals(FileStatus.INVALID, read.status());
        assertEquals(file + ": no '#vwbeg' line, so the file contains no saved view", read.reason());
    }

    @Test
    void readValidFile(@TempDir Path directory) throws IOException {
        Path file = Files.writeString(directory.resolve("gvwstate.dat"), THREE_MEMBERS);

        GvwstateFile read = GvwstateParser.read(file);

        assertEquals(FileStatus.VALID, read.status());
        assertEquals(List.of(FIRST, SECOND, SELF), read.members());
    }
}
