package io.robustlab.gateway.web;

import io.robustlab.api.model.ImageAttackRequest;
import io.robustlab.api.model.ImageAttackResponse;
import io.robustlab.api.web.AttacksApi;
import io.robustlab.gateway.security.AuditLog;
import io.robustlab.service.web.InternalApi;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

/**
 * Forwards the synchronous image attack to attack-service, which holds the model on its device.
 * The request is validated here first; attack-service's client errors come back as they were.
 */
@RestController
public class AttacksController implements AttacksApi {

    private final AttackService attackService;
    private final AuditLog audit;

    public AttacksController(AttackService attackService, AuditLog audit) {
        this.attackService = attackService;
        this.audit = audit;
    }

    @Override
    public ResponseEntity<ImageAttackResponse> attackImages(ImageAttackRequest request) {
        audit.record("attack.images", null, request.getImages().size() + " images");
        return ResponseEntity.ok(attackService.postJson(InternalApi.ATTACKS, request, ImageAttackResponse.class));
    }
}
