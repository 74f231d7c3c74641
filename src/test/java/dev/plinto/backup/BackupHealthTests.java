package dev.plinto.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import org.junit.jupiter.api.Test;

/** {@code /health/backup} without scheduled backups, and its place in the OpenAPI document. */
class BackupHealthTests extends ApiTestSupport {

	@Test
	void healthBackupWhenNoBackupDirThenUpNotConfiguredAndDescribedInOpenApi() {
		ApiClient.Response r = api.get("/health/backup");
		assertThat(r.status()).as(r.toString()).isEqualTo(200);
		assertThat(r.text("status")).isEqualTo("UP");
		assertThat(r.text("backup")).isEqualTo("not_configured");
		assertThat(r.header("Cache-Control")).contains("no-store");
		assertThat(api.get("/metrics").raw()).doesNotContain("plinto_backup_last_success_timestamp_seconds");
		assertThat(api.get("/openapi.json").json().get("paths").has("/health/backup")).isTrue();
	}
}
