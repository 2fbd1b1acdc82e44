package dev.slice.billing;

import dev.slice.api.ApiError;
import io.swagger.v3.oas.annotations.Hidden;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/billing/provider-events}: the payment provider's webhook. No session or token: the body's
 * HMAC signature is the authentication (401 without a good one), so it is open in the API's security chain. Not in the
 * OpenAPI document: it is the provider's contract, written in {@link ProviderEvents}.
 */
@dev.slice.api.SliceApi
@RestController
@Hidden
public class ProviderEventController {
    public static final String PATH = "/api/billing/provider-events";
    private final ProviderEvents events;

    ProviderEventController(ProviderEvents events) {
        this.events = events;
    }

    @PostMapping(path = PATH, consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<?> receive(@RequestBody(required = false) byte[] body,
                              @RequestHeader(name = ProviderEvents.SIGNATURE_HEADER, required = false) String signature) {
        try {
            return ResponseEntity.ok(events.receive(body == null ? new byte[0] : body, signature));
        } catch (ProviderEvents.BadSignature e) {
            return ResponseEntity.status(HttpStatus.UNAUTHORIZED).contentType(MediaType.APPLICATION_JSON)
                    .body(new ApiError(401, "bad_signature", e.getMessage(), List.of()));
        }
    }
}
