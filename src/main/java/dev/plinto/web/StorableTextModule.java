package dev.plinto.web;

import org.springframework.stereotype.Component;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.module.SimpleModule;

/**
 * Refuses, while reading a JSON request body, any string that holds a NUL character or an unpaired UTF-16
 * surrogate: PostgreSQL {@code text} cannot store NUL and UTF-8 has no encoding for a lone surrogate, so such a
 * value would otherwise fail deep in the database driver as a 500. The request is answered with 400
 * {@code malformed_request} instead (OWASP Input Validation Cheat Sheet, "Validating free-form Unicode text":
 * validate the characters of free-form input as early as possible). The rejected value is not echoed.
 */
@Component
final class StorableTextModule extends SimpleModule {

	StorableTextModule() {
		super("plinto-storable-text");
		addDeserializer(String.class, new StorableStringDeserializer());
	}

	static boolean storable(String s) {
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
			if (c == '\u0000') {
				return false;
			}
			if (Character.isHighSurrogate(c)) {
				if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
					return false;
				}
				i++;
			}
			else if (Character.isLowSurrogate(c)) {
				return false;
			}
		}
		return true;
	}

	/** What a refused string is reported as; the problem names the field, never its value. */
	static final String UNSTORABLE = "a string holds a NUL character or an unpaired surrogate, which cannot be stored";

	private static final class StorableStringDeserializer extends StringDeserializer {

		@Override
		public String deserialize(JsonParser p, DeserializationContext ctxt) {
			String value = super.deserialize(p, ctxt);
			if (value != null && !storable(value)) {
				return ctxt.reportInputMismatch(this, UNSTORABLE);
			}
			return value;
		}
	}
}
