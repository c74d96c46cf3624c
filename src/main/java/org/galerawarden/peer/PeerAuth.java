package org.galerawarden.peer;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;

import org.galerawarden.config.Settings;
import org.galerawarden.peer.auth.InvalidSecretException;
import org.galerawarden.peer.auth.ReplayGuard;
import org.galerawarden.peer.auth.RequestSigner;
import org.galerawarden.peer.auth.RequestVerifier;
import org.galerawarden.peer.auth.SecretFile;

/** Signs this agent's requests and verifies its peers' requests with the shared secret. */
public class PeerAuth {

    /** Largest accepted difference between a request's timestamp and this host's clock. */
    public static final Duration MAX_SKEW = Duration.ofSeconds(30);

    private final String node;
    private final byte[] secret;
    private final RequestSigner signer;
    private final RequestVerifier verifier;

    public PeerAuth(Settings settings, Clock clock) throws InvalidSecretException {
        this.secret = SecretFile.load(settings.secretFile());
        this.node = settings.nodeName();
        this.signer = new RequestSigner(secret, clock, RequestSigner.randomNonces(new SecureRandom()));
        this.verifier = new RequestVerifier(secret, settings.peers().keySet(), clock, MAX_SKEW,
                ReplayGuard.forSkew(clock, MAX_SKEW));
    }

    /** Returns the request target as the client signed it: the raw path and, when present, the raw query. */
    public static String requestTarget(jakarta.ws.rs.core.UriInfo uri) {
        String query = uri.getRequestUri().getRawQuery();
        return uri.getRequestUri().getRawPath() + (query == null ? "" : "?" + query);
    }

    public RequestSigner.SignedHeaders sign(String method, String pathAndQuery, byte[] body) {
        return signer.sign(node, method, pathAndQuery, body);
    }

    public RequestVerifier.Verification verify(String method, String pathAndQuery, byte[] body,
            Function<String, String> header) {
        return verifier.verify(method, pathAndQuery, body, header);
    }

    /** Compares a presented secret with the shared one in constant time. */
    public boolean matchesSecret(String presented) {
        return presented != null && java.security.MessageDigest.isEqual(secret,
                presented.strip().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public String signReply(String nonce, int status, byte[] body) {
        return signer.signReply(nonce, status, body);
    }

    public boolean verifyReply(String nonce, int status, byte[] body, String signature) {
        return signer.verifyReply(nonce, status, body, signature);
    }
}
