package org.galerawarden.model;

import java.util.List;

/**
 * The parsed contents of {@code gvwstate.dat}: this node's Galera member UUID and the members of the
 * last Primary view it saw. Galera deletes the file on a clean shutdown, so a missing file is normal
 * after one.
 *
 * @param status whether the file was read and parsed
 * @param reason why the file is not valid, or an empty string when it is
 * @param myUuid this node's member UUID ({@code my_uuid})
 * @param viewId the view id line ({@code view_id}) as written, or an empty string
 * @param members member UUIDs of the saved view, in file order
 */
public record GvwstateFile(FileStatus status, String reason, String myUuid, String viewId, List<String> members) {

    public GvwstateFile {
        members = List.copyOf(members);
    }

    public static GvwstateFile missing(String reason) {
        return new GvwstateFile(FileStatus.MISSING, reason, "", "", List.of());
    }

    public static GvwstateFile empty(String reason) {
        return new GvwstateFile(FileStatus.EMPTY, reason, "", "", List.of());
    }

    public static GvwstateFile invalid(String reason) {
        return new GvwstateFile(FileStatus.INVALID, reason, "", "", List.of());
    }
}
