package dev.plinto.web;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque {@code cursor} of a paginated list ({@link Page}): the sort key of the last item of a page in
 * base64url; the next page starts after it.
 */
public final class PageCursor {

	private PageCursor() {
	}

	public static String encode(String sortKey) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(sortKey.getBytes(StandardCharsets.UTF_8));
	}

	/** The sort key of a cursor, null when none is given; 400 {@code validation_failed} for a forged one. */
	public static String decode(String cursor) {
		if (cursor == null || cursor.isBlank()) {
			return null;
		}
		try {
			String key = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
			// sort keys are slugs, normalised emails and event times with ids: printable, no NUL, bounded
			if (key.isEmpty() || key.length() > 320 || !key.chars().allMatch(c -> c > 0x20 && c != 0x7f)) {
				throw new IllegalArgumentException("not a sort key");
			}
			return key;
		}
		catch (IllegalArgumentException e) {
			throw forged();
		}
	}

	/** 400 {@code validation_failed} on {@code cursor}: for a sort key that decodes but is not one Plinto made. */
	public static ApiException forged() {
		return ApiException.validation("cursor", ErrorCode.VALIDATION_FAILED,
				"cursor is not a value returned as next_cursor.");
	}
}
