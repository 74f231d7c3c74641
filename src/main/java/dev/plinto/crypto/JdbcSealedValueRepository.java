package dev.plinto.crypto;

import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The SQL of master-key rotation, on PostgreSQL and H2 alike. Table and column names come from {@link SealedColumn}
 * beans (checked to be plain identifiers); every value is a bind parameter. The current key's prefix is base64
 * without {@code %} or {@code _}, so it needs no escaping in {@code LIKE}.
 */
@Component
final class JdbcSealedValueRepository implements SealedValueRepository {

	private final JdbcClient jdbc;

	JdbcSealedValueRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public List<SealedValue> notSealedUnder(SealedColumn c, String currentPrefix, String after, int limit) {
		String sql = "select " + c.keyColumn() + " as k, " + c.valueColumn() + " as v from " + c.table()
				+ " where " + c.valueColumn() + " is not null and " + c.valueColumn() + " not like :prefix"
				+ (after == null ? "" : " and " + c.keyColumn() + " > :after") + " order by " + c.keyColumn()
				+ " limit :limit";
		var statement = jdbc.sql(sql).param("prefix", currentPrefix + "%").param("limit", limit);
		if (after != null) {
			statement = statement.param("after", after);
		}
		return statement.query((rs, n) -> new SealedValue(rs.getString("k"), rs.getString("v"))).list();
	}

	@Override
	public long countNotSealedUnder(SealedColumn c, String currentPrefix) {
		return jdbc.sql("select count(*) from " + c.table() + " where " + c.valueColumn() + " is not null and "
				+ c.valueColumn() + " not like :prefix")
			.param("prefix", currentPrefix + "%")
			.query(Long.class)
			.single();
	}

	@Override
	public boolean replace(SealedColumn c, String key, String expected, String resealed) {
		return jdbc.sql("update " + c.table() + " set " + c.valueColumn() + " = :resealed where " + c.keyColumn()
				+ " = :key and " + c.valueColumn() + " = :expected")
			.param("resealed", resealed)
			.param("key", key)
			.param("expected", expected)
			.update() == 1;
	}
}
