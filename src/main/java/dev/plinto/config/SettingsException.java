package dev.plinto.config;

import java.util.List;

/** Raised when one or more {@code PLINTO_*} variables hold a value Plinto cannot use. */
public final class SettingsException extends RuntimeException {

	private final List<String> problems;

	public SettingsException(List<String> problems) {
		super(String.join(" ", problems));
		this.problems = List.copyOf(problems);
	}

	/** One sentence per problem, each naming the variable and what is wrong. */
	public List<String> problems() {
		return problems;
	}
}
