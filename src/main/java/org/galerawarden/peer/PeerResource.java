package org.galerawarden.peer;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.galerawarden.audit.AuditJournal;
import org.galerawarden.audit.RepeatFilter;
import org.galerawarden.config.Settings;
import org.galerawarden.decision.Verdict;
import org.galerawarden.loop.AgentState;
import org.galerawarden.loop.MonotonicClock;
import org.galerawarden.model.NodeSnapshot;
import org.galerawarden.model.PeerReport;
import org.galerawarden.peer.auth.RequestSigner;
import org.galerawarden.peer.auth.RequestVerifier.Verification;
import org.jboss.logging.Logger;

/**
 * The peer protocol's server side: state, bootstrap grants and lease renewals. Every request must be
 * signed by a configured peer with a fresh timestamp and an unused nonce. Any other request gets 401
 * with a JSON reason, is logged, and changes nothing. Method names mirror {@link PeerClient}.
 */
@Path("/peer")
public class PeerResource {

    private static final Logger LOG = Logger.getLogger(PeerResource.class);

    @Inject
    Settings settings;

    @Inject
    PeerAuth auth;

    @Inject
    Voter voter;

    @Inject
    AgentState state;

    @Inject
    AuditJournal audit;

    @Inject
    ObjectMapper json;

    @Inject
    MonotonicClock clock;

    private RepeatFilter repeats;

    @GET
    @Path("/state")
    public Response state(@Context HttpHeaders headers, @Context UriInfo uri) {
        return handle("GET", uri, headers, new byte[0], accepted -> {
            String nonce = accepted.nonce();
            NodeSnapshot snapshot = state.snapshot().orElse(null);
            if (snapshot == null) {
                return reply(nonce, 503, new ErrorReply("no snapshot taken yet; the agent is starting"));
            }
            String decision = state.decision().map(d -> d.kind().name()).orElse("NONE");
            return reply(nonce, 200, new PeerReport(snapshot, voter.term(), decision));
        });
    }

    @POST
    @Path("/grant")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response grant(byte[] body, @Context HttpHeaders headers, @Context UriInfo uri) {
        return handle("POST", uri, headers, body, accepted -> {
            String nonce = accepted.nonce();
            GrantRequest request = json.readValue(body, GrantRequest.class);
            if (request == null || request.candidate() == null) {
                return reply(nonce, 400, new ErrorReply("grant request without a candidate"));
            }
            if (!accepted.sender().equals(request.candidate())) {
                return senderMismatch(nonce, accepted.sender(), request.candidate());
            }
            NodeSnapshot self = state.snapshot().orElse(null);
            if (self == null || request.position() == null) {
                return reply(nonce, 400, new ErrorReply(self == null ? "no snapshot taken yet; retry shortly"
                        : "grant request without a position"));
            }
            Verdict verdict = voter.grant(request.term(), request.candidate(), request.position(), self,
                    state.peers(), state.history());
            recordVote("grant", request.candidate(), request.term(), verdict);
            return reply(nonce, 200, new VoteReply(settings.nodeName(), verdict.granted(), verdict.reason(),
                    voter.term()));
        });
    }

    @POST
    @Path("/lease")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response lease(byte[] body, @Context HttpHeaders headers, @Context UriInfo uri) {
        return handle("POST", uri, headers, body, accepted -> {
            String nonce = accepted.nonce();
            LeaseRequest request = json.readValue(body, LeaseRequest.class);
            NodeSnapshot self = state.snapshot().orElse(null);
            if (request == null || request.holder() == null || self == null) {
                return reply(nonce, 400, new ErrorReply(self == null ? "no snapshot taken yet; retry shortly"
                        : "lease request without a holder"));
            }
            if (!accepted.sender().equals(request.holder())) {
                return senderMismatch(nonce, accepted.sender(), request.holder());
            }
            Verdict verdict = voter.renewLease(request.term(), request.holder(), self);
            recordVote("lease", request.holder(), request.term(), verdict);
            return reply(nonce, 200, new VoteReply(settings.nodeName(), verdict.granted(), verdict.reason(),
                    voter.term()));
        });
    }

    private interface Handler {
        Response handle(Verification.Accepted request) throws IOException;
    }

    private Response handle(String method, UriInfo uri, HttpHeaders headers, byte[] body, Handler handler) {
        String path = PeerAuth.requestTarget(uri);
        Verification verification = auth.verify(method, path, body, headers::getHeaderString);
        if (verification instanceof Verification.Rejected rejected) {
            String sender = String.valueOf(headers.getHeaderString(RequestSigner.NODE_HEADER));
            if (sender.length() > 64) {
                sender = sender.substring(0, 64) + "...";
            }
            // The key contains nothing the client chooses, so varied headers cannot defeat the rate limit.
            long suppressed = repeats().admit(rejected.problem() + method + uri.getRequestUri().getRawPath());
            if (suppressed >= 0) {
                LOG.warnf("[%s] rejected %s %s claiming sender %s: %s (%d similar rejections suppressed)",
                        settings.nodeName(), method, path, sender, rejected.reason(), suppressed);
            }
            return Response.status(401).type(MediaType.APPLICATION_JSON)
                    .entity(encode(new ErrorReply(rejected.reason()))).build();
        }
        Verification.Accepted accepted = (Verification.Accepted) verification;
        String nonce = accepted.nonce();
        try {
            return handler.handle(accepted);
        } catch (IOException e) {
            LOG.warnf("[%s] rejected %s %s: invalid JSON body: %s", settings.nodeName(), method, path, e.getMessage());
            return reply(nonce, 400, new ErrorReply("invalid JSON body: " + e.getMessage()));
        }
    }

    private Response senderMismatch(String nonce, String sender, String named) {
        LOG.warnf("[%s] rejected a vote request signed by %s on behalf of %s", settings.nodeName(), sender, named);
        return reply(nonce, 403, new ErrorReply("request signed by " + sender + " names " + named
                + "; a node may only ask for itself"));
    }

    private void recordVote(String type, String candidate, long term, Verdict verdict) {
        String outcome = verdict.granted() ? "GRANTED" : "REJECTED";
        LOG.infof("[%s] %s %s for %s in term %d: %s", settings.nodeName(), type, outcome, candidate, term,
                verdict.reason());
        audit.record(type, outcome, verdict.reason(), term, Map.of("candidate", candidate));
    }

    private Response reply(String nonce, int status, Object entity) {
        byte[] bytes = encode(entity);
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(bytes)
                .header(RequestSigner.SIGNATURE_HEADER, auth.signReply(nonce, status, bytes)).build();
    }

    private byte[] encode(Object entity) {
        try {
            return json.writeValueAsBytes(entity);
        } catch (IOException e) {
            throw new IllegalStateException("encoding a reply failed", e);
        }
    }

    private synchronized RepeatFilter repeats() {
        if (repeats == null) {
            repeats = new RepeatFilter(Duration.ofSeconds(30), clock::nanos);
        }
        return repeats;
    }
}
