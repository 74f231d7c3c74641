package dev.plinto.migration;

import dev.plinto.web.ApiDocs;
import dev.plinto.web.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Account")
@SecurityRequirement(name = "bearer")
final class UserDataExportController {

	private final UserDataExport export;

	private final Clock clock;

	UserDataExportController(UserDataExport export, Clock clock) {
		this.export = export;
		this.clock = clock;
	}

	@GetMapping(path = "/v1/me/export", produces = "application/json")
	@Operation(summary = "All of the caller's own data, as one JSON document",
			description = "For a data access or portability request: the profile (with the id and metadata an "
					+ "import kept), sessions, second factors (without their secrets), organizations with roles, and "
					+ "every security event. Needs a sign-in within `PLINTO_REAUTHENTICATION_WINDOW`. Answered with "
					+ "`Cache-Control: no-store`; recorded as the security event `account.data_exported`.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_token", "reauthentication_required" })
	ResponseEntity<UserDataExport.Export> export(Caller caller) {
		return ResponseEntity.ok()
			.cacheControl(CacheControl.noStore())
			.body(export.export(caller.userId(), caller.sessionId(), caller.client(), clock.instant()));
	}
}
