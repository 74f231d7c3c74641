package dev.plinto.oidc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.security.oauth2.server.authorization.client.JdbcRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/**
 * Spring Authorization Server's JDBC client repository over {@code oauth2_registered_client}, which parses a
 * client's row again only when the row changed. Every token request reads its client from the database, so a
 * rotated secret, a changed redirect URI or a deleted client counts from the next request on, on every node; what
 * is saved is the parsing of the row's JSON settings, which took most of the lookup's time: the row as read is
 * compared with the row the cached client was parsed from, column by column, and only an identical row returns the
 * cached (immutable) client.
 */
final class ParsedClients extends JdbcRegisteredClientRepository {

	/** More clients than this on one node, and the cache starts again (a bound, not a size anyone should reach). */
	private static final int MAX_CACHED = 10_000;

	ParsedClients(JdbcOperations jdbc) {
		super(jdbc);
		setRegisteredClientRowMapper(new Rows(getRegisteredClientRowMapper()));
	}

	private static final class Rows implements RowMapper<RegisteredClient> {

		private final RowMapper<RegisteredClient> parser;

		private final Map<String, Parsed> parsed = new ConcurrentHashMap<>();

		Rows(RowMapper<RegisteredClient> parser) {
			this.parser = parser;
		}

		@Override
		public RegisteredClient mapRow(ResultSet rs, int rowNum) throws SQLException {
			int columns = rs.getMetaData().getColumnCount();
			String[] row = new String[columns];
			for (int i = 0; i < columns; i++) {
				row[i] = rs.getString(i + 1);
			}
			String id = rs.getString("id");
			Parsed cached = parsed.get(id);
			if (cached != null && java.util.Arrays.equals(cached.row(), row)) {
				return cached.client();
			}
			RegisteredClient client = parser.mapRow(rs, rowNum);
			if (parsed.size() >= MAX_CACHED) {
				parsed.clear();
			}
			parsed.put(id, new Parsed(row, client));
			return client;
		}
	}

	private record Parsed(String[] row, RegisteredClient client) {
	}
}
