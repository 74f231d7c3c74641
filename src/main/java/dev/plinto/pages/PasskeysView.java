package dev.plinto.pages;

import dev.plinto.mfa.PasskeyService;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * What the account page's "Passkeys" section shows; part of the stable template contract
 * ({@code fragments/account-passkeys.jte}).
 *
 * @param passkeys the user's passkeys, oldest first
 */
public record PasskeysView(List<Row> passkeys) {

	private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
		.withZone(ZoneOffset.UTC);

	/**
	 * One passkey.
	 *
	 * @param id the passkey's id, posted to rename or remove it
	 * @param name the name the user gave it
	 * @param createdAt when it was registered, UTC to the minute
	 * @param lastUsedAt when it last signed in, UTC to the minute, or null when never
	 */
	public record Row(String id, String name, String createdAt, String lastUsedAt) {
	}

	static PasskeysView of(List<PasskeyService.PasskeyView> passkeys) {
		return new PasskeysView(passkeys.stream()
			.map(p -> new Row(p.id(), p.name(), MINUTE.format(p.createdAt()),
					p.lastUsedAt() == null ? null : MINUTE.format(p.lastUsedAt())))
			.toList());
	}
}
