package io.robustlab.gateway.web;

import io.robustlab.api.ApiTimes;
import io.robustlab.api.model.ApiToken;
import io.robustlab.api.model.AuditEvent;
import io.robustlab.api.model.AuditEventPage;
import io.robustlab.api.model.NewToken;
import io.robustlab.api.model.TokenRequest;
import io.robustlab.api.web.TokensApi;
import io.robustlab.gateway.security.ApiTokens;
import io.robustlab.gateway.security.AuditLog;
import io.robustlab.gateway.security.Caller;
import io.robustlab.gateway.security.Role;
import io.robustlab.service.web.ApiException;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

/** Token management and the audit log: admin only (checked by the filter's rules and again here). */
@RestController
public class TokensController implements TokensApi {

    private final ApiTokens tokens;
    private final AuditLog audit;

    public TokensController(ApiTokens tokens, AuditLog audit) {
        this.tokens = tokens;
        this.audit = audit;
    }

    @Override
    public ResponseEntity<NewToken> createToken(TokenRequest request) {
        Caller admin = Caller.requiring(Role.ADMIN);
        Role role = Role.fromValue(request.getRole().getValue()).orElseThrow();
        ApiTokens.Issued issued;
        try {
            issued = tokens.issue(request.getName(), role, admin.name());
        } catch (ApiTokens.NameTakenException e) {
            throw ApiException.badField("name", e.getMessage());
        }
        audit.record("token.create", issued.token().id(), request.getName() + " as " + role.value());
        return ResponseEntity.created(URI.create("/api/v1/tokens/" + issued.token().id()))
                .body(new NewToken(view(issued.token()), issued.secret()));
    }

    @Override
    public ResponseEntity<List<ApiToken>> listTokens() {
        Caller.requiring(Role.ADMIN);
        return ResponseEntity.ok(tokens.list().stream().map(TokensController::view).toList());
    }

    @Override
    public ResponseEntity<Void> revokeToken(UUID tokenId) {
        Caller.requiring(Role.ADMIN);
        if (!tokens.revoke(tokenId)) {
            throw ApiException.notFound("token " + tokenId);
        }
        audit.record("token.revoke", tokenId, null);
        return ResponseEntity.noContent().build();
    }

    @Override
    public ResponseEntity<AuditEventPage> listAuditEvents(String actor, Integer page, Integer size) {
        Caller.requiring(Role.ADMIN);
        AuditLog.Page found = audit.page(actor, page, size);
        List<AuditEvent> items = found.items().stream().map(e -> new AuditEvent(e.id(), ApiTimes.utc(e.at()), e.actor(), e.action())
                .target(e.target()).detail(e.detail())).toList();
        return ResponseEntity.ok(new AuditEventPage(items, page, size, found.total(), (int) ((found.total() + size - 1) / size)));
    }

    private static ApiToken view(ApiTokens.Token t) {
        return new ApiToken(t.id(), t.name(), io.robustlab.api.model.Role.fromValue(t.role().value()), t.hint(), t.createdBy(),
                ApiTimes.utc(t.createdAt())).revokedAt(ApiTimes.utc(t.revokedAt()));
    }
}
