package dev.plinto.pages;

import dev.plinto.web.ApiException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a form shows after a post: the values typed in (never a password), the problems per field, and a sentence
 * for the whole form (e.g. a rate limit with its wait). Templates list the problems in an error summary whose
 * entries link to their fields (WCAG 2.2 SC 3.3.1 "Error Identification", 3.3.3 "Error Suggestion"); part of the
 * stable template contract.
 *
 * @param values the typed values by field name
 * @param errors the problems, in field order
 * @param alert a sentence for the whole form, or null
 */
public record FormState(Map<String, String> values, List<Problem> errors, String alert) {

	/** A problem with a field: the field's name (also its element id) and the sentence. */
	public record Problem(String field, String message) {
	}

	public static FormState empty() {
		return new FormState(Map.of(), List.of(), null);
	}

	/** The typed value of a field, or an empty string. */
	public String value(String field) {
		return values.getOrDefault(field, "");
	}

	/** The sentence for a field, or null when it has none. */
	public String error(String field) {
		return errors.stream().filter(p -> p.field().equals(field)).map(Problem::message).findFirst().orElse(null);
	}

	public boolean hasErrors() {
		return !errors.isEmpty() || alert != null;
	}

	/** A builder for a form answered with problems. */
	static Builder of(Messages messages, String... namesAndValues) {
		return new Builder(messages, namesAndValues);
	}

	static final class Builder {

		private final Messages messages;

		private final Map<String, String> values = new LinkedHashMap<>();

		private final List<Problem> errors = new ArrayList<>();

		private String alert;

		Builder(Messages messages, String... namesAndValues) {
			this.messages = messages;
			for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
				values.put(namesAndValues[i], namesAndValues[i + 1] == null ? "" : namesAndValues[i + 1]);
			}
		}

		Builder field(String field, String key, Object... args) {
			errors.add(new Problem(field, messages.text(key, args)));
			return this;
		}

		Builder alert(String key, Object... args) {
			alert = messages.text(key, args);
			return this;
		}

		/**
		 * The sentence for a service's refusal: its code's sentence in the page's language (key
		 * {@code error.<code>}), on its field when the form has that field, else for the whole form; a rate limit
		 * says how long to wait.
		 */
		Builder refusal(ApiException e, String fallbackField) {
			String key = "error." + e.code().code();
			String sentence;
			if (e.retryAfter() != null) {
				sentence = waitSentence(messages, e.retryAfter());
			}
			else {
				sentence = messages.has(key) ? messages.text(key) : e.getMessage();
			}
			String field = e.fieldErrors().isEmpty() ? fallbackField : e.fieldErrors().get(0).field();
			if (field != null && values.containsKey(field)) {
				errors.add(new Problem(field, sentence));
			}
			else {
				alert = sentence;
			}
			return this;
		}

		FormState build() {
			return new FormState(Map.copyOf(values), List.copyOf(errors), alert);
		}
	}

	/** "Too many attempts; try again in 30 seconds" (or minutes from two minutes on), rounded up. */
	static String waitSentence(Messages messages, Duration wait) {
		long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
		return seconds < 120 ? messages.text("error.wait_seconds", seconds)
				: messages.text("error.wait_minutes", (seconds + 59) / 60);
	}
}
