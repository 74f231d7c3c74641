package dev.plinto.admin;

import dev.plinto.web.ApiDocs;
import dev.plinto.web.ApiException;
import dev.plinto.web.ErrorCode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Backend API's settings that can be changed at run time ({@code /v1/admin/settings}): a thin shell over
 * {@link AdminSettings}; scopes {@code settings:read} and {@code settings:write} declared in
 * {@code security.WebSecurityConfiguration}.
 */
@RestController
@Tag(name = "Backend API: settings")
@SecurityRequirement(name = "apiKey")
final class AdminSettingsController {

	private final AdminSettings settings;

	AdminSettingsController(AdminSettings settings) {
		this.settings = settings;
	}

	@GetMapping(path = "/v1/admin/settings", produces = "application/json")
	@Operation(summary = "The settings that can be changed at run time", description = "Scope `settings:read`. "
			+ "Every variable that can be changed at run time (sign-in methods, MFA policy, password minimum, "
			+ "branding, rate limits and lockout) with the value in effect on the node answering, the value without "
			+ "an override, and where the value comes from.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited" })
	AdminSettings.Settings list(AdminCaller caller) {
		return settings.list();
	}

	@PatchMapping(path = "/v1/admin/settings", consumes = "application/json", produces = "application/json")
	@Operation(summary = "Change settings at run time", description = "Scope `settings:write`. An object of "
			+ "variable names and values in the variable's own syntax (a string; numbers and booleans are taken as "
			+ "text): the value replaces the environment's, `\"\"` stands for unset (the built-in default), `null` "
			+ "removes the override (back to the environment's value). All changes are validated together by the same "
			+ "rules as the environment and stored at once, or none is; each change is audited as "
			+ "`settings.changed`. The node answering applies it at once, the others within 2 seconds. Answers the "
			+ "settings as after the change.",
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
					content = @Content(mediaType = "application/json",
							schema = @Schema(type = "object", additionalPropertiesSchema = String.class,
									description = "Variable name → new value, \"\" or null"),
							examples = @ExampleObject(value = "{\"PLINTO_MFA\":\"required\",\"PLINTO_PRIMARY_COLOR\":null}"))))
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "validation_failed",
			"malformed_request" })
	AdminSettings.Settings change(AdminCaller caller, @RequestBody Map<String, Object> body) {
		Map<String, String> changes = new LinkedHashMap<>();
		body.forEach((name, value) -> {
			if (value != null && !(value instanceof String || value instanceof Number || value instanceof Boolean)) {
				throw new ApiException(ErrorCode.VALIDATION_FAILED, name + " must be a string, a number, true, false "
						+ "or null.", List.of(new ApiException.FieldError(name, "invalid_value", "not a single value")),
						null);
			}
			changes.put(name, value == null ? null : value.toString());
		});
		return settings.change(changes, caller.keyId(), caller.client());
	}
}
