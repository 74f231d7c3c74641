package dev.plinto.org;

import dev.plinto.config.PlintoSettings;
import dev.plinto.web.ApiException;
import dev.plinto.web.ErrorCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.stream.Collectors;
import javax.naming.NameNotFoundException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Looks up DNS TXT records with the JDK's own DNS client (JNDI's {@code com.sun.jndi.dns} provider, module
 * {@code jdk.naming.dns}): over UDP, with TCP when an answer is truncated, from the servers of
 * {@code PLINTO_DNS_SERVERS} or, without it, those of the system (resolv.conf). Answers are not cached, so a record
 * published a moment ago counts as soon as the servers see it.
 */
@Component
final class DnsTxtRecords {

	private static final Logger log = LoggerFactory.getLogger(DnsTxtRecords.class);

	/** First wait for an answer; JNDI doubles it on the second try, so a silent server costs at most 3 seconds. */
	private static final Duration INITIAL_TIMEOUT = Duration.ofSeconds(1);

	private static final int RETRIES = 2;

	private final String providerUrl;

	DnsTxtRecords(PlintoSettings settings) {
		this.providerUrl = settings.dnsServers().isEmpty() ? "dns:"
				: settings.dnsServers().stream().map(s -> "dns://" + s).collect(Collectors.joining(" "));
	}

	/**
	 * The TXT records of {@code name}, each as its character-strings joined; empty when the name or its TXT records
	 * do not exist. 503 {@code service_unavailable} when no DNS server answers.
	 */
	List<String> lookup(String name) {
		Hashtable<String, String> env = new Hashtable<>();
		env.put(DirContext.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.dns.DnsContextFactory");
		env.put(DirContext.PROVIDER_URL, providerUrl);
		env.put("com.sun.jndi.dns.timeout.initial", Long.toString(INITIAL_TIMEOUT.toMillis()));
		env.put("com.sun.jndi.dns.timeout.retries", Integer.toString(RETRIES));
		DirContext context = null;
		try {
			context = new InitialDirContext(env);
			Attributes attributes = context.getAttributes(name, new String[] { "TXT" });
			Attribute txt = attributes.get("TXT");
			List<String> records = new ArrayList<>();
			if (txt != null) {
				NamingEnumeration<?> values = txt.getAll();
				while (values.hasMore()) {
					records.add(unquote(String.valueOf(values.next())));
				}
			}
			return records;
		}
		catch (NameNotFoundException e) {
			return List.of();
		}
		catch (NamingException e) {
			log.warn("DNS lookup of TXT {} failed: {}", name, e.toString());
			throw new ApiException(ErrorCode.SERVICE_UNAVAILABLE, "The DNS servers did not answer; retry later.",
					List.of(), Duration.ofSeconds(30));
		}
		finally {
			if (context != null) {
				try {
					context.close();
				}
				catch (NamingException e) {
					// nothing held open
				}
			}
		}
	}

	/**
	 * JNDI renders a TXT record's character-strings separated by a space, quoting those that hold a space; the
	 * verification value holds none, so a record of several strings becomes their concatenation (RFC 7208 §3.3 reads
	 * split TXT strings the same way).
	 */
	static String unquote(String rendered) {
		StringBuilder out = new StringBuilder();
		boolean quoted = false;
		for (int i = 0; i < rendered.length(); i++) {
			char c = rendered.charAt(i);
			if (c == '"') {
				quoted = !quoted;
			}
			else if (c == '\\' && quoted && i + 1 < rendered.length()) {
				out.append(rendered.charAt(++i));
			}
			else if (c != ' ' || quoted) {
				out.append(c);
			}
		}
		return out.toString();
	}
}
