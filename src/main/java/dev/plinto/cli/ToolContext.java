package dev.plinto.cli;

import dev.plinto.oidc.OidcClientsConfiguration;
import dev.plinto.platform.DatabaseSettings;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.FilterType;
import org.springframework.context.annotation.Import;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The Spring context of the command-line tools ({@code keys}, {@code master-key}, {@code import}, {@code export},
 * {@code webhooks}, {@code clients}, {@code api-keys}, {@code organizations}): the settings, the database (migrated first when it lacks a migration, see
 * {@link ToolSchema}), the master key, the audit log, the signing keys, the importer and exporter, the webhook
 * endpoints, the Backend API's keys ({@code admin.ApiKeys}) and the OpenID provider's clients ({@link OidcClientsConfiguration}), organizations' email domains
 * and enterprise connections (the few {@code org} classes {@code organizations domains verify} needs), plus the
 * sealed columns that {@code master-key rotate} re-seals (declared in {@code mfa}, {@code mail}, {@code webhook} and
 * {@code org}). With {@code webhook} scanned, {@code keys rotate} writes its {@code key.rotated} event to the
 * outbox like the server does. It leaves out the web server, security, metrics, Redis and every other
 * auto-configuration, which the server's context would build first; its beans are created lazily, only those a
 * command asks for.
 */
@Configuration(proxyBeanMethods = false)
@ComponentScan(basePackages = { "dev.plinto.config", "dev.plinto.platform", "dev.plinto.crypto", "dev.plinto.audit",
		"dev.plinto.token", "dev.plinto.mfa", "dev.plinto.mail", "dev.plinto.migration", "dev.plinto.webhook",
		"dev.plinto.admin" }, excludeFilters = @ComponentScan.Filter(type = FilterType.ASSIGNABLE_TYPE,
				classes = DatabaseSettings.class))
@ComponentScan(basePackages = "dev.plinto.org", useDefaultFilters = false, includeFilters = @ComponentScan.Filter(
		type = FilterType.REGEX, pattern = "dev\\.plinto\\.org\\.(OrganizationDomains|EnterpriseConnections"
				+ "|OrganizationAccess|DnsTxtRecords|JdbcConnectionRepository|JdbcOrganizationRepository)"))
@ImportAutoConfiguration({ JdbcTemplateAutoConfiguration.class, JdbcClientAutoConfiguration.class,
		DataSourceTransactionManagerAutoConfiguration.class })
@Import(OidcClientsConfiguration.class)
class ToolContext {

	/**
	 * Transactions as {@code master-key rotate} runs them (a template; no bean of a tool is {@code @Transactional},
	 * so the proxying infrastructure of Spring Boot's transaction auto-configuration is left out).
	 */
	@Bean
	TransactionTemplate transactionTemplate(PlatformTransactionManager transactionManager) {
		return new TransactionTemplate(transactionManager);
	}

}
