package dev.plinto.admin;

import java.util.Locale;
import java.util.Optional;

/**
 * An instance role, held in {@code users.instance_role}: who may enter the admin dashboard ({@code /admin}) and what
 * they may do there. {@code support} reads every page and changes nothing; {@code admin} and {@code owner} may do
 * everything the dashboard offers.
 */
public enum DashboardRole {

	ADMIN("admin"), SUPPORT("support"), OWNER("owner");

	private final String wireName;

	DashboardRole(String wireName) {
		this.wireName = wireName;
	}

	/** The value stored in the column and accepted by {@code plinto admin grant --role}. */
	public String wireName() {
		return wireName;
	}

	/** Whether this role may post the dashboard's forms (every change); support may only read. */
	public boolean mayChange() {
		return this != SUPPORT;
	}

	/** The role of a stored or typed value; empty for null, blank or an unknown value. */
	public static Optional<DashboardRole> of(String value) {
		if (value == null) {
			return Optional.empty();
		}
		String v = value.trim().toLowerCase(Locale.ROOT);
		for (DashboardRole r : values()) {
			if (r.wireName.equals(v)) {
				return Optional.of(r);
			}
		}
		return Optional.empty();
	}
}
