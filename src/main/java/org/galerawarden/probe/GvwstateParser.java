package org.galerawarden.probe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.galerawarden.model.FileStatus;
import org.galerawarden.model.GvwstateFile;

/**
 * Parses {@code gvwstate.dat}, the file in which Galera's {@code pc.recovery} saves the last Primary view
 * this node was part of:
 *
 * <pre>
 * my_uuid: d3124bc8-1605-11e4-aa3d-ab44303c044a
 * #vwbeg
 * view_id: 3 0dae1307-1606-11e4-aa94-5255b1455aa0 12
 * bootstrap: 0
 * member: 0dae1307-1606-11e4-aa94-5255b1455aa0 1
 * member: d3124bc8-1605-11e4-aa3d-ab44303c044a 1
 * #vwend
 * </pre>
 *
 * <p>{@code view_id} contains the view type (3 is a Primary view), the view UUID and the view sequence number,
 * and each {@code member} line contains a member UUID and its {@code gmcast.segment}. Unknown keys are ignored.
 * The file is INVALID unless it contains {@code my_uuid}, one complete {@code #vwbeg}..{@code #vwend} block
 * with a {@code view_id} and at least one member, and this node among the members.
 */
public final class GvwstateParser {

    private static final String VIEW_BEGIN = "#vwbeg";
    private static final String VIEW_END = "#vwend";

    private GvwstateParser() {
    }

    /**
     * Reads and parses a {@code gvwstate.dat} file. Never throws: a missing file is MISSING (Galera deletes
     * it on a clean shutdown), a file that cannot be read is INVALID, and every reason starts with the path.
     */
    public static GvwstateFile read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return GvwstateFile.missing(file + " does not exist");
        } catch (IOException e) {
            return GvwstateFile.invalid("reading " + file + " failed: " + GrastateParser.describe(e));
        }
        GvwstateFile parsed = parse(new String(bytes, StandardCharsets.UTF_8));
        if (parsed.reason().isEmpty()) {
            return parsed;
        }
        return new GvwstateFile(parsed.status(), file + ": " + parsed.reason(), parsed.myUuid(), parsed.viewId(),
                parsed.members());
    }

    /** Parses the text of a {@code gvwstate.dat} file. Never throws for any non-null text. */
    public static GvwstateFile parse(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isBlank()) {
            String reason = text.isEmpty() ? "gvwstate.dat is empty" : "gvwstate.dat contains only whitespace";
            return GvwstateFile.empty(reason);
        }
        String binary = GrastateParser.findBinaryData(text);
        if (binary != null) {
            return GvwstateFile.invalid(binary);
        }
        Contents contents = new Contents();
        try {
            for (String rawLine : text.split("\n", -1)) {
                contents.accept(rawLine.strip());
            }
            return contents.toFile();
        } catch (IllegalArgumentException e) {
            return GvwstateFile.invalid(e.getMessage());
        }
    }

    /** The values collected line by line. Each method throws IllegalArgumentException with the reason. */
    private static final class Contents {
        private String myUuid;
        private String viewId;
        private final List<String> members = new ArrayList<>();
        private boolean viewStarted;
        private boolean viewEnded;

        void accept(String line) {
            if (line.equals(VIEW_BEGIN)) {
                require(!viewStarted, "'" + VIEW_BEGIN + "' appears more than once");
                viewStarted = true;
                return;
            }
            if (line.equals(VIEW_END)) {
                require(viewStarted && !viewEnded, "'" + VIEW_END + "' without a preceding '" + VIEW_BEGIN + "'");
                viewEnded = true;
                return;
            }
            int colon = line.indexOf(':');
            if (line.startsWith("#") || colon < 0) {
                return;
            }
            String key = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            if (viewStarted && !viewEnded) {
                acceptViewLine(key, value);
            } else if (key.equals("my_uuid")) {
                require(myUuid == null, "key 'my_uuid' appears more than once");
                requireUuid("my_uuid", value);
                myUuid = value;
            }
        }

        private void acceptViewLine(String key, String value) {
            if (key.equals("view_id")) {
                require(viewId == null, "key 'view_id' appears more than once");
                String[] fields = value.split("\\s+");
                require(fields.length == 3 && fields[0].matches("[0-9]+") && fields[2].matches("[0-9]+"),
                        "view_id '" + value + "' is not '<type> <view UUID> <sequence number>'");
                requireUuid("view_id UUID", fields[1]);
                viewId = value;
            } else if (key.equals("member")) {
                String[] fields = value.split("\\s+");
                require(fields.length <= 2, "member '" + value + "' is not '<member UUID> <segment>'");
                requireUuid("member", fields[0]);
                require(!members.contains(fields[0]), "member '" + fields[0] + "' appears more than once");
                members.add(fields[0]);
            }
        }

        GvwstateFile toFile() {
            require(myUuid != null, "no 'my_uuid:' line, so the file is truncated or not a gvwstate.dat");
            require(viewStarted, "no '" + VIEW_BEGIN + "' line, so the file contains no saved view");
            require(viewEnded, "no '" + VIEW_END + "' line, so the saved view is truncated");
            require(viewId != null, "no 'view_id:' line between '" + VIEW_BEGIN + "' and '" + VIEW_END + "'");
            require(!members.isEmpty(), "the saved view lists no members");
            require(members.contains(myUuid), "my_uuid '" + myUuid + "' is not among the members " + members);
            return new GvwstateFile(FileStatus.VALID, "", myUuid, viewId, members);
        }

        private static void requireUuid(String key, String value) {
            require(GrastateParser.UUID.matcher(value).matches(), GrastateParser.describeBadUuid(key, value));
        }

        private static void require(boolean condition, String reason) {
            if (!condition) {
                throw new IllegalArgumentException(reason);
            }
        }
    }
}
