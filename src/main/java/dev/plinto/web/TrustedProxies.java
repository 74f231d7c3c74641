package dev.plinto.web;

import dev.plinto.config.PlintoSettings;
import org.apache.catalina.valves.RemoteIpValve;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * Honours {@code X-Forwarded-For}, {@code X-Forwarded-Proto} and {@code X-Forwarded-Host} only when the direct TCP
 * peer is one of {@code PLINTO_TRUSTED_PROXIES} (IP addresses or CIDR ranges; none by default), so that rate limits,
 * sessions and the audit log see the real client address behind a reverse proxy, and a client talking to Plinto
 * directly cannot choose its own address.
 * <p>
 * This is Tomcat's {@link RemoteIpValve} (a port of Apache httpd's {@code mod_remoteip}): when the peer is trusted it
 * walks {@code X-Forwarded-For} from right to left, skips every address that is itself a trusted proxy, and takes the
 * first one that is not as the client; addresses further left were written by the client and are ignored. That is
 * the rule of RFC 7239 §5.2 and §8.1 (only a proxy you trust may vouch for the next hop; the header's values are
 * otherwise client-controlled) and of the OWASP Logging Cheat Sheet ("Event attributes": the client address from a
 * header is untrusted input unless set by infrastructure you control). With no trusted proxies no valve is installed
 * and the headers are ignored entirely.
 * <p>
 * Spring Boot would otherwise install the valve itself on a detected cloud platform (Kubernetes included) with a
 * default list of every private address range; {@code server.forward-headers-strategy=none} in
 * {@code application.properties} switches that off, so this class is the only place forwarded headers are honoured.
 */
@Component
@ConditionalOnWebApplication
final class TrustedProxies implements WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> {

	private final PlintoSettings settings;

	TrustedProxies(PlintoSettings settings) {
		this.settings = settings;
	}

	@Override
	public void customize(ConfigurableTomcatWebServerFactory factory) {
		if (settings.trustedProxies().isEmpty()) {
			return;
		}
		factory.addEngineValves(valve(settings));
	}

	static RemoteIpValve valve(PlintoSettings settings) {
		RemoteIpValve valve = new RemoteIpValve();
		// A value with a '/' is read as a list of CIDR ranges (org.apache.catalina.util.NetMaskSet), not as a regex;
		// PlintoSettings writes every entry as a CIDR.
		valve.setInternalProxies(String.join(",", settings.trustedProxies()));
		valve.setTrustedProxies(null);
		valve.setRemoteIpHeader("X-Forwarded-For");
		valve.setProtocolHeader("X-Forwarded-Proto");
		valve.setHostHeader("X-Forwarded-Host");
		valve.setPortHeader("X-Forwarded-Port");
		return valve;
	}
}
