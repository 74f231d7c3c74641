package dev.plinto.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.security.oauth2.client.autoconfigure.OAuth2ClientAutoConfiguration;
import org.springframework.boot.security.oauth2.client.autoconfigure.servlet.OAuth2ClientWebSecurityAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;
import dev.plinto.web.ClientInfo;

/**
 * An app built on Spring Security's OAuth2 client signs its users in through Plinto, configured the way docs/oidc.md
 * tells (the issuer URI, so discovery, and the client id and secret, nothing else): a second Spring application on
 * its own loopback port, started and stopped by the test, with one protected page that shows the signed-in user's
 * email. A person's browser is played by two cookie jars, one per host, following every redirect and posting
 * Plinto's sign-in form.
 */
class SpringClientTests extends OidcTestSupport {

	private ConfigurableApplicationContext app;

	@BeforeEach
	void realTime() {
		// Spring Security checks the ID token's iat and exp against the real time; the test clock is fixed.
		clock.set(Instant.now());
	}

	@AfterEach
	void stopApp() {
		if (app != null) {
			app.close();
		}
	}

	@Test
	void springSecurityClientWhenSignedInThroughPlintoThenItsProtectedPageShowsTheUsersEmail() {
		int appPort = appPort();
		String appBase = "http://127.0.0.1:" + appPort;
		OidcClients.Created registered = clients.create(new OidcClients.Spec("Spring app " + UUID.randomUUID(),
				OidcClients.Type.CONFIDENTIAL, List.of(appBase + "/login/oauth2/code/plinto"), List.of(),
				Set.of("authorization_code", "refresh_token"), Set.of("openid", "profile", "email"), true, true,
				null, null, null), ClientInfo.none());
		app = new SpringApplicationBuilder(RelyingParty.class).web(WebApplicationType.SERVLET)
			.properties(Map.of("spring.config.name", "relying-party", "spring.main.banner-mode", "off",
					"server.address", "127.0.0.1", "server.port", appPort,
					"spring.security.oauth2.client.registration.plinto.client-id", registered.client().clientId(),
					"spring.security.oauth2.client.registration.plinto.client-secret", registered.secret(),
					"spring.security.oauth2.client.registration.plinto.scope", "openid,profile,email",
					"spring.security.oauth2.client.provider.plinto.issuer-uri", base()))
			.run();
		User user = user();

		Browser atApp = new Browser(appBase);
		Browser atPlinto = new Browser(base());
		HttpResponse<String> toPlinto = atApp.follow(atApp.get("/profile"));
		String authorize = Browser.location(toPlinto);
		assertThat(authorize).as("the app sends the browser to Plinto's authorization endpoint")
			.startsWith(base() + "/oauth2/authorize?");
		assertThat(Browser.param(authorize, "code_challenge_method")).as("PKCE").isEqualTo("S256");
		assertThat(Browser.param(authorize, "nonce")).isNotBlank();

		HttpResponse<String> toSignIn = atPlinto.get(authorize);
		assertThat(Browser.location(toSignIn)).startsWith("/sign-in?redirect_url=");
		HttpResponse<String> page = atPlinto.get(Browser.location(toSignIn));
		assertThat(page.statusCode()).isEqualTo(200);
		HttpResponse<String> toApp = atPlinto.follow(atPlinto.post("/sign-in", Map.of("email", user.email(),
				"password", PASSWORD, "redirect_url", Browser.param(Browser.location(toSignIn), "redirect_url"))));
		String callback = Browser.location(toApp);
		assertThat(callback).as("Plinto returns to the app with a code").startsWith(appBase + "/login/oauth2/code/plinto?code=");

		HttpResponse<String> profile = atApp.follow(atApp.get(callback));
		assertThat(profile.statusCode()).as(profile.body()).isEqualTo(200);
		assertThat(URI.create(profile.uri().toString()).getPath()).isEqualTo("/profile");
		assertThat(profile.body()).isEqualTo("Signed in as " + user.email() + " (" + user.id() + ")");
	}

	/** A free loopback port for the app in the upper half of this provider's range 18300-18399. */
	private static int appPort() {
		for (int port = 18399; port >= 18350; port--) {
			try (ServerSocket socket = new ServerSocket()) {
				socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
				return port;
			}
			catch (IOException e) {
				// taken, try the next one
			}
		}
		throw new IllegalStateException("no free port in 18350-18399");
	}

	/**
	 * The relying party: only the auto-configurations a Spring Boot web app with {@code spring-boot-starter-security}
	 * and {@code spring-boot-starter-oauth2-client} needs (not the Plinto server's own, which share this class path),
	 * Boot's default security (every page needs a signed-in user, {@code oauth2Login} with the one registration), and
	 * one page. No stereotype annotations, so neither the test context nor Plinto's component scan picks it up.
	 */
	@ImportAutoConfiguration({ PropertyPlaceholderAutoConfiguration.class,
			TomcatServletWebServerAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
			WebMvcAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class,
			SecurityAutoConfiguration.class, SecurityFilterAutoConfiguration.class,
			ServletWebSecurityAutoConfiguration.class, OAuth2ClientAutoConfiguration.class,
			OAuth2ClientWebSecurityAutoConfiguration.class })
	static class RelyingParty {

		@Bean
		RouterFunction<ServerResponse> profile() {
			return RouterFunctions.route().GET("/profile", request -> {
				OidcUser user = (OidcUser) ((OAuth2AuthenticationToken) request.principal().orElseThrow()).getPrincipal();
				return ServerResponse.ok().body("Signed in as " + user.getEmail() + " (" + user.getSubject() + ")");
			}).build();
		}
	}
}
