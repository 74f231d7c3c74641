package dev.plinto.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plinto.config.PlintoSettings;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The SSRF policy of webhook endpoints (docs/webhooks.md, "SSRF policy"), with a fixed table for DNS. */
class EndpointAddressesTests {

	private final Map<String, String[]> dns = new HashMap<>();

	private EndpointAddresses policy(String... settings) {
		Map<String, String> env = new HashMap<>();
		for (int i = 0; i < settings.length; i += 2) {
			env.put(settings[i], settings[i + 1]);
		}
		PlintoSettings.Webhooks webhooks = PlintoSettings.parse(env::get).webhooks();
		return new EndpointAddresses(webhooks, host -> {
			String[] addresses = dns.get(host);
			if (addresses == null) {
				throw new UnknownHostException(host);
			}
			InetAddress[] out = new InetAddress[addresses.length];
			for (int i = 0; i < addresses.length; i++) {
				out[i] = InetAddress.getByName(addresses[i]);
			}
			return out;
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "127.0.0.1", "169.254.169.254", "10.0.0.7", "172.16.4.4", "192.168.1.1", "100.64.0.1",
			"0.0.0.0", "224.0.0.1", "255.255.255.255", "::1", "fe80::1", "fd12:3456::1", "::ffff:127.0.0.1",
			"64:ff9b::a00:1", "2002:a00:1::1", "::" })
	void checkBeforeDeliveryWhenTheNameResolvesToAnInternalAddressThenRefused(String address) {
		dns.put("hooks.example.com", new String[] { address });
		assertThatThrownBy(() -> policy().checkBeforeDelivery(URI.create("https://hooks.example.com/in")))
			.isInstanceOf(EndpointAddresses.Refused.class)
			.hasMessageContaining("internal address");
	}

	@Test
	void checkBeforeDeliveryWhenOneOfSeveralAddressesIsInternalThenRefused() {
		dns.put("hooks.example.com", new String[] { "93.184.215.14", "10.1.2.3" });
		assertThatThrownBy(() -> policy().checkBeforeDelivery(URI.create("https://hooks.example.com/in")))
			.isInstanceOf(EndpointAddresses.Refused.class)
			.hasMessageContaining("10.1.2.3");
	}

	@Test
	void checkBeforeDeliveryWhenPublicAddressesThenAllowed() {
		dns.put("hooks.example.com", new String[] { "93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c" });
		assertThatCode(() -> policy().checkBeforeDelivery(URI.create("https://hooks.example.com/in")))
			.doesNotThrowAnyException();
	}

	@Test
	void checkBeforeDeliveryWhenTheNetworkIsAllowListedThenAllowed() {
		dns.put("receiver.internal", new String[] { "10.20.1.5" });
		EndpointAddresses allowing = policy("PLINTO_WEBHOOKS_ALLOWED_NETWORKS", "10.20.0.0/16");
		assertThatCode(() -> allowing.checkBeforeDelivery(URI.create("https://receiver.internal/in")))
			.doesNotThrowAnyException();
		dns.put("other.internal", new String[] { "10.21.1.5" });
		assertThatThrownBy(() -> allowing.checkBeforeDelivery(URI.create("https://other.internal/in")))
			.isInstanceOf(EndpointAddresses.Refused.class);
	}

	@Test
	void checkBeforeDeliveryWhenTheNameDoesNotResolveThenRefused() {
		assertThatThrownBy(() -> policy().checkBeforeDelivery(URI.create("https://nowhere.example/in")))
			.isInstanceOf(EndpointAddresses.Refused.class)
			.hasMessageContaining("does not resolve");
	}

	@Test
	void checkUrlWhenNotHttpsThenRefusedUnlessHttpIsAllowed() throws Exception {
		assertThatThrownBy(() -> policy().checkUrl("http://hooks.example.com/in"))
			.isInstanceOf(EndpointAddresses.Refused.class)
			.hasMessageContaining("PLINTO_WEBHOOKS_ALLOW_HTTP");
		assertThat(policy("PLINTO_WEBHOOKS_ALLOW_HTTP", "true").checkUrl("http://hooks.example.com/in"))
			.hasToString("http://hooks.example.com/in");
		for (String url : List.of("ftp://hooks.example.com/", "https:///path", "https://u:p@hooks.example.com/",
				"https://hooks.example.com/#x", "not a url", "")) {
			assertThatThrownBy(() -> policy().checkUrl(url)).as(url).isInstanceOf(EndpointAddresses.Refused.class);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "https://127.0.0.1/", "https://169.254.169.254/latest/meta-data/", "https://[::1]/",
			"https://[fd00::5]:8443/", "https://10.0.0.1/", "https://[::ffff:169.254.169.254]/" })
	void checkUrlWhenTheHostIsAnInternalAddressLiteralThenRefusedAtOnce(String url) {
		assertThatThrownBy(() -> policy().checkUrl(url)).isInstanceOf(EndpointAddresses.Refused.class)
			.hasMessageContaining("internal address");
	}
}
