package dev.plinto.platform;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.plinto.config.PlintoSettings;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.Properties;
import javax.sql.DataSource;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import net.javacrumbs.shedlock.spring.annotation.EnableSchedulerLock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The infrastructure every feature shares, built from {@link PlintoSettings}: the clock, the connection pool,
 * and the optional Redis client and SMTP sender (absent when not configured).
 */
@Configuration(proxyBeanMethods = false)
public class InfrastructureConfiguration {

	/**
	 * Background jobs run in the server; the command-line tools switch them off. A job that must run on one node
	 * at a time carries {@code @SchedulerLock}; ShedLock's method interception (its default mode) wraps the bean
	 * in a class-based proxy whose advice takes the lock in the shared {@code shedlock} table before the method
	 * runs and skips the run while another node holds it. The scheduler registers the proxy (the auto-proxy
	 * creator runs before {@code @Scheduled} methods are collected), so every scheduled run goes through the lock,
	 * and so does any direct call. A class with such a job is therefore not {@code final}, and the method returns
	 * {@code void} (a skipped run has no value to return).
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "plinto.scheduling.enabled", havingValue = "true", matchIfMissing = true)
	@EnableScheduling
	@EnableSchedulerLock(defaultLockAtMostFor = "10m", proxyTargetClass = true)
	static class Scheduling {
	}

	@Bean
	PlintoSettings plintoSettings(Environment environment) {
		return PlintoSettings.parse(environment::getProperty);
	}

	/** UTC, in whole microseconds: the precision PostgreSQL and H2 store, so a value reads back as written. */
	@Bean
	Clock clock() {
		return Clock.tick(Clock.systemUTC(), java.time.Duration.ofNanos(1000));
	}

	/**
	 * The connection pool; on PostgreSQL with a {@link PoolRecovery} that reconnects it as soon as the database
	 * accepts connections again after an outage.
	 */
	@Bean(destroyMethod = "close")
	HikariDataSource dataSource(PlintoSettings settings) {
		PlintoSettings.Database db = settings.database();
		if (db.kind() == PlintoSettings.DatabaseKind.H2 && db.jdbcUrl().startsWith("jdbc:h2:file:")) {
			try {
				Files.createDirectories(settings.dataDir());
			}
			catch (IOException e) {
				throw new UncheckedIOException("cannot create PLINTO_DATA_DIR " + settings.dataDir(), e);
			}
		}
		HikariConfig config = hikari(settings);
		if (db.kind() != PlintoSettings.DatabaseKind.POSTGRESQL) {
			return new HikariDataSource(config);
		}
		PoolRecovery recovery = new PoolRecovery(config);
		HikariDataSource dataSource = new HikariDataSource(config) {
			@Override
			public void close() {
				recovery.close();
				super.close();
			}
		};
		recovery.watch(dataSource);
		return dataSource;
	}

	public static HikariConfig hikari(PlintoSettings settings) {
		PlintoSettings.Database db = settings.database();
		HikariConfig config = new HikariConfig();
		config.setPoolName("plinto");
		config.setJdbcUrl(db.jdbcUrl());
		config.setUsername(db.username());
		config.setPassword(db.password());
		config.setMaximumPoolSize(settings.dbPoolSize());
		config.setMinimumIdle(Math.min(2, settings.dbPoolSize()));
		config.setConnectionTimeout(5_000);
		config.setInitializationFailTimeout(10_000);
		if (settings.database().kind() == PlintoSettings.DatabaseKind.POSTGRESQL) {
			// A JDBC batch of inserts (an import) goes to PostgreSQL as multi-row statements; other statements are
			// unaffected.
			config.addDataSourceProperty("reWriteBatchedInserts", "true");
		}
		return config;
	}

	/**
	 * Lettuce's shared resources for the Redis client, with a constant reconnection delay instead of its default
	 * exponential back-off (which grows to 30 s): a node returns to Redis within {@link SharedRedis#RECONNECT_DELAY}
	 * of it answering again. Absent without Redis.
	 */
	@Bean(destroyMethod = "shutdown")
	ClientResources redisResources(PlintoSettings settings) {
		return settings.redisUrl()
			.map(uri -> ClientResources.builder().reconnectDelay(Delay.constant(SharedRedis.RECONNECT_DELAY)).build())
			.orElse(null);
	}

	/**
	 * Redis when configured, failing fast: a short connect timeout, a {@link SharedRedis#COMMAND_TIMEOUT} per
	 * command, and commands refused at once while the connection is down rather than queued until it returns.
	 */
	@Bean(destroyMethod = "shutdown")
	RedisClient redisClient(PlintoSettings settings, ObjectProvider<ClientResources> resources) {
		return settings.redisUrl().map(uri -> {
			RedisClient client = RedisClient.create(resources.getObject(), uri.toString());
			client.setOptions(ClientOptions.builder()
				.autoReconnect(true)
				.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
				.socketOptions(SocketOptions.builder().connectTimeout(SharedRedis.CONNECT_TIMEOUT).build())
				.timeoutOptions(TimeoutOptions.enabled(SharedRedis.COMMAND_TIMEOUT))
				.build());
			return client;
		}).orElse(null);
	}

	@Bean
	JavaMailSender mailSender(PlintoSettings settings) {
		return settings.smtp().map(InfrastructureConfiguration::smtpSender).orElse(null);
	}

	/**
	 * SMTP with implicit TLS for {@code smtps://}; for {@code smtp://}, STARTTLS whenever the server offers it
	 * (OWASP Transport Layer Security Cheat Sheet). Use {@code smtps://} to make TLS mandatory.
	 */
	public static JavaMailSenderImpl smtpSender(PlintoSettings.Smtp smtp) {
		JavaMailSenderImpl sender = new JavaMailSenderImpl();
		sender.setHost(smtp.host());
		sender.setPort(smtp.port());
		sender.setProtocol(smtp.ssl() ? "smtps" : "smtp");
		if (smtp.username() != null) {
			sender.setUsername(smtp.username());
			sender.setPassword(smtp.password());
		}
		Properties props = sender.getJavaMailProperties();
		String p = "mail." + (smtp.ssl() ? "smtps" : "smtp") + ".";
		props.put(p + "auth", Boolean.toString(smtp.username() != null));
		props.put(p + "connectiontimeout", "10000");
		props.put(p + "timeout", "10000");
		props.put(p + "writetimeout", "10000");
		if (!smtp.ssl()) {
			props.put("mail.smtp.starttls.enable", "true");
		}
		return sender;
	}

	@Bean
	LockProvider lockProvider(DataSource dataSource) {
		return new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder()
			.withJdbcTemplate(new JdbcTemplate(dataSource))
			.usingDbTime()
			.build());
	}
}
