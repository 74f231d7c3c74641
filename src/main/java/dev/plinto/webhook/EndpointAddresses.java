package dev.plinto.webhook;

import dev.plinto.config.PlintoSettings;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import org.springframework.security.util.matcher.InetAddressMatcher;
import org.springframework.security.util.matcher.InetAddressMatchers;

/**
 * Which URLs an endpoint may have, and which addresses a delivery may connect to: the defence against server-side
 * request forgery (OWASP Server-Side Request Forgery Prevention Cheat Sheet, "Application layer": validate the
 * scheme, resolve the name and refuse addresses of internal networks; do not follow redirects).
 * <ul>
 * <li>The URL must be absolute {@code https} (TLS protects the payload and authenticates the receiver, OWASP
 * Transport Layer Security Cheat Sheet), without user information or fragment; {@code http} only with
 * {@code PLINTO_WEBHOOKS_ALLOW_HTTP=true}.</li>
 * <li>Before every attempt the host name is resolved and every address it resolves to is checked: loopback,
 * private (RFC 1918), shared (RFC 6598), link-local (RFC 3927, which holds the cloud metadata service at
 * 169.254.169.254), unique-local IPv6 (RFC 4193), multicast, translated IPv6 (NAT64, 6to4, Teredo), and the other
 * special-purpose ranges of the IANA registries (RFC 6890) are refused (an IPv4-mapped IPv6 address is checked as
 * the IPv4 address it carries) unless {@code PLINTO_WEBHOOKS_ALLOWED_NETWORKS}
 * lists them. One bad address refuses the name, so a name cannot mix a public and an internal address.</li>
 * </ul>
 * The HTTP client resolves the name again when it connects; the JVM's DNS cache (30 s for a successful lookup,
 * {@code networkaddress.cache.ttl}) returns the address just checked, which narrows DNS rebinding to a lookup that
 * expires between the check and the connection. An egress firewall remains the complete answer (docs/webhooks.md).
 * The OpenID provider's back-channel logout checks its clients' addresses with the same rules.
 */
public final class EndpointAddresses {

	/** Resolves a host name to its addresses; the JDK's resolver in production, a fixed table in tests. */
	interface Resolver {

		InetAddress[] resolve(String host) throws UnknownHostException;
	}

	/** Special-purpose ranges no endpoint may reach by default (RFC 6890 and the IANA registries it set up). */
	private static final List<InetAddressMatcher> INTERNAL = List
		.of("0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
				"192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15",
				"198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4", "::/96",
				"64:ff9b::/96", "64:ff9b:1::/48", "100::/64", "2001::/32", "2001:db8::/32", "2002::/16", "fc00::/7",
				"fe80::/10", "fec0::/10", "ff00::/8")
		.stream()
		.map(InetAddressMatchers::fromIpAddress)
		.toList();

	private final boolean allowHttp;

	private final List<InetAddressMatcher> allowed;

	private final Resolver resolver;

	EndpointAddresses(PlintoSettings.Webhooks settings, Resolver resolver) {
		this.allowHttp = settings.allowHttp();
		this.allowed = settings.allowedNetworks().stream().map(InetAddressMatchers::fromIpAddress).toList();
		this.resolver = resolver;
	}

	/** Why a URL or an address is refused: one sentence for the operator. */
	public static final class Refused extends Exception {

		Refused(String message) {
			super(message, null, false, false);
		}
	}

	/** Checks the form of an endpoint URL (when it is added or changed); returns it normalized. */
	URI checkUrl(String text) throws Refused {
		URI uri;
		try {
			uri = new URI(text == null ? "" : text.trim());
		}
		catch (URISyntaxException e) {
			throw new Refused("The URL is not valid: " + e.getReason() + ".");
		}
		String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
		if (!scheme.equals("https") && !(allowHttp && scheme.equals("http"))) {
			throw new Refused(allowHttp ? "The URL must start with https:// or http://."
					: "The URL must start with https:// (plain http needs PLINTO_WEBHOOKS_ALLOW_HTTP=true).");
		}
		if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
			throw new Refused("The URL must name a host, without user information or fragment.");
		}
		if (uri.toString().length() > 2048) {
			throw new Refused("The URL must be at most 2048 characters long.");
		}
		String host = literalHost(uri);
		if (looksLikeAddress(host)) {
			// An address literal is checked at once; a name is checked on every delivery, as its addresses change.
			try {
				checkAddress(InetAddress.getByName(host), host);
			}
			catch (UnknownHostException e) {
				throw new Refused("The URL's host is not a valid address.");
			}
		}
		return uri;
	}

	/** Resolves the URL's host and checks every address, right before an attempt. */
	public void checkBeforeDelivery(URI uri) throws Refused {
		String host = literalHost(uri);
		InetAddress[] addresses;
		try {
			addresses = resolver.resolve(host);
		}
		catch (UnknownHostException e) {
			throw new Refused("The host " + host + " does not resolve.");
		}
		if (addresses.length == 0) {
			throw new Refused("The host " + host + " does not resolve.");
		}
		for (InetAddress address : addresses) {
			checkAddress(address, host);
		}
	}

	private void checkAddress(InetAddress address, String host) throws Refused {
		if (allowed.stream().anyMatch(m -> m.matches(address))) {
			return;
		}
		String text = address.getHostAddress();
		String literal = text.indexOf('%') < 0 ? text : text.substring(0, text.indexOf('%'));
		boolean internal = address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
				|| address.isSiteLocalAddress() || address.isMulticastAddress()
				|| INTERNAL.stream().anyMatch(m -> m.matches(address));
		if (internal) {
			throw new Refused("The host " + host + " resolves to " + literal + ", an internal address; "
					+ "PLINTO_WEBHOOKS_ALLOWED_NETWORKS can allow its network for development.");
		}
	}

	/** The host without the brackets of an IPv6 literal. */
	private static String literalHost(URI uri) {
		String host = uri.getHost();
		return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
	}

	/** An IPv4 dotted quad, or anything with a colon (IPv6); such a host is parsed, never looked up. */
	private static boolean looksLikeAddress(String host) {
		return host.contains(":") || host.matches("[0-9.]+");
	}
}
