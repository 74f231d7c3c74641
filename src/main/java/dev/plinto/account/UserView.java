package dev.plinto.account;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/** The public view of an account, as the API returns it (snake_case). */
public record UserView(String id, String email, boolean emailVerified, @Schema(nullable = true) String name,
		Instant createdAt) {

	public static UserView of(User u) {
		return new UserView(u.id(), u.email(), u.emailVerified(), u.name(), u.createdAt());
	}
}
