package dev.plinto.config;

/**
 * The settings in effect now: the environment with the overrides an operator stored at run time for the variables
 * {@link RuntimeSettings} allows (docs/admin.md, "Settings at run time"). A feature that reads one of those
 * variables asks {@link #current()} at each request instead of keeping the record it was built with, so a change
 * applies to the next request.
 */
@FunctionalInterface
public interface LiveSettings {

	/** The effective settings; never null. */
	PlintoSettings current();

	/** Settings that never change, for the command-line tools and unit tests. */
	static LiveSettings fixed(PlintoSettings settings) {
		return () -> settings;
	}
}
