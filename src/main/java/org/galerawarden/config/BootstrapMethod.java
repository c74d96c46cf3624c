package org.galerawarden.config;

/** How a granted candidate restores the Primary Component in place. */
public enum BootstrapMethod {
    /** Run {@code pc.bootstrap=YES}, and restart the node as a new cluster only when that fails. */
    AUTO,
    /** Always restart the node as a new cluster through the stop and new-cluster commands. */
    RESTART
}
