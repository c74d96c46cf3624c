package org.galerawarden.garbd;

import java.util.Map;

import org.galerawarden.config.PeerSettings;
import org.galerawarden.config.Settings;
import org.galerawarden.model.PeerView;
import org.galerawarden.model.Role;
import org.galerawarden.model.ServerStatus;

/**
 * The data peers' evidence of a member that is not a data node, such as garbd, in their Primary
 * component. A Primary server whose {@code wsrep_cluster_size} exceeds the data nodes that can be in its
 * component shows one. Only reports of reachable agents count.
 *
 * <p>NOTE: with more than one garbd in the cluster, an extra member may be another garbd.
 *
 * @param extraMember true when the reports show a non-data member, false when the data nodes seen
 *     account for the whole component, null when the reports cannot tell
 * @param detail the reports behind that verdict, in one line
 */
public record PeerEvidence(Boolean extraMember, String detail) {

    /** Evaluates the data peers' latest reports. */
    public static PeerEvidence evaluate(Settings settings, Map<String, PeerView> peers) {
        int dataNodes = 0;
        int outside = 0;
        int primaryPeers = 0;
        int largest = 0;
        String largestNode = "";

        for (PeerSettings peer : settings.peers().values()) {
            if (peer.role() != Role.DATA) {
                continue;
            }
            dataNodes++;
            PeerView view = peers.get(peer.name());
            if (view == null || !view.reachable() || view.lastReport().isEmpty()) {
                continue;
            }
            ServerStatus server = view.lastReport().get().snapshot().server();
            if (!server.isPrimary()) {
                outside++;
                continue;
            }
            primaryPeers++;
            if (server.clusterSize() > largest) {
                largest = server.clusterSize();
                largestNode = peer.name();
            }
        }

        if (primaryPeers == 0) {
            return new PeerEvidence(null, "no reachable data node reports a Primary component");
        }
        int capacity = dataNodes - outside;
        String seen = largestNode + " is Primary with wsrep_cluster_size " + largest;
        if (largest > capacity) {
            return new PeerEvidence(true, seen + ", more than the " + capacity + " data nodes that can be in its"
                    + " component");
        }
        if (largest == primaryPeers) {
            return new PeerEvidence(false, seen + ", which the " + primaryPeers + " Primary data nodes account for");
        }
        return new PeerEvidence(null, seen + "; " + primaryPeers + " of " + capacity + " possible data nodes report"
                + " Primary, so the reports cannot tell");
    }
}
