package org.galerawarden.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parses the Galera addresses that garbd takes: the cluster address {@code gcomm://host[:port],...} and
 * the listen address {@code tcp://host:port}. Parsing checks the form only; port ranges and name
 * resolution are checked before garbd starts, by {@code GarbdPreflight}.
 */
public final class GaleraAddress {

    /** Galera's group communication port, used where an address names no port. */
    public static final int DEFAULT_PORT = 4567;

    /** One host and port of a Galera address; the port may be out of range until checked. */
    public record Endpoint(String host, int port) {

        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    private GaleraAddress() {
    }

    /**
     * Parses {@code gcomm://host[:port][,host[:port]...][?options]} into its members. Options after
     * {@code ?} are kept by garbd and ignored here.
     *
     * @throws IllegalArgumentException with the reason when the form is invalid
     */
    public static List<Endpoint> parseCluster(String address) {
        String value = address.trim();
        if (!value.toLowerCase(Locale.ROOT).startsWith("gcomm://")) {
            throw new IllegalArgumentException("it does not start with gcomm://");
        }
        String members = value.substring("gcomm://".length());
        int query = members.indexOf('?');
        if (query >= 0) {
            members = members.substring(0, query);
        }
        if (members.isBlank()) {
            // An empty member list makes Galera bootstrap a new cluster instead of joining one.
            throw new IllegalArgumentException("it lists no member, and an empty gcomm:// starts a new cluster");
        }
        List<Endpoint> endpoints = new ArrayList<>();
        for (String member : members.split(",", -1)) {
            endpoints.add(parseEndpoint(member.trim(), DEFAULT_PORT));
        }
        return endpoints;
    }

    /**
     * Parses a listen address {@code tcp://host:port} or {@code ssl://host:port}.
     *
     * @throws IllegalArgumentException with the reason when the form is invalid
     */
    public static Endpoint parseListen(String address) {
        String value = address.trim();
        String lower = value.toLowerCase(Locale.ROOT);
        String rest;
        if (lower.startsWith("tcp://")) {
            rest = value.substring("tcp://".length());
        } else if (lower.startsWith("ssl://")) {
            rest = value.substring("ssl://".length());
        } else {
            throw new IllegalArgumentException("it does not start with tcp:// or ssl://");
        }
        return parseEndpoint(rest, -1);
    }

    /** Formats a cluster address from member hosts, each with Galera's default port. */
    public static String clusterOf(List<String> hosts) {
        List<String> members = hosts.stream().map(host -> host + ":" + DEFAULT_PORT).toList();
        return "gcomm://" + String.join(",", members);
    }

    /** Parses {@code host[:port]}, where host may be an IPv6 literal in brackets; -1 means the port is required. */
    private static Endpoint parseEndpoint(String text, int defaultPort) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("it has an empty member");
        }
        String host;
        String port;
        boolean colon;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("'" + text + "' has no closing ] after the IPv6 address");
            }
            host = text.substring(0, close + 1);
            String after = text.substring(close + 1);
            if (!after.isEmpty() && !after.startsWith(":")) {
                throw new IllegalArgumentException("'" + text + "' has text after the IPv6 address");
            }
            colon = !after.isEmpty();
            port = colon ? after.substring(1) : "";
        } else {
            int index = text.lastIndexOf(':');
            colon = index >= 0;
            host = colon ? text.substring(0, index) : text;
            port = colon ? text.substring(index + 1) : "";
            if (host.contains(":")) {
                throw new IllegalArgumentException("'" + text + "' has more than one colon; write IPv6 addresses"
                        + " in brackets, such as [fd00::11]:4567");
            }
        }
        if (host.isEmpty() || host.equals("[]")) {
            throw new IllegalArgumentException("'" + text + "' has no host");
        }
        if (colon && port.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' has an empty port after the colon");
        }
        if (port.isEmpty()) {
            if (defaultPort < 0) {
                throw new IllegalArgumentException("'" + text + "' has no port");
            }
            return new Endpoint(host, defaultPort);
        }
        if (!port.matches("[0-9]{1,9}")) {
            throw new IllegalArgumentException("'" + text + "' has port '" + port + "', which is not a number");
        }
        return new Endpoint(host, Integer.parseInt(port));
    }
}
