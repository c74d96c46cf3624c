package org.galerawarden.status;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import io.vertx.core.http.HttpServerRequest;

import org.galerawarden.audit.AuditJournal;
import org.galerawarden.config.Settings;
import org.galerawarden.peer.AdminAccess;
import org.galerawarden.peer.ErrorReply;
import org.jboss.logging.Logger;

/**
 * The maintenance switch: {@code PUT /maintenance} drains the node (the health check answers 503),
 * {@code DELETE /maintenance} returns it to service. It creates and removes the maintenance file, so the
 * file and the API are one switch that survives restarts; the next probe picks the change up.
 */
@Path("/maintenance")
public class MaintenanceResource {

    private static final Logger LOG = Logger.getLogger(MaintenanceResource.class);

    @Inject
    Settings settings;

    @Inject
    AdminAccess access;

    @Inject
    AuditJournal audit;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response get(@Context UriInfo uri, @Context HttpHeaders headers, @Context HttpServerRequest request) {
        return guarded("GET", uri, headers, request, () -> view());
    }

    @PUT
    @Produces(MediaType.APPLICATION_JSON)
    public Response enter(@Context UriInfo uri, @Context HttpHeaders headers, @Context HttpServerRequest request) {
        return guarded("PUT", uri, headers, request, () -> {
            Files.writeString(settings.health().maintenanceFile(), "set through the maintenance API\n");
            LOG.warnf("[%s] maintenance switched on through the API: health answers 503", settings.nodeName());
            audit.record("action", "MAINTENANCE_ON", "maintenance switched on through the API", 0, Map.of());
            return view();
        });
    }

    @DELETE
    @Produces(MediaType.APPLICATION_JSON)
    public Response leave(@Context UriInfo uri, @Context HttpHeaders headers, @Context HttpServerRequest request) {
        return guarded("DELETE", uri, headers, request, () -> {
            Files.deleteIfExists(settings.health().maintenanceFile());
            LOG.warnf("[%s] maintenance switched off through the API", settings.nodeName());
            audit.record("action", "MAINTENANCE_OFF", "maintenance switched off through the API", 0, Map.of());
            return view();
        });
    }

    private interface Change {
        Map<String, Object> apply() throws IOException;
    }

    private Response guarded(String method, UriInfo uri, HttpHeaders headers, HttpServerRequest request,
            Change change) {
        Optional<String> rejected = access.check(method, uri, headers, new byte[0], request);
        if (rejected.isPresent()) {
            return Response.status(401).entity(new ErrorReply(rejected.get())).build();
        }
        try {
            return Response.ok(change.apply()).build();
        } catch (IOException e) {
            LOG.errorf("[%s] changing the maintenance file %s failed: %s", settings.nodeName(),
                    settings.health().maintenanceFile(), e.getMessage());
            return Response.status(500).entity(new ErrorReply("changing the maintenance file "
                    + settings.health().maintenanceFile() + " failed: " + e.getMessage())).build();
        }
    }

    private Map<String, Object> view() {
        return Map.of("maintenance", Files.exists(settings.health().maintenanceFile()), "file",
                settings.health().maintenanceFile().toString());
    }
}
