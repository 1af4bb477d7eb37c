package io.robustlab.gateway.web;

import io.robustlab.api.ApiTimes;
import io.robustlab.api.model.ExperimentReport;
import io.robustlab.api.model.ShareLink;
import io.robustlab.api.model.ShareLinkRequest;
import io.robustlab.api.web.SharingApi;
import io.robustlab.gateway.security.AuditLog;
import io.robustlab.gateway.security.Caller;
import io.robustlab.gateway.security.ShareLinks;
import io.robustlab.service.web.ApiException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * Share links of reports: made by anyone who may read the report, opened by anyone who has the link
 * (a browser, no token) while it is unexpired, the token that made it is live and no admin has
 * revoked every link since.
 */
@RestController
public class SharingController implements SharingApi {

    /** A week, unless the request says otherwise. */
    private static final int DEFAULT_SECONDS = 7 * 24 * 3600;

    private final ShareLinks links;
    private final ReportPages pages;
    private final AuditLog audit;

    public SharingController(ShareLinks links, ReportPages pages, AuditLog audit) {
        this.links = links;
        this.pages = pages;
        this.audit = audit;
    }

    @Override
    public ResponseEntity<ShareLink> createReportShareLink(UUID experimentId, ShareLinkRequest request) {
        pages.experiment(experimentId);
        int seconds = request == null || request.getExpiresInSeconds() == null ? DEFAULT_SECONDS : request.getExpiresInSeconds();
        ShareLinks.Link link = links.create(experimentId, Caller.current().tokenId(), seconds);
        String url = ServletUriComponentsBuilder.fromCurrentContextPath().path(SharingApi.PATH_GET_SHARED_REPORT)
                .queryParam("token", link.tokenId()).queryParam("expires", link.expires()).queryParam("signature", link.signature())
                .buildAndExpand(experimentId).toUriString();
        Instant expires = Instant.ofEpochSecond(link.expires());
        audit.record("report.share", experimentId, "link expiring at " + expires);
        return ResponseEntity.status(HttpStatus.CREATED).body(new ShareLink(experimentId, url, ApiTimes.utc(expires)));
    }

    @Override
    public ResponseEntity<Void> revokeAllShareLinks() {
        links.revokeAll();
        audit.record("share-links.revoke-all", null, "signing key replaced");
        return ResponseEntity.noContent().build();
    }

    @Override
    public ResponseEntity<String> getSharedReport(UUID experimentId, UUID token, Long expires, String signature) {
        try {
            links.check(new ShareLinks.Link(experimentId, token, expires, signature));
        } catch (ShareLinks.Refused e) {
            throw new ApiException(HttpStatus.FORBIDDEN, e.getMessage(), List.of());
        }
        ExperimentReport report = pages.report(experimentId);
        // The link is the credential: no cache may keep the page past a revocation, and no page it
        // links to may learn the link from the Referer header.
        return ResponseEntity.ok().contentType(ReportPages.HTML).cacheControl(CacheControl.noStore())
                .header("Referrer-Policy", "no-referrer").body(pages.html(report, true));
    }
}
