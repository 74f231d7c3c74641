package dev.plinto.platform;

import dev.plinto.config.LiveSettings;
import dev.plinto.config.PlintoSettings;
import dev.plinto.config.RuntimeSettings;
import dev.plinto.config.SettingsException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The settings in effect on this node: the environment with the overrides stored in {@code runtime_settings}
 * (V28) laid on top by {@link RuntimeSettings#parse}. The parsed result is kept in a volatile field; a change
 * stored here applies on this node as soon as its transaction commits ({@link #reload()}), and every node re-reads
 * the table every {@code plinto.jobs.settings-poll} milliseconds (2 s), so the other nodes follow within that
 * delay plus one query. The poll runs on every node (it is not a single-node job) and reads at most a few dozen
 * short rows.
 * <p>
 * Overrides that no longer parse at start (the environment changed under them, e.g. {@code PLINTO_LOGO_FILE} set
 * while {@code PLINTO_LOGO_URL} is overridden) stop the start with the parser's sentence, as an invalid environment
 * does: a node must not quietly serve a weaker policy than the one the operator stored. While running, a poll that
 * reads such a state keeps the settings it had and logs the sentence.
 */
@Component
public final class DatabaseSettings implements LiveSettings, SmartInitializingSingleton {

	private static final Logger log = LoggerFactory.getLogger(DatabaseSettings.class);

	/** A stored override: the variable, the value that replaces the environment's, when and by whom. */
	public record Stored(String name, String value, Instant updatedAt, String updatedBy) {
	}

	/** One variable changed by {@link #store}: its stored override before and after (null: none). */
	public record Change(String name, String before, String after) {
	}

	/** What {@link #store} did: the variables whose override changed, and the settings before and after. */
	public record Outcome(List<Change> changes, PlintoSettings before, PlintoSettings after) {
	}

	private record State(Map<String, Stored> overrides, PlintoSettings settings) {
	}

	private final JdbcClient jdbc;

	private final Function<String, String> environment;

	private final PlintoSettings environmentSettings;

	private final Clock clock;

	private volatile State state;

	DatabaseSettings(JdbcClient jdbc, Environment environment, PlintoSettings environmentSettings, Clock clock) {
		this.jdbc = jdbc;
		this.environment = environment::getProperty;
		this.environmentSettings = environmentSettings;
		this.clock = clock;
		this.state = new State(Map.of(), environmentSettings);
	}

	/** Reads the overrides once every bean exists (the schema is migrated) and before the server takes requests. */
	@Override
	public void afterSingletonsInstantiated() {
		Map<String, Stored> rows = read();
		try {
			state = new State(rows, parse(rows));
		}
		catch (SettingsException e) {
			throw new IllegalStateException("The settings changed at run time (table runtime_settings) do not "
					+ "apply to this environment: " + e.getMessage() + " Change the environment, or reset the "
					+ "setting on another node (PATCH /v1/admin/settings with null, or the dashboard).", e);
		}
	}

	@Override
	public PlintoSettings current() {
		return state.settings();
	}

	/** The settings of the environment alone, without any override. */
	public PlintoSettings environment() {
		return environmentSettings;
	}

	/** The environment's value of a variable as set (trimmed), or null when unset or blank. */
	public String environmentValue(String name) {
		String v = environment.apply(name);
		return v == null || v.isBlank() ? null : v.trim();
	}

	/** The overrides in effect on this node, by variable name. */
	public Map<String, Stored> overrides() {
		return state.overrides();
	}

	/**
	 * Validates and stores changes in the caller's transaction: each name maps to its new override, or to null to
	 * remove the override (back to the environment's value). The whole set of overrides after the change is parsed
	 * with the environment first, so nothing is stored unless all of it is valid. Call {@link #reload()} after the
	 * transaction commits.
	 * @return the variables whose override changed (an unchanged value is left out), and the settings before and
	 *     after the change as stored in the database
	 * @throws SettingsException naming the variables that cannot be changed or whose values cannot be used
	 */
	public Outcome store(Map<String, String> changes, String actor) {
		Map<String, Stored> before = read();
		Map<String, String> after = new LinkedHashMap<>();
		before.forEach((name, stored) -> after.put(name, stored.value()));
		changes.forEach((name, value) -> {
			if (value == null) {
				after.remove(name);
			}
			else {
				after.put(name, value.trim());
			}
		});
		RuntimeSettings.checkChanges(changes); // also a removal must name a variable on the list
		PlintoSettings parsedAfter = RuntimeSettings.parse(environment, after);
		PlintoSettings parsedBefore;
		try {
			parsedBefore = parse(before);
		}
		catch (SettingsException e) {
			parsedBefore = current(); // stored under another environment; this node serves what it had
		}
		Instant now = clock.instant();
		List<Change> changed = new ArrayList<>();
		for (String name : changes.keySet()) {
			String old = before.containsKey(name) ? before.get(name).value() : null;
			String now_ = after.get(name);
			if (Objects.equals(old, now_)) {
				continue;
			}
			jdbc.sql("delete from runtime_settings where name = :name").param("name", name).update();
			if (now_ != null) {
				jdbc.sql("insert into runtime_settings (name, setting, updated_at, updated_by) "
						+ "values (:name, :setting, :at, :by)")
					.param("name", name)
					.param("setting", now_)
					.param("at", SqlRows.timestamp(now))
					.param("by", actor)
					.update();
			}
			changed.add(new Change(name, old, now_));
		}
		return new Outcome(changed, parsedBefore, parsedAfter);
	}

	/** Re-reads the overrides; on this node a change applies from the next request. */
	public void reload() {
		Map<String, Stored> rows = read();
		if (rows.equals(state.overrides())) {
			return;
		}
		try {
			state = new State(rows, parse(rows));
			log.info("settings changed at run time now in effect: {}", rows.keySet());
		}
		catch (SettingsException e) {
			log.error("the settings stored at run time do not apply to this node's environment; keeping the "
					+ "previous ones: {}", e.getMessage());
		}
	}

	/** Follows changes made on other nodes. */
	@Scheduled(fixedDelayString = "${plinto.jobs.settings-poll:2000}")
	void poll() {
		try {
			reload();
		}
		catch (RuntimeException e) {
			log.warn("cannot read the settings changed at run time; keeping the current ones: {}", e.toString());
		}
	}

	private PlintoSettings parse(Map<String, Stored> rows) {
		if (rows.isEmpty()) {
			return environmentSettings;
		}
		Map<String, String> values = new LinkedHashMap<>();
		rows.forEach((name, stored) -> values.put(name, stored.value()));
		return RuntimeSettings.parse(environment, values);
	}

	private Map<String, Stored> read() {
		Map<String, Stored> rows = new LinkedHashMap<>();
		jdbc.sql("select name, setting, updated_at, updated_by from runtime_settings order by name")
			.query((rs, n) -> new Stored(rs.getString("name"), rs.getString("setting"), SqlRows.instant(rs, "updated_at"),
					rs.getString("updated_by")))
			.list()
			.forEach(s -> rows.put(s.name(), s));
		return Map.copyOf(rows);
	}
}
