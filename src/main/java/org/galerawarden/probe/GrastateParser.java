package org.galerawarden.probe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

import org.galerawarden.model.FileStatus;
import org.galerawarden.model.GrastateFile;

/**
 * Parses {@code grastate.dat}, the file in which Galera saves the state UUID, the seqno of a clean shutdown
 * and the {@code safe_to_bootstrap} flag. Galera 4 writes it as
 *
 * <pre>
 * # GALERA saved state
 * version: 2.1
 * uuid:    5ee99582-bb8d-11e2-b8e3-23de375c1d30
 * seqno:   -1
 * safe_to_bootstrap: 0
 * </pre>
 *
 * <p>and pads it with spaces after the last line when a rewrite is shorter than the old contents. Lines
 * starting with {@code #}, lines without a colon and unknown keys (such as the {@code cert_index:} key of
 * older Galera versions) are ignored, as Galera itself does. A file without {@code safe_to_bootstrap},
 * written by a Galera version before the flag existed, reads as {@code safe_to_bootstrap: 0}.
 */
public final class GrastateParser {

    /** 2^64 - 1: the bits of the int64 seqno -1 printed as an unsigned number. */
    static final String UNSIGNED_MINUS_ONE = "18446744073709551615";

    /** A UUID as Galera prints it ({@code GU_UUID_FORMAT}): lowercase hex digits in 8-4-4-4-12 groups. */
    static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private static final String UUID_KEY = "uuid";
    private static final String SEQNO_KEY = "seqno";
    private static final String SAFE_TO_BOOTSTRAP_KEY = "safe_to_bootstrap";

    private GrastateParser() {
    }

    /**
     * Reads and parses a {@code grastate.dat} file. Never throws: a missing file is MISSING, a file that
     * cannot be read is INVALID, and every reason starts with the file's path.
     */
    public static GrastateFile read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return GrastateFile.missing(file + " does not exist");
        } catch (IOException e) {
            return GrastateFile.invalid("reading " + file + " failed: " + describe(e));
        }
        GrastateFile parsed = parse(new String(bytes, StandardCharsets.UTF_8));
        if (parsed.reason().isEmpty()) {
            return parsed;
        }
        return new GrastateFile(parsed.status(), file + ": " + parsed.reason(), parsed.uuid(), parsed.seqno(),
                parsed.safeToBootstrap());
    }

    /** Parses the text of a {@code grastate.dat} file. Never throws for any non-null text. */
    public static GrastateFile parse(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isBlank()) {
            String reason = text.isEmpty() ? "grastate.dat is empty" : "grastate.dat contains only whitespace";
            return GrastateFile.empty(reason);
        }
        String binary = findBinaryData(text);
        if (binary != null) {
            return GrastateFile.invalid(binary);
        }
        Map<String, String> values = new HashMap<>();
        String duplicate = collectKeys(text, values);
        if (duplicate != null) {
            return GrastateFile.invalid(duplicate);
        }
        return fromValues(values);
    }

    /**
     * Tells whether a seqno is 18446744073709551615, which is -1 printed as an unsigned 64-bit number and
     * so means "no seqno" like -1.
     */
    static boolean isUnsignedMinusOne(String seqno) {
        return UNSIGNED_MINUS_ONE.equals(seqno);
    }

    /**
     * Parses a decimal seqno in the range -1 to 2^63 - 1, reading {@value #UNSIGNED_MINUS_ONE} as -1.
     *
     * @throws NumberFormatException with a message that names the value and what is wrong with it
     */
    static long parseSeqno(String name, String value) {
        if (isUnsignedMinusOne(value)) {
            return -1;
        }
        if (!value.matches("-?[0-9]+")) {
            throw new NumberFormatException(name + " '" + value + "' is not a number");
        }
        long seqno;
        try {
            seqno = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new NumberFormatException(name + " '" + value + "' is outside the signed 64-bit range");
        }
        if (seqno < -1) {
            throw new NumberFormatException(name + " '" + value + "' is below -1");
        }
        return seqno;
    }

    /** Describes an I/O failure by its type and message, because some messages are only a path. */
    static String describe(IOException e) {
        String message = e.getMessage();
        String type = e.getClass().getSimpleName();
        return message == null ? type : type + ": " + message;
    }

    /** Returns a reason when the text contains control characters or bytes that are not UTF-8, else null. */
    static String findBinaryData(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = (c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f;
            if (control || c == '\uFFFD') {
                return String.format("contains binary data (character U+%04X at offset %d), not Galera's text format",
                        (int) c, i);
            }
        }
        return null;
    }

    /** Stores each known {@code key: value} line in {@code values}. Returns a reason if a key repeats, else null. */
    private static String collectKeys(String text, Map<String, String> values) {
        for (String rawLine : text.split("\n", -1)) {
            String line = rawLine.strip();
            int colon = line.indexOf(':');
            if (line.startsWith("#") || colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            boolean known = key.equals(UUID_KEY) || key.equals(SEQNO_KEY) || key.equals(SAFE_TO_BOOTSTRAP_KEY);
            if (known && values.put(key, value) != null) {
                return "key '" + key + "' appears more than once";
            }
        }
        return null;
    }

    private static GrastateFile fromValues(Map<String, String> values) {
        String uuid = values.get(UUID_KEY);
        if (uuid == null) {
            return GrastateFile.invalid("no 'uuid:' line, so the file is truncated or not a grastate.dat");
        }
        if (!UUID.matcher(uuid).matches()) {
            return GrastateFile.invalid(describeBadUuid("uuid", uuid));
        }
        String seqnoText = values.get(SEQNO_KEY);
        if (seqnoText == null) {
            return GrastateFile.invalid("no 'seqno:' line, so the file is truncated or not a grastate.dat");
        }
        long seqno;
        try {
            seqno = parseSeqno("seqno", seqnoText);
        } catch (NumberFormatException e) {
            return GrastateFile.invalid(e.getMessage());
        }
        String flag = values.getOrDefault(SAFE_TO_BOOTSTRAP_KEY, "0");
        if (!flag.equals("0") && !flag.equals("1")) {
            return GrastateFile.invalid("safe_to_bootstrap '" + flag + "' is not 0 or 1");
        }
        return new GrastateFile(FileStatus.VALID, "", uuid, seqno, flag.equals("1"));
    }

    /** Returns why a value is not a UUID in Galera's format, naming the key and the value. */
    static String describeBadUuid(String key, String value) {
        if (value.isEmpty()) {
            return key + " is empty, so the file is truncated";
        }
        return key + " '" + value + "' is not a UUID in Galera's format (8-4-4-4-12 lowercase hex digits)";
    }
}
