package dev.plinto.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.plinto.TestDatabases;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * {@link PoolRecovery} on a real PostgreSQL behind a TCP proxy that the test takes down and brings back: a pool
 * whose creator has backed off while the database was unreachable is woken once the database accepts connections
 * again, and a healthy pool is never touched.
 */
class PoolRecoveryTests {

	@Test
	void poolWhenTheDatabaseComesBackAfterAnOutageThenTheBackedOffCreatorIsWokenAndConnectionsServeAgain()
			throws Exception {
		try (TestDatabases.Postgres pg = TestDatabases.newPostgres(); Proxy proxy = new Proxy(pg.jdbcUrl())) {
			HikariConfig config = config(pg, proxy);
			PoolRecovery recovery = new PoolRecovery(config);
			try (HikariDataSource pool = new HikariDataSource(config)) {
				recovery.watch(pool);
				query(pool);

				proxy.down();
				pool.getHikariPoolMXBean().softEvictConnections();
				// Requests fail for 7 s while the pool's creator retries, its back-off growing past 2.5 s; the
				// watcher recognises the creator sleeping in that back-off (the frames of this HikariCP version).
				long outageEnd = System.nanoTime() + 7_000_000_000L;
				int failed = 0;
				int sleepingSeen = 0;
				while (System.nanoTime() < outageEnd) {
					try {
						query(pool);
					}
					catch (SQLException expected) {
						failed++;
					}
					sleepingSeen = Math.max(sleepingSeen, recovery.sleepingCreators());
				}
				assertThat(failed).isPositive();
				assertThat(sleepingSeen).as("a connection creator seen sleeping in its back-off").isPositive();
				assertThat(recovery.recoveries()).isZero();

				proxy.up();
				long deadline = System.nanoTime() + 20_000_000_000L;
				while (recovery.recoveries() == 0 && System.nanoTime() < deadline) {
					Thread.sleep(50);
				}
				assertThat(recovery.recoveries()).as("the end of the outage seen").isEqualTo(1);
				query(pool);
			}
			finally {
				recovery.close();
			}
		}
	}

	@Test
	void poolWhenHealthyThenNeverWoken() throws Exception {
		try (TestDatabases.Postgres pg = TestDatabases.newPostgres(); Proxy proxy = new Proxy(pg.jdbcUrl())) {
			HikariConfig config = config(pg, proxy);
			PoolRecovery recovery = new PoolRecovery(config);
			try (HikariDataSource pool = new HikariDataSource(config)) {
				recovery.watch(pool);
				for (int i = 0; i < 20; i++) {
					query(pool);
					Thread.sleep(50);
				}
				assertThat(recovery.recoveries()).isZero();
				assertThat(pool.getHikariPoolMXBean().getTotalConnections()).isGreaterThanOrEqualTo(2);
			}
			finally {
				recovery.close();
			}
		}
	}

	private static HikariConfig config(TestDatabases.Postgres pg, Proxy proxy) {
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(proxy.jdbcUrl(pg.jdbcUrl()));
		config.setUsername(pg.admin().username());
		config.setPassword(pg.admin().password());
		config.setMaximumPoolSize(4);
		config.setMinimumIdle(2);
		config.setConnectionTimeout(500);
		return config;
	}

	private static void query(HikariDataSource pool) throws SQLException {
		try (Connection c = pool.getConnection(); var s = c.createStatement()) {
			s.execute("select 1");
		}
	}

	/** A loopback TCP proxy to the database that can refuse connections and cut the open ones. */
	static final class Proxy implements AutoCloseable {

		private final InetSocketAddress target;

		private final Set<Socket> open = ConcurrentHashMap.newKeySet();

		private final int port;

		private volatile ServerSocket server;

		/** Whether connections are let through; a connection accepted while going down is closed at once. */
		private volatile boolean up;

		Proxy(String jdbcUrl) throws IOException {
			URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
			this.target = new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort());
			ServerSocket first = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
			this.port = first.getLocalPort();
			first.close();
			up();
		}

		String jdbcUrl(String original) {
			URI uri = URI.create(original.substring("jdbc:".length()));
			return "jdbc:postgresql://127.0.0.1:" + port + uri.getRawPath()
					+ (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
		}

		void up() throws IOException {
			ServerSocket socket = new ServerSocket();
			socket.setReuseAddress(true);
			socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
			server = socket;
			up = true;
			daemon(() -> accept(socket));
		}

		void down() throws IOException {
			up = false;
			server.close();
			for (Socket s : open) {
				s.close();
			}
			open.clear();
		}

		private void accept(ServerSocket socket) {
			while (!socket.isClosed()) {
				try {
					Socket client = socket.accept();
					Socket upstream = new Socket(target.getAddress(), target.getPort());
					open.add(client);
					open.add(upstream);
					if (!up) {
						// accepted just as down() closed the others
						client.close();
						upstream.close();
						continue;
					}
					pump(client, upstream);
					pump(upstream, client);
				}
				catch (IOException closed) {
					return;
				}
			}
		}

		private void pump(Socket from, Socket to) {
			daemon(() -> {
				byte[] buffer = new byte[16384];
				try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
					for (int n; (n = in.read(buffer)) >= 0;) {
						out.write(buffer, 0, n);
						out.flush();
					}
				}
				catch (IOException closed) {
					// the other side or down() closed it
				}
				finally {
					try {
						from.close();
						to.close();
					}
					catch (IOException ignored) {
						// already closed
					}
				}
			});
		}

		private static void daemon(Runnable task) {
			Thread thread = new Thread(task, "test-db-proxy");
			thread.setDaemon(true);
			thread.start();
		}

		@Override
		public void close() throws IOException {
			down();
		}
	}
}
