package org.galerawarden.config;

/** Whether the agent carries out its recovery decisions or only logs them. */
public enum Mode {
    /** Log every decision and the action it would take, and take none. */
    OBSERVE,
    /** Take the actions the decisions call for. */
    ACT
}
