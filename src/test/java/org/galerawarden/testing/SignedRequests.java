package org.galerawarden.testing;

import static io.restassured.RestAssured.given;

import java.security.SecureRandom;
import java.time.Clock;

import io.restassured.specification.RequestSpecification;

import org.galerawarden.peer.auth.RequestSigner;

/**
 * RestAssured requests to an agent on 127.0.0.1, signed the way {@code PeerClient} signs them. The caller
 * passes the exact path with query and body that it sends, because the signature covers both.
 */
public final class SignedRequests {

    /** Base URI of every request: the agent under test listens on loopback only. */
    public static final String LOOPBACK = "http://127.0.0.1";

    private SignedRequests() {
    }

    /** Returns a signer with random nonces that signs with {@code secret} at the time of {@code clock}. */
    public static RequestSigner signer(byte[] secret, Clock clock) {
        return new RequestSigner(secret, clock, RequestSigner.randomNonces(new SecureRandom()));
    }

    /** Returns a request to the agent on loopback without credentials. */
    public static RequestSpecification unsigned() {
        return given().baseUri(LOOPBACK);
    }

    /** Returns a request carrying {@code headers}, with {@code body} as JSON when it is not empty. */
    public static RequestSpecification signed(RequestSigner.SignedHeaders headers, byte[] body) {
        RequestSpecification request = unsigned().headers(headers.asMap());
        if (body.length > 0) {
            request = request.contentType("application/json").body(body);
        }
        return request;
    }
}
