package org.galerawarden.peer;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.UriInfo;

import io.vertx.core.http.HttpServerRequest;

import org.galerawarden.audit.RepeatFilter;
import org.galerawarden.config.Settings;
import org.galerawarden.peer.auth.RequestVerifier.Verification;
import org.jboss.logging.Logger;

/**
 * Admits operator requests to {@code /status} and {@code /maintenance}: a request signed like a peer
 * request, or a request from a loopback address that carries the shared secret as
 * {@code Authorization: Bearer}, so an operator on the host can use curl. The bearer form is refused
 * from any other address because it sends the secret itself.
 */
@ApplicationScoped
public class AdminAccess {

    private static final Logger LOG = Logger.getLogger(AdminAccess.class);
    private static final String BEARER = "Bearer ";

    @Inject
    Settings settings;

    @Inject
    PeerAuth auth;

    private final RepeatFilter repeats = new RepeatFilter(java.time.Duration.ofSeconds(30), System::nanoTime);

    /** Returns why the request is rejected, or empty when it is admitted. */
    public Optional<String> check(String method, UriInfo uri, HttpHeaders headers, byte[] body,
            HttpServerRequest request) {
        String authorization = headers.getHeaderString(HttpHeaders.AUTHORIZATION);
        String path = PeerAuth.requestTarget(uri);
        String client = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            if (!isLoopback(client)) {
                return reject(method, path, client, "the bearer secret is accepted only from a loopback address;"
                        + " sign the request like a peer, or call the agent from its own host");
            }
            if (!auth.matchesSecret(authorization.substring(BEARER.length()))) {
                return reject(method, path, client, "the bearer secret does not match warden.secret-file");
            }
            return Optional.empty();
        }
        Verification verification = auth.verify(method, path, body, headers::getHeaderString);
        if (verification instanceof Verification.Rejected rejected) {
            return reject(method, path, client, rejected.reason());
        }
        return Optional.empty();
    }

    private Optional<String> reject(String method, String path, String client, String reason) {
        long suppressed = repeats.admit(client + method + path + reason);
        if (suppressed >= 0) {
            LOG.warnf("[%s] rejected %s %s from %s: %s (%d similar rejections suppressed)", settings.nodeName(),
                    method, path, client, reason, suppressed);
        }
        return Optional.of(reason);
    }

    private static boolean isLoopback(String address) {
        if (!address.matches("[0-9a-fA-F.:]+")) {
            return false;
        }
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
