package org.galerawarden.garbd;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.galerawarden.config.GaleraAddress;
import org.galerawarden.config.GarbdSettings;

/**
 * Checks, before each start of garbd, the conditions that would make it fail or hang: the executable,
 * the peer names and ports of the cluster address, the working directory and the listen address. Each
 * failed check gives one message that names the value and the fix. Name resolution is a parameter, so
 * tests need no DNS.
 */
public final class GarbdPreflight {

    /** Resolves a host name or address literal, as {@link InetAddress#getAllByName} does. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final GarbdSettings settings;
    private final Resolver resolver;

    public GarbdPreflight(GarbdSettings settings, Resolver resolver) {
        this.settings = settings;
        this.resolver = resolver;
    }

    /** Returns a preflight that resolves names with the system resolver ({@code /etc/hosts}, then DNS). */
    public static GarbdPreflight withSystemResolver(GarbdSettings settings) {
        return new GarbdPreflight(settings, InetAddress::getAllByName);
    }

    /** Runs every check and returns the problems found, empty when garbd can start. */
    public List<String> check() {
        List<String> problems = new ArrayList<>();
        checkBinary().ifPresent(problems::add);
        problems.addAll(checkClusterAddress());
        checkWorkingDirectory().ifPresent(problems::add);
        checkListenAddress().ifPresent(problems::add);
        return problems;
    }

    private Optional<String> checkBinary() {
        Path binary = settings.binary();
        if (!Files.isRegularFile(binary) || !Files.isExecutable(binary)) {
            return Optional.of("garbd executable " + binary + " (warden.garbd.binary) is missing or not executable;"
                    + " install the galera-arbitrator-4 package or set warden.garbd.binary");
        }
        return Optional.empty();
    }

    private List<String> checkClusterAddress() {
        List<String> problems = new ArrayList<>();
        List<GaleraAddress.Endpoint> members;
        try {
            members = GaleraAddress.parseCluster(settings.address());
        } catch (IllegalArgumentException e) {
            problems.add("garbd cluster address " + settings.address() + " (warden.garbd.address) is invalid: "
                    + e.getMessage() + "; use a form such as gcomm://10.0.0.11:4567,10.0.0.12:4567");
            return problems;
        }
        for (GaleraAddress.Endpoint member : members) {
            if (!validPort(member.port())) {
                problems.add("garbd peer port " + member.port() + " of " + member.host() + " in " + settings.address()
                        + " (warden.garbd.address) is out of range; use 1 to 65535, Galera's default is 4567");
            }
            resolveProblem(member.host()).ifPresent(reason -> problems.add("garbd peer host '" + member.host()
                    + "' in " + settings.address() + " (warden.garbd.address) does not resolve (" + reason
                    + "); fix the name, add it to /etc/hosts, or use the node's IP address"));
        }
        return problems;
    }

    private Optional<String> checkWorkingDirectory() {
        Path dir = settings.workingDirectory();
        String name = "garbd working directory " + dir + " (warden.garbd.working-directory)";
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            return Optional.of(name + " exists but is not a directory; remove that file or set the property to a"
                    + " directory");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException | SecurityException e) {
            Optional<Path> file = firstNonDirectoryAncestor(dir);
            if (file.isPresent()) {
                return Optional.of(name + " cannot be created because " + file.get() + " is not a directory; remove"
                        + " that file or set the property to another directory");
            }
            return Optional.of(name + " cannot be created (" + describe(e) + "); create it and give the agent's"
                    + " user ownership of it");
        }
        try {
            // Files.isWritable misjudges root and ACLs, so write and delete a file as garbd would.
            Path probe = Files.createTempFile(dir, ".write-probe-", ".tmp");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            return Optional.of(name + " is not writable (" + describe(e) + "); give the agent's user write access"
                    + " to it or set the property to a writable directory");
        }
        return Optional.empty();
    }

    private static Optional<Path> firstNonDirectoryAncestor(Path dir) {
        for (Path parent = dir.toAbsolutePath().getParent(); parent != null; parent = parent.getParent()) {
            if (Files.exists(parent)) {
                return Files.isDirectory(parent) ? Optional.empty() : Optional.of(parent);
            }
        }
        return Optional.empty();
    }

    private Optional<String> checkListenAddress() {
        GaleraAddress.Endpoint listen;
        try {
            listen = GaleraAddress.parseListen(settings.listenAddress());
        } catch (IllegalArgumentException e) {
            return Optional.of("garbd listen address " + settings.listenAddress()
                    + " (warden.garbd.listen-address) is invalid: " + e.getMessage()
                    + "; use a form such as tcp://0.0.0.0:4567");
        }
        String name = "garbd listen address " + settings.listenAddress() + " (warden.garbd.listen-address)";
        if (!validPort(listen.port())) {
            return Optional.of(name + " has port " + listen.port() + ", which is out of range; use 1 to 65535,"
                    + " Galera's default is 4567");
        }
        String host = listen.host().startsWith("[") ? listen.host().substring(1, listen.host().length() - 1)
                : listen.host();
        InetAddress address;
        try {
            address = resolver.resolve(host)[0];
        } catch (UnknownHostException | SecurityException e) {
            return Optional.of(name + " names host '" + host + "', which does not resolve (" + describe(e)
                    + "); use an address of this host or 0.0.0.0");
        }
        try (ServerSocket socket = new ServerSocket()) {
            // SO_REUSEADDR keeps connections of an exited garbd in TIME_WAIT from making the port look busy.
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(address, listen.port()));
        } catch (IOException | SecurityException e) {
            return Optional.of(name + " cannot be bound (" + describe(e) + "); stop the process that listens on"
                    + " port " + listen.port() + " (ss -ltnp 'sport = :" + listen.port() + "'), or set the property"
                    + " to a free address of this host");
        }
        return Optional.empty();
    }

    private Optional<String> resolveProblem(String host) {
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        try {
            InetAddress[] addresses = resolver.resolve(bare);
            return addresses.length == 0 ? Optional.of("no address") : Optional.empty();
        } catch (UnknownHostException | SecurityException e) {
            return Optional.of(describe(e));
        }
    }

    private static boolean validPort(int port) {
        return port >= 1 && port <= 65535;
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + ": " + message;
    }
}
