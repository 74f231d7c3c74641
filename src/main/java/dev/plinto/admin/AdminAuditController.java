package dev.plinto.admin;

import dev.plinto.web.ApiDocs;
import dev.plinto.web.ApiException;
import dev.plinto.web.ErrorCode;
import dev.plinto.web.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Backend API's audit log ({@code /v1/admin/audit…}): the search the dashboard's audit page runs
 * ({@link DashboardAuditSearch}), page by page, and the same search exported as JSON Lines. Scope
 * {@code audit:read}, declared in {@code security.WebSecurityConfiguration}.
 */
@RestController
@Tag(name = "Backend API: audit log")
@SecurityRequirement(name = "apiKey")
final class AdminAuditController {

	/** JSON Lines (one JSON document per line), the media type the export answers with. */
	static final String NDJSON = "application/x-ndjson";

	private final DashboardAuditSearch search;

	private final JsonMapper json;

	AdminAuditController(DashboardAuditSearch search, JsonMapper json) {
		this.search = search;
		this.json = json;
	}

	@GetMapping(path = "/v1/admin/audit", produces = "application/json")
	@Operation(summary = "Search the audit log, newest first", description = "Scope `audit:read`. Filters combine: "
			+ "`user` (a user id or email address) matches the events of the user and those the user (or an API key "
			+ "id) made as the actor; `type` is an event type; `from` (included) and `to` (excluded) are RFC 3339 "
			+ "times; `ip` and `organization` match exactly. Pass `next_cursor` back as `cursor` with the same filters.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "validation_failed" })
	Page<DashboardAuditSearch.EventView> list(AdminCaller caller,
			@RequestParam(required = false) @Parameter(description = "A user id or email address (subject or actor), or an API key id (actor)") String user,
			@RequestParam(required = false) @Parameter(description = "An event type, e.g. sign_in.failed") String type,
			@RequestParam(required = false) @Parameter(description = "Events at or after this time", schema = @Schema(type = "string", format = "date-time")) String from,
			@RequestParam(required = false) @Parameter(description = "Events before this time", schema = @Schema(type = "string", format = "date-time")) String to,
			@RequestParam(required = false) @Parameter(description = "The client IP address") String ip,
			@RequestParam(required = false) @Parameter(description = "An organization id") String organization,
			@RequestParam(name = "limit", required = false) @Parameter(schema = @Schema(type = "integer", format = "int32", defaultValue = Page.DEFAULT_LIMIT)) String limit,
			@RequestParam(required = false) String cursor) {
		DashboardAuditSearch.Filter filter = filter(user, type, from, to, ip, organization);
		return search.page(filter, cursor, Page.limit(limit));
	}

	@GetMapping(path = "/v1/admin/audit/export", produces = NDJSON)
	@Operation(summary = "Export the audit log as JSON Lines, newest first", description = "Scope `audit:read`. "
			+ "The same filters as `GET /v1/admin/audit`, every matching event, one JSON object per line "
			+ "(`application/x-ndjson`), newest first, streamed as it is read (`Cache-Control: no-store`). Recorded "
			+ "first as `audit.exported` with the key as `actor_id` and the filters as `detail`, so it is the first "
			+ "line when it matches the filters.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "validation_failed" })
	@ApiResponse(responseCode = "200", description = "The events, one per line",
			content = @Content(mediaType = NDJSON, schema = @Schema(implementation = DashboardAuditSearch.EventView.class)))
	void export(AdminCaller caller, @RequestParam(required = false) String user,
			@RequestParam(required = false) String type,
			@RequestParam(required = false) @Parameter(schema = @Schema(type = "string", format = "date-time")) String from,
			@RequestParam(required = false) @Parameter(schema = @Schema(type = "string", format = "date-time")) String to,
			@RequestParam(required = false) String ip, @RequestParam(required = false) String organization,
			HttpServletResponse response) throws IOException {
		DashboardAuditSearch.Filter filter = filter(user, type, from, to, ip, organization);
		response.setContentType(NDJSON);
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		response.setHeader(HttpHeaders.CACHE_CONTROL, CacheControl.noStore().getHeaderValue());
		OutputStream out = response.getOutputStream();
		try {
			search.export(caller, filter, event -> {
				try {
					out.write(json.writeValueAsBytes(event));
					out.write('\n');
				}
				catch (IOException e) {
					throw new UncheckedIOException(e);
				}
			});
		}
		catch (UncheckedIOException e) {
			throw e.getCause();
		}
		out.flush();
	}

	private static DashboardAuditSearch.Filter filter(String user, String type, String from, String to, String ip,
			String organization) {
		for (String[] field : new String[][] { { "user", user }, { "ip", ip }, { "organization", organization } }) {
			if (field[1] != null && field[1].length() > 320) {
				throw ApiException.validation(field[0], ErrorCode.VALIDATION_FAILED, "At most 320 characters.");
			}
		}
		if (type != null && !type.isBlank() && DashboardAuditSearch.type(type).isEmpty()) {
			throw ApiException.validation("type", ErrorCode.VALIDATION_FAILED,
					"type must be an audit event type (docs/api.md), e.g. sign_in.failed.");
		}
		return new DashboardAuditSearch.Filter(user, type, instant("from", from), instant("to", to), ip,
				organization);
	}

	private static Instant instant(String field, String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		try {
			return OffsetDateTime.parse(value.strip(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
		}
		catch (DateTimeParseException e) {
			throw ApiException.validation(field, ErrorCode.VALIDATION_FAILED,
					field + " must be an RFC 3339 time, e.g. 2026-01-31T00:00:00Z or 2026-01-31T01:00:00+01:00.");
		}
	}
}
