package org.galerawarden.config;

import java.util.List;

/** Raised at start when the configuration cannot be used; the message lists every problem with its fix. */
public class InvalidConfigException extends RuntimeException {

    private final List<String> problems;

    public InvalidConfigException(List<String> problems) {
        super("invalid configuration, the agent takes no action:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
