package dev.plinto.backup;

import dev.plinto.web.ApiDocs;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /health/backup}: whether scheduled backups are current. 503 when the last successful backup (on any
 * node) is older than {@code PLINTO_BACKUP_MAX_AGE}, or none succeeded that long after this node started. Meant
 * for monitoring, not for load balancers: a stale backup is no reason to stop serving requests, so
 * {@code /health/ready} does not include it.
 */
@RestController
@Tag(name = "Operations")
final class BackupHealthController {

	private final ScheduledBackups backups;

	BackupHealthController(ScheduledBackups backups) {
		this.backups = backups;
	}

	@GetMapping(path = "/health/backup", produces = "application/json")
	@Operation(summary = "Scheduled backups: the last successful one is recent enough; not_configured without "
			+ "PLINTO_BACKUP_DIR")
	@ApiDocs.Down("The last successful backup is older than the schedule allows")
	ResponseEntity<Map<String, Object>> backup() {
		ScheduledBackups.Status s = backups.status();
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("status", s.tooOld() ? "DOWN" : "UP");
		if (!s.configured()) {
			body.put("backup", "not_configured");
		}
		else {
			body.put("backup", s.tooOld() ? "too_old" : s.lastSuccess() == null ? "none_yet" : "ok");
			body.put("last_success_at", s.lastSuccess() == null ? null : s.lastSuccess().toString());
			body.put("age_seconds", s.age() == null ? null : s.age().toSeconds());
			body.put("max_age_seconds", s.maxAge().toSeconds());
		}
		ResponseEntity.BodyBuilder builder = ResponseEntity
			.status(s.tooOld() ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK)
			.cacheControl(CacheControl.noStore());
		if (s.tooOld()) {
			builder.header("Retry-After", "60");
		}
		return builder.body(body);
	}
}
