package org.galerawarden.peer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.galerawarden.config.PeerSettings;
import org.galerawarden.model.PeerReport;
import org.galerawarden.peer.auth.RequestSigner;

/**
 * Calls other agents. Every request is signed, and every reply must carry a signature bound to the
 * request's nonce, so a forged or replayed reply fails the call. Method names mirror {@link PeerResource}.
 */
public class PeerClient {

    private final PeerAuth auth;
    private final ObjectMapper json;
    private final Duration timeout;
    private final HttpClient http;

    public PeerClient(PeerAuth auth, ObjectMapper json, Duration timeout) {
        this.auth = auth;
        this.json = json;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    public CompletableFuture<PeerReport> state(PeerSettings peer) {
        return call(peer, "GET", PeerPaths.STATE, new byte[0], PeerReport.class);
    }

    public CompletableFuture<VoteReply> grant(PeerSettings peer, GrantRequest request) {
        return call(peer, "POST", PeerPaths.GRANT, encode(request), VoteReply.class);
    }

    public CompletableFuture<VoteReply> lease(PeerSettings peer, LeaseRequest request) {
        return call(peer, "POST", PeerPaths.LEASE, encode(request), VoteReply.class);
    }

    private <T> CompletableFuture<T> call(PeerSettings peer, String method, String path, byte[] body, Class<T> type) {
        RequestSigner.SignedHeaders signed = auth.sign(method, path, body);
        URI uri = peer.url().resolve(path);
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(timeout)
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/json");
        for (Map.Entry<String, String> header : signed.asMap().entrySet()) {
            builder.header(header.getKey(), header.getValue());
        }
        return http.sendAsync(builder.build(), HttpResponse.BodyHandlers.ofByteArray())
                .handle((response, error) -> {
                    if (error != null) {
                        Throwable cause = error instanceof CompletionException && error.getCause() != null
                                ? error.getCause() : error;
                        throw new PeerCallException(method + " " + uri + " failed: " + describe(cause), cause);
                    }
                    return decode(peer, uri, signed.nonce(), response, type);
                });
    }

    private <T> T decode(PeerSettings peer, URI uri, String nonce, HttpResponse<byte[]> response, Class<T> type) {
        String signature = response.headers().firstValue(RequestSigner.SIGNATURE_HEADER).orElse("");
        if (!auth.verifyReply(nonce, response.statusCode(), response.body(), signature)) {
            throw new PeerCallException("reply from " + peer.name() + " at " + uri + " (HTTP " + response.statusCode()
                    + ") has a missing or wrong signature; check that both agents use the same secret file");
        }
        try {
            if (response.statusCode() != 200) {
                ErrorReply error = json.readValue(response.body(), ErrorReply.class);
                throw new PeerCallException(peer.name() + " rejected the request to " + uri + " (HTTP "
                        + response.statusCode() + "): " + error.error());
            }
            return json.readValue(response.body(), type);
        } catch (IOException e) {
            throw new PeerCallException("reply from " + peer.name() + " at " + uri + " is not valid JSON: "
                    + e.getMessage(), e);
        }
    }

    private byte[] encode(Object request) {
        try {
            return json.writeValueAsBytes(request);
        } catch (IOException e) {
            throw new IllegalStateException("encoding " + request + " failed", e);
        }
    }

    private static String describe(Throwable error) {
        String message = error.getMessage();
        String name = error.getClass().getSimpleName();
        return message == null ? name : name + ": " + message;
    }
}
